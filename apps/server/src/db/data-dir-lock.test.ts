/**
 * The embedded data folder admits one process: a CLI beside a running server speaks to it over HTTP (the lock says
 * where it listens); any other second process gets a clear error naming the holder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir, readFile, stat } from 'node:fs/promises';
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
    'a CLI beside a running server speaks to it over HTTP (or by --url with any token), then opens the folder once it has stopped',
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
        // The lock records where the server listens, and the operator token is private to the folder's owner.
        const lock = JSON.parse(await readFile(join(dir, 'stormops.lock'), 'utf8')) as { pid: number; url: string };
        expect(lock).toMatchObject({ pid: server.pid, url: facts.url });
        expect((await stat(join(dir, 'platform-token'))).mode & 0o777).toBe(0o600);
        // So the CLI speaks to the server over HTTP instead of being refused.
        const listed = await run(['tenant', 'list', '--json'], { STORMOPS_DATA_DIR: dir });
        expect(listed).toMatchObject({ code: 0, stderr: '' });
        expect(JSON.parse(listed.stdout)).toEqual([]);
        const made = await run(
          [
            'tenant',
            'provision',
            '--org',
            'Lock Roofing',
            '--tier',
            'standard',
            '--admin-email',
            'a@lock.example',
            '--json',
          ],
          { STORMOPS_DATA_DIR: dir },
        );
        expect(made.code).toBe(0);
        const tenant = JSON.parse(made.stdout) as { tenant_id: string; admin_token: string };
        // A server error keeps its code and message; unknown flags are still refused before any request.
        const missing = await run(['storm', 'show', '--storm', '00000000-0000-4000-8000-000000000000', '--json'], {
          STORMOPS_DATA_DIR: dir,
        });
        expect(missing.code).toBe(2);
        expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');
        expect(
          (await run(['storm', 'list', '--tenant', tenant.tenant_id, '--bogus'], { STORMOPS_DATA_DIR: dir })).stderr,
        ).toContain("unknown option '--bogus'");
        // A command that needs the database itself says why it cannot run while the server holds it.
        const status = await run(['db', 'status', '--json'], { STORMOPS_DATA_DIR: dir });
        expect(status.code).toBe(2);
        expect(status.stderr.trim().split('\n')).toHaveLength(1);
        expect(status.stderr).toContain(`process ${server.pid} holds`);
        expect(JSON.parse(status.stdout).error.code).toBe('LOCAL_ONLY');
        // Any server by URL with a tenant user's own token (the SaaS case): that user's rights, no database.
        const remote = {
          STORMOPS_URL: facts.url,
          STORMOPS_TOKEN: tenant.admin_token,
          STORMOPS_DATA_DIR: join(dir, 'none'),
        };
        const storm = await run(
          ['storm', 'create', '--tenant', tenant.tenant_id, '--event-id', 'LOCK_1', '--name', 'Lock storm', '--json'],
          remote,
        );
        expect(storm.code).toBe(0);
        expect(JSON.parse(storm.stdout)).toMatchObject({ tenant_id: tenant.tenant_id, event_id: 'LOCK_1' });
        const refused = await run(['tenant', 'list', '--json'], remote);
        expect(refused.code).toBe(2);
        expect(JSON.parse(refused.stdout).error.code).toBe('FORBIDDEN');
        const down = await run(['--url', 'http://127.0.0.1:9', 'tenant', 'list'], { STORMOPS_TOKEN: 'x' });
        expect(down.code).toBe(3);
        expect(down.stderr).toContain('SERVER_UNAVAILABLE');
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      // Once it has stopped, the CLI opens the folder itself again.
      const after = await run(['tenant', 'list', '--json'], { STORMOPS_DATA_DIR: dir });
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout)).toHaveLength(1);
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
