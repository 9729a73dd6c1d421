/**
 * The embedded data-folder lock cannot be held twice: racers in separate processes call it in the same millisecond,
 * round after round, with no lock file, a stale one (its process gone), or an empty one; each round exactly one holds
 * it. (Before the fix: two holders in 2 of 15 rounds with a stale file, 1 of 15 without.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RACER = resolve(import.meta.dirname, 'lock-racer.ts');
const RACERS = 6;
const ROUNDS = 18;
const HOLD_MS = 400;
const ROUND_MS = 900;

describe('data-folder lock under racing processes', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  const results = new Map<number, boolean[]>();
  const errors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stormops-lockrace-'));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it(`${RACERS} processes x ${ROUNDS} rounds: exactly one holder per round`, { timeout: 120_000 }, async () => {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < RACERS; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', RACER, dir, String(HOLD_MS)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      const lines = createInterface({ input: child.stdout! });
      ready.push(
        new Promise((ok, fail) => {
          child.once('exit', (code) => fail(new Error(`racer exited ${code}`)));
          lines.on('line', (line) => {
            if (line === 'ready') return ok();
            const r = JSON.parse(line) as { round: number; held: boolean; error?: string };
            if (r.error) errors.push(`round ${r.round}: ${r.error}`);
            results.set(r.round, [...(results.get(r.round) ?? []), r.held]);
          });
        }),
      );
    }
    // Loading tsx and the module takes seconds on a loaded 2-core machine: start only once every racer is ready.
    await Promise.all(ready);
    const lockFile = join(dir, 'stormops.lock');
    for (let round = 0; round < ROUNDS; round++) {
      // Thirds: no lock file, a stale one (a process that is gone), an empty one (never a lock this code wrote).
      if (round % 3 === 1)
        await writeFile(
          lockFile,
          JSON.stringify({ pid: 2 ** 22 + 11, host: hostname(), command: 'gone', started_at: '' }),
        );
      if (round % 3 === 2) await writeFile(lockFile, '');
      const at = Date.now() + 300;
      for (const c of children) c.stdin!.write(JSON.stringify({ round, at }) + '\n');
      await new Promise((r) => setTimeout(r, ROUND_MS));
      const deadline = Date.now() + 10_000;
      while ((results.get(round)?.length ?? 0) < RACERS && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      // Wait out the holder's hold so the next round starts from the state it prepares.
      await new Promise((r) => setTimeout(r, HOLD_MS));
    }
    const holders = [...Array(ROUNDS).keys()].map((r) => (results.get(r) ?? []).filter(Boolean).length);
    const answered = [...Array(ROUNDS).keys()].map((r) => results.get(r)?.length ?? 0);
    expect(errors).toEqual([]);
    expect(answered).toEqual(Array(ROUNDS).fill(RACERS));
    expect(holders).toEqual(Array(ROUNDS).fill(1));
  });
});
