/**
 * Foundation figures: time from `stormops start` until /readyz answers, on a fresh and on an existing data folder;
 * 1,000 storm creations through the HTTP API over loopback (PGlite, and server Postgres when a URL is given).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createScratchDatabase } from '../apps/server/test/databases.ts';
import { openDatabase, type Database } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { buildApp } from '../apps/server/src/http/app.ts';
import { provisionTenant } from '../apps/server/src/domains/tenants/tenants.service.ts';
import { PLATFORM } from '../apps/server/src/domains/auth/principal.ts';
import type { BenchContext, BenchFigure } from './harness.ts';
import { runLoad, type LoadResult } from './http-load.ts';
import { NODE_FLAGS } from '../apps/server/bin/node-flags.mjs';

const BIN = resolve(import.meta.dirname, '../apps/server/bin/stormops.mjs');

/** Spawns `stormops start`, returns ms until /readyz answers 200, then stops it. */
async function startToReady(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, BIN, 'start', '--json'], {
    env: { ...process.env, STORMOPS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out
          .split('\n')
          .slice(0, -1)
          .find((l) => l.startsWith('{'));
        if (line) ok((JSON.parse(line) as { url: string }).url);
      });
      child.on('exit', (code) => fail(new Error(`start exited ${code}`)));
    });
    for (;;) {
      const r = await fetch(`${url}/readyz`).catch(() => undefined);
      if (r?.status === 200) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function stormCreations(db: Database, n: number, concurrency: number): Promise<LoadResult> {
  const app = await buildApp({ db, platformToken: undefined });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const tenant = await provisionTenant(
    { db, principal: PLATFORM },
    { org_name: `Bench ${Date.now()}`, tier: 'enterprise', admin_email: 'b@bench.example' },
  );
  try {
    const result = await runLoad({
      url: `http://127.0.0.1:${port}/v1/storms`,
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.admin_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_id: 'BENCH_{i}', name: 'Bench storm {i}' }),
      requests: n,
      concurrency,
      maxSeconds: 120,
      expectStatus: 201,
    });
    if (result.errors) throw new Error(`${result.errors} storm creations failed; first: ${result.firstError}`);
    return result;
  } finally {
    await app.close();
  }
}

function creationFigure(label: string, r: LoadResult): BenchFigure {
  return {
    name: `1,000 storm creations via API (${label})`,
    value: r.ms,
    unit: 'ms',
    notes: `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, 8 keep-alive clients in a separate process`,
  };
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const dir = join(ctx.tmpDir, 'data');
  const fresh = await startToReady(dir);
  const existing = await startToReady(dir);
  const figures: BenchFigure[] = [
    {
      name: 'start to /readyz, fresh data folder (embedded)',
      value: fresh,
      unit: 'ms',
      notes: 'includes initdb, migrations and demo seed',
    },
    { name: 'start to /readyz, existing data folder (embedded)', value: existing, unit: 'ms' },
  ];
  const pglite = await openDatabase({ kind: 'pglite-memory' });
  await migrate(pglite);
  figures.push(creationFigure('PGlite', await stormCreations(pglite, 1000, 8)));
  await pglite.close();
  if (ctx.databaseUrl) {
    const scratch = await createScratchDatabase(ctx.databaseUrl);
    const server = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      await migrate(server);
      figures.push(creationFigure('server Postgres', await stormCreations(server, 1000, 8)));
    } finally {
      await server.close();
      await scratch.drop();
    }
  } else ctx.log('server Postgres: skipped (set STORMOPS_BENCH_DATABASE_URL)');
  return figures;
}
