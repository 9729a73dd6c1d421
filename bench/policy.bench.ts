/**
 * Policy and outcome figures on server Postgres: applying a policy to a 1,000,000-property storm; the outcome API
 * over loopback (load from separate processes); batch outcome import (CSV). The storm is seeded in SQL directly
 * (generate_series into property and property_score as the scratch database's owner), not through the importer.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Database } from '../apps/server/src/db/database.ts';
import { PLATFORM, type ServiceContext } from '../apps/server/src/domains/auth/principal.ts';
import { provisionTenant } from '../apps/server/src/domains/tenants/tenants.service.ts';
import { createStorm } from '../apps/server/src/domains/storms/storms.service.ts';
import { applyPolicy, configurePolicy } from '../apps/server/src/domains/policy/policy.service.ts';
import { importOutcomes } from '../apps/server/src/domains/outcomes/outcomes.service.ts';
import type { BenchContext, BenchFigure } from './harness.ts';
import { onScratchServer, seedStormProperties } from './scratch.ts';
import { timeMs } from './harness.ts';
import { runLoad, type LoadResult } from './http-load.ts';
import { NODE_FLAGS } from '../apps/server/bin/node-flags.mjs';

const PROPERTIES = 1_000_000;
const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} on 2 cores`;

async function seedStorm(url: string, tenantId: string, stormId: string, n: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await seedStormProperties((text, params) => c.query(text, params), {
      columns: 'tenant_id, storm_id, address_key, address_line, zip, lat, lon',
      select: `select $1::uuid, $2::uuid, g || ' MAIN ST|' || (73100 + g % 60), g || ' Main St', (73100 + g % 60)::text, 35.4 + (g % 1000) * 0.0005, -97.6 + (g / 1000) * 0.0005
       from generate_series(1, $3::int) g`,
      params: [tenantId, stormId, n],
    });
    const model = await c.query<{ model_id: string }>(
      `insert into uplift_model (tenant_id, version, learner, feature_schema, training_source, training_fingerprint, training_rows, artifact, stage)
       values ($1, 1, 'bench', '{}', '{}', 'bench', 0, '{}', 'production') returning model_id`,
      [tenantId],
    );
    await c.query(`select setseed(0.42)`);
    await c.query(
      `insert into property_score (tenant_id, property_id, storm_id, zip, model_id, uplift)
       select tenant_id, property_id, storm_id, zip, $2, round((random() * 0.3 - 0.02)::numeric, 4)::float8 from property where storm_id = $1`,
      [stormId, model.rows[0]!.model_id],
    );
    await c.query('analyze property; analyze property_score');
  } finally {
    await c.end();
  }
}

async function applyFigures(
  db: Database,
  url: string,
  ctx: BenchContext,
): Promise<{ figures: BenchFigure[]; tenant: { id: string; token: string }; stormId: string; eventId: string }> {
  const op: ServiceContext = { db, principal: PLATFORM };
  const t = await provisionTenant(op, {
    org_name: `Bench Policy ${Date.now()}`,
    tier: 'enterprise',
    admin_email: 'p@bench.example',
  });
  const storm = await createStorm(op, { tenant_id: t.tenant_id, event_id: 'BENCH_1M', name: 'Bench 1M' });
  const seeded = await timeMs(() => seedStorm(url, t.tenant_id, storm.storm_id, PROPERTIES));
  ctx.log(`seeded ${PROPERTIES} properties + scores in ${seeded.ms.toFixed(0)} ms`);
  const tctx: ServiceContext = {
    db,
    principal: { kind: 'tenant', tenantId: t.tenant_id, userId: '00000000-0000-0000-0000-000000000000', role: 'admin' },
  };
  // Worst case: 200 crews x 70 doors x 14 days = 196,000 doors, top 25%: 245,000 properties randomized and written.
  await configurePolicy(tctx, { mode: 'custom', params: { crews: 200, doors_per_day: 70, days: 14, top_share: 0.25 } });
  const moderate = await timeMs(() =>
    applyPolicy(tctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 1, shadow: true }),
  );
  const shadow = await timeMs(() =>
    applyPolicy(tctx, { storm_id: storm.storm_id, mode: 'custom', seed: 1, shadow: true }),
  );
  const before = load();
  const applied = await timeMs(() => applyPolicy(tctx, { storm_id: storm.storm_id, mode: 'custom', seed: 1 }));
  const again = await timeMs(() => applyPolicy(tctx, { storm_id: storm.storm_id, mode: 'custom', seed: 1 }));
  const r = applied.result;
  return {
    tenant: { id: t.tenant_id, token: t.admin_token! },
    stormId: storm.storm_id,
    eventId: storm.event_id,
    figures: [
      {
        name: 'apply policy to a 1,000,000-property storm (server Postgres)',
        value: applied.ms,
        unit: 'ms',
        target: { op: '<=', value: 5000 },
        notes: `${r.treat} treat, ${r.hold} hold, ${r.excluded} excluded (treat and hold rows written; excluded is the complement); ${before}`,
      },
      { name: 'shadow run on the same storm (no arms written)', value: shadow.ms, unit: 'ms' },
      {
        name: 'moderate default (2,400 doors) as a shadow run on the same storm',
        value: moderate.ms,
        unit: 'ms',
        notes: `${moderate.result.treat} treat, ${moderate.result.hold} hold`,
      },
      {
        name: 're-apply (idempotent, nothing new)',
        value: again.ms,
        unit: 'ms',
        notes: `newly_assigned ${again.result.newly_assigned}`,
      },
    ],
  };
}

/**
 * Outcome API load: the API in its own process (bench/api-server.ts), one load process (bench/http-load.ts) with
 * CLIENTS keep-alive connections, each request for one of `ids` in turn, every idempotency key distinct. Server,
 * loader and Postgres share the 2 cores. Concurrent calls are grouped into shared transactions by the service
 * (outcomes.coalesce.ts); each still gets its own 201.
 */
const CLIENTS = 32;

async function outcomeLoad(
  url: string,
  s: { tenant: { id: string; token: string }; eventId: string },
  ids: string[],
  noAuthCache: boolean,
): Promise<LoadResult> {
  const server = spawn(
    process.execPath,
    [
      ...NODE_FLAGS,
      '--import',
      'tsx',
      resolve(import.meta.dirname, 'api-server.ts'),
      url,
      ...(noAuthCache ? ['--no-auth-cache'] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await new Promise<number>((ok, fail) => {
      server.stdout.once('data', (d: Buffer) => ok((JSON.parse(d.toString()) as { port: number }).port));
      server.once('exit', (code) => fail(new Error(`api server exited ${code}`)));
    });
    const tag = noAuthCache ? 'n' : 'c';
    const r = await runLoad({
      url: `http://127.0.0.1:${port}/v1/outcomes`,
      method: 'POST',
      headers: { authorization: `Bearer ${s.tenant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        property_id: '{v}',
        event_id: s.eventId,
        converted: true,
        value: 12000,
        idempotency_key: `${tag}-{i}`,
      }),
      values: ids,
      requests: 60_000,
      concurrency: CLIENTS,
      maxSeconds: 10,
      expectStatus: 201,
    });
    if (r.errors) throw new Error(`${r.errors} outcome requests failed; first: ${r.firstError}`);
    return r;
  } finally {
    server.kill('SIGTERM');
  }
}

async function importFigure(db: Database, stormId: string, ids: string[]): Promise<BenchFigure> {
  const lines = ['property_id,converted,value'];
  for (let i = 0; i < ids.length; i++)
    lines.push(`${ids[i]},${i % 4 === 0},${i % 4 === 0 ? 11000 + (i % 50) * 100 : ''}`);
  const text = lines.join('\n') + '\n';
  const r = await timeMs(() => importOutcomes({ db, principal: PLATFORM }, { storm_id: stormId, text }));
  if (r.result.accepted !== ids.length) throw new Error(`import accepted ${r.result.accepted} of ${ids.length}`);
  return {
    name: `batch outcome import, ${ids.length.toLocaleString('en-US')}-row CSV (server Postgres)`,
    value: (ids.length / r.ms) * 1000,
    unit: 'outcomes/s',
    target: { op: '>=', value: 20_000 },
    notes: `${r.ms.toFixed(0)} ms incl. CSV parse and validation, one transaction; ${load()}`,
  };
}

export function run(ctx: BenchContext): Promise<BenchFigure[]> {
  return onScratchServer(ctx, async (db, url) => {
    const a = await applyFigures(db, url, ctx);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const ids = (
      await c.query<{ property_id: string }>(
        `select property_id from property where storm_id = $1 order by property_id limit 100512`,
        [a.stormId],
      )
    ).rows.map((r) => r.property_id);
    // The seeding and the applies above leave a million fresh rows for autovacuum and dirty pages for the next
    // checkpoint; settle both first, so the load measures the API in a steady state, not the setup's aftermath.
    await c.query('vacuum analyze');
    await c.query('checkpoint');
    await c.end();
    const figures = [...a.figures];
    for (const noCache of [false, true]) {
      const r = await outcomeLoad(url, a, ids.slice(noCache ? 256 : 0, noCache ? 512 : 256), noCache);
      figures.push({
        name: `outcome API POST /v1/outcomes over loopback (server Postgres, auth cache ${noCache ? 'defeated' : 'on'})`,
        value: r.requestsPerSecond,
        unit: 'req/s',
        // The target is for the API as it runs (a token is verified once, then cached for 30 s); the defeated run,
        // verifying every request's token against the database, shows what that cache is worth.
        ...(noCache ? {} : { target: { op: '>=' as const, value: 2000 } }),
        notes: `${r.completed} requests, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms (target p99 < 50 ms); API in its own process, 1 load process x ${CLIENTS} keep-alive clients over 256 properties; ${load()}`,
      });
    }
    figures.push(await importFigure(db, a.stormId, ids.slice(512)));
    return figures;
  });
}
