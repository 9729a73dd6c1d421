/**
 * Surviving the database, on server Postgres, from outside the process: a real `stormops start` under load while an
 * administrator terminates its connections (pg_terminate_backend, 57P01), then while its database refuses
 * connections altogether. Before the fix the process died on the first termination (a checked-out pg client had no
 * 'error' listener: "Unhandled 'error' event ... 57P01"). Now: the process lives, requests fail at worst with a 503
 * (reads are retried once), /readyz says 503 while the database is away, and it serves again by itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL, createScratchDatabase } from './databases.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const suite = SERVER_URL ? describe : describe.skip;

suite('surviving Postgres failures [server Postgres]', () => {
  let server: ServerProcess;
  let admin: pg.Client;
  let dbName: string;
  let drop: () => Promise<void>;
  let cwd: string;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(SERVER_URL!);
    drop = scratch.drop;
    dbName = new URL(scratch.url).pathname.slice(1);
    cwd = await mkdtemp(join(tmpdir(), 'stormops-pgfail-'));
    server = await startServerProcess({ DATABASE_URL: scratch.url, STORMOPS_SLO_EVALUATE_SECONDS: '0' }, cwd);
    admin = new pg.Client({ connectionString: SERVER_URL });
    admin.on('error', () => {});
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    await admin?.query(`alter database ${dbName} allow_connections true`).catch(() => {});
    await server?.stop();
    await admin?.end().catch(() => {});
    await drop?.();
    await rm(cwd, { recursive: true, force: true });
  });

  const terminate = () =>
    admin.query(
      `select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid()) t`,
      [dbName],
    );

  async function call(method: string, path: string, body?: unknown): Promise<number> {
    try {
      const r = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${server.platformToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      await r.text();
      return r.status;
    } catch {
      return -1; // the connection to the API itself failed: the process is gone
    }
  }

  it('lives through terminated connections under load and serves again', { timeout: 120_000 }, async () => {
    const statuses: number[] = [];
    const readStatuses: number[] = [];
    let running = true;
    let n = 0;
    const worker = async () => {
      while (running) {
        const i = n++;
        if (i % 3 === 0)
          statuses.push(
            await call('POST', '/v1/tenants', {
              org_name: `Load Roofing ${i}`,
              tier: 'trial',
              admin_email: `a${i}@load.example`,
            }),
          );
        else {
          const s = await call('GET', '/v1/tenants');
          statuses.push(s);
          readStatuses.push(s);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    let terminated = 0;
    for (let round = 0; round < 10; round++) {
      await new Promise((r) => setTimeout(r, 150));
      terminated += (await terminate()).rows[0].n as number;
    }
    running = false;
    await Promise.all(workers);
    expect(terminated).toBeGreaterThan(5);
    expect(server.child.exitCode).toBeNull();
    expect(server.stderr()).not.toMatch(/Unhandled 'error' event/);
    expect(statuses.filter((s) => s === -1)).toEqual([]);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    // Every connection is cut every 150 ms: many requests meet a cut; reads are retried once, so most of them pass.
    expect(statuses.filter((s) => s < 300).length).toBeGreaterThan(0);
    expect(readStatuses.filter((s) => s < 300).length).toBeGreaterThan(readStatuses.length / 3);
    expect(await call('GET', '/readyz')).toBe(200);
    expect(await call('GET', '/v1/tenants')).toBe(200);
  });

  it(
    'reports not ready while the database refuses connections, and recovers by itself',
    { timeout: 60_000 },
    async () => {
      await admin.query(`alter database ${dbName} allow_connections false`);
      await terminate();
      expect(await call('GET', '/readyz')).toBe(503);
      expect(await call('GET', '/v1/tenants')).toBe(503);
      expect(await call('GET', '/healthz')).toBe(200); // alive: the process is not restarted for it
      await admin.query(`alter database ${dbName} allow_connections true`);
      let ready = 0;
      for (let i = 0; i < 50 && ready !== 200; i++) {
        ready = await call('GET', '/readyz');
        if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready).toBe(200);
      expect(await call('GET', '/v1/tenants')).toBe(200);
      expect(server.child.exitCode).toBeNull();
    },
  );
});
