/** The embedded data folder admits one process: a second gets a clear error naming the holder. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';
import { openDatabase } from './database.ts';

const BIN = resolve(import.meta.dirname, '../../bin/stormops.mjs');
/**
 * The children's environment: this one without StormOps settings, so a DATABASE_URL (or a PORT, a profile...) set
 * on the machine cannot send them to a server database instead of the data folder under test.
 */
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|STORMOPS_|OTEL_|HOST$|PORT$|LOG_LEVEL$)/.test(k)),
);

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...ENV, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('embedded data folder lock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stormops-lock-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Three Node processes, each starting PGlite (the first also runs initdb and the migrations): 14 s on an idle
  // 2-core machine, so the 60 s default is too tight when the whole suite loads it.
  it(
    'refuses a second process with the holder named, then admits one once the first has stopped',
    { timeout: 180_000 },
    async () => {
      const server = spawn(process.execPath, [BIN, 'start', '--no-demo', '--json'], {
        env: { ...ENV, STORMOPS_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent' },
      });
      try {
        const facts = await new Promise<{ url: string }>((ok, fail) => {
          let out = '';
          server.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const line = out
              .split('\n')
              .slice(0, -1)
              .find((l) => l.startsWith('{'));
            if (line) ok(JSON.parse(line) as { url: string });
          });
          server.on('exit', (code) => fail(new Error(`server exited ${code}`)));
        });
        expect(facts.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const second = await run(['tenant', 'list', '--json'], { STORMOPS_DATA_DIR: dir });
        expect(second.code).toBe(3);
        expect(second.stderr.trim().split('\n')).toHaveLength(1);
        expect(second.stderr).toContain(`in use by process ${server.pid}`);
        expect(JSON.parse(second.stdout).error.code).toBe('DATA_DIR_LOCKED');
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      const after = await run(['tenant', 'list', '--json'], { STORMOPS_DATA_DIR: dir });
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout)).toEqual([]);
    },
  );

  it('takes over a lock whose process is gone', async () => {
    const stale = join(dir, 'stale');
    await mkdir(stale, { recursive: true });
    await writeFile(
      join(stale, 'stormops.lock'),
      JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), command: 'x', started_at: '' }),
    );
    const lock = lockDataDir(stale);
    expect(lock.path).toBe(join(stale, 'stormops.lock'));
    expect(() => lockDataDir(stale)).toThrowError(/in use by process/);
    lock.release();
  });

  it('releases the lock when the database closes', async () => {
    const d = join(dir, 'reopen');
    const first = await openDatabase({ kind: 'pglite', dataDir: d });
    await expect(openDatabase({ kind: 'pglite', dataDir: d })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir: d });
    await second.close();
  });
});
