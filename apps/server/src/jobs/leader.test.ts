/**
 * Periodic work runs once across processes: two real server processes on one server Postgres, only the leader runs
 * the SLO loop, and it moves to the other when the leader stops. Also: a leader whose connection is cut steps down,
 * another takes over, and the cut one comes back as a follower.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, SERVER_URL } from '../../test/databases.ts';
import { sample, startServerProcess, type ServerProcess } from '../../test/server-process.ts';
import { AdvisoryLeader } from './leader.ts';

const RUNS = 'stormops_periodic_runs_total{task="slo_evaluate",outcome="ok"}';

async function scrape(s: ServerProcess): Promise<{ leading: number | undefined; runs: number }> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  return { leading: sample(text, 'stormops_leader'), runs: sample(text, RUNS) ?? 0 };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function lockHolders(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(
      "select count(*) as n from pg_locks where locktype = 'advisory' and granted and classid = 1398034258 and objid = 2",
    );
    return Number(r.rows[0]?.n);
  } finally {
    await c.end();
  }
}

describe.skipIf(!SERVER_URL)('leader for periodic work [server Postgres]', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let cwd: string;
  beforeAll(async () => {
    scratch = await createScratchDatabase(SERVER_URL as string);
    cwd = await mkdtemp(join(tmpdir(), 'stormops-leader-'));
  });
  afterAll(async () => {
    await scratch?.drop();
    await rm(cwd, { recursive: true, force: true });
  });

  it(
    'runs the SLO loop on one of two processes, and on the other once the first is killed',
    { timeout: 180_000 },
    async () => {
      const env = {
        DATABASE_URL: scratch.url,
        STORMOPS_SLO_EVALUATE_SECONDS: '1',
        STORMOPS_PLATFORM_TOKEN: 'leader-test-platform-token-0123456789',
      };
      const a = await startServerProcess(env, cwd);
      const b = await startServerProcess(env, cwd).catch(async (err: unknown) => {
        await a.stop();
        throw err;
      });
      try {
        // Both run a second or more: one leads and evaluates, the other never does.
        const [first, second] = await until('a leader with three passes', async () => {
          const [sa, sb] = [await scrape(a), await scrape(b)];
          if (sa.runs >= 3) return [a, b] as const;
          if (sb.runs >= 3) return [b, a] as const;
          return undefined;
        });
        await new Promise((r) => setTimeout(r, 1500));
        expect(await scrape(first)).toMatchObject({ leading: 1 });
        expect(await scrape(second)).toEqual({ leading: 0, runs: 0 });
        expect(await lockHolders(scratch.url)).toBe(1);

        // Killed outright: no clean shutdown, the lock goes with the closed session.
        first.child.kill('SIGKILL');
        await first.stop();
        const after = await until('the other process to take over', async () => {
          const s = await scrape(second);
          return s.runs >= 2 ? s : undefined;
        });
        expect(after.leading).toBe(1);
        expect(await lockHolders(scratch.url)).toBe(1);
      } finally {
        await a.stop();
        await b.stop();
      }
    },
  );

  it('steps down when its connection is cut, and the lock moves on', { timeout: 60_000 }, async () => {
    const changes: boolean[] = [];
    const one = new AdvisoryLeader({
      url: scratch.url,
      retryMs: 200,
      onError: () => {},
      onChange: (leading) => changes.push(leading),
    }).start();
    await until('the first to lead', async () => (one.leading ? true : undefined));
    const two = new AdvisoryLeader({ url: scratch.url, retryMs: 200, onError: () => {} }).start();
    try {
      await two.attempt();
      expect(two.leading).toBe(false);
      expect(await two.confirm()).toBe(false);
      const c = new pg.Client({ connectionString: scratch.url });
      await c.connect();
      await c.query(
        "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = 2 and granted",
      );
      await c.end();
      // The cut leader steps down at once. The freed lock then goes to whichever of the two asks first (the cut
      // one may win it back on its reconnect): never both, and never nobody for long.
      await until('the cut leader to step down', async () => (changes.includes(false) ? true : undefined));
      expect(changes.slice(0, 2)).toEqual([true, false]);
      const leader = await until('a new leader', async () => (one.leading ? one : two.leading ? two : undefined));
      const follower = leader === one ? two : one;
      await follower.attempt();
      await follower.attempt();
      expect(follower.leading).toBe(false);
      expect(await lockHolders(scratch.url)).toBe(1);
      await leader.stop();
      await until('the other to lead', async () => (follower.leading ? true : undefined));
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
