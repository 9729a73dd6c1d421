/**
 * Property storage at platform scale (issue 19), server Postgres only. Two scratch databases hold the same probe
 * tenant (10 storms, one of 20,000 homes scored, assigned and with outcomes, nine of 50, all imported through the
 * service); the big one adds other tenants' storms and properties, generated in SQL (STORMOPS_STORAGE_STORMS storms
 * across STORMOPS_STORAGE_TENANTS tenants, STORMOPS_STORAGE_PROPERTIES properties: 1% of storms hold half of them).
 * Measured on each, through the services as the probe tenant: the common queries on a fresh connection (a new pool
 * per call) and on a warm one, their ratio big/small (target <= 2); the first import of a 1,000,000-row file into a
 * new storm beside a raw COPY of the same file (>= 150k rows/s, <= 3x); the memory of an API process and of its
 * Postgres backend after touching 1,000 storms. Both databases are dropped at the end.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import type { ServiceContext } from '../apps/server/src/domains/auth/principal.ts';
import { PLATFORM } from '../apps/server/src/domains/auth/principal.ts';
import { csvLine, historyCsv, PROPERTIES_CSV_HEADER } from '../apps/server/src/domains/demo/properties-csv.ts';
import { writePropertiesCsv } from '../apps/server/src/domains/demo/properties-csv.ts';
import { generateProperties } from '../apps/server/src/domains/demo/generator.ts';
import { promoteModel, trainModel } from '../apps/server/src/domains/models/models.service.ts';
import { scoreStorm } from '../apps/server/src/domains/models/scoring.service.ts';
import { logOutcome, outcomeHistory } from '../apps/server/src/domains/outcomes/outcomes.service.ts';
import { gatherPilotInputs } from '../apps/server/src/domains/pilot/pilot.service.ts';
import { applyPolicy, configurePolicy } from '../apps/server/src/domains/policy/policy.service.ts';
import { importProperties, listProperties } from '../apps/server/src/domains/properties/properties.service.ts';
import { createStorm, listStorms } from '../apps/server/src/domains/storms/storms.service.ts';
import { provisionTenant } from '../apps/server/src/domains/tenants/tenants.service.ts';
import { createScratchDatabase } from '../apps/server/test/databases.ts';
import { NODE_FLAGS } from '../apps/server/bin/node-flags.mjs';
import type { BenchContext, BenchFigure } from './harness.ts';

const STORMS = Number(process.env['STORMOPS_STORAGE_STORMS'] ?? 100_000);
const TENANTS = Number(process.env['STORMOPS_STORAGE_TENANTS'] ?? 1_000);
const PROPERTIES = Number(process.env['STORMOPS_STORAGE_PROPERTIES'] ?? 10_000_000);
const IMPORT_ROWS = 1_000_000;
const IMPORT_TRIALS = 3;
const FRESH_RUNS = 7;
const WARM_RUNS = 30;
const TOUCHED = 1_000;

interface Probe {
  tenantId: string;
  ctx: ServiceContext;
  stormId: string;
  /** A property with outcomes, and one without. */
  withOutcome: string;
  plain: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function demoCsv(count: number, seed: number): Buffer {
  const lines = [PROPERTIES_CSV_HEADER];
  for (const p of generateProperties({ count, seed })) lines.push(csvLine(p));
  return Buffer.from(lines.join('\n') + '\n');
}

/** The probe tenant, the same in both databases: 10 storms imported through the service, one scored and assigned. */
async function makeProbe(db: Database): Promise<Probe> {
  const op: ServiceContext = { db, principal: PLATFORM };
  const t = await provisionTenant(op, {
    org_name: 'Probe Roofing',
    tier: 'enterprise',
    admin_email: 'p@probe.example',
  });
  const ctx: ServiceContext = {
    db,
    principal: { kind: 'tenant', tenantId: t.tenant_id, userId: t.admin_user_id, role: 'admin' },
  };
  let stormId = '';
  for (let i = 0; i < 10; i++) {
    const storm = await createStorm(ctx, { event_id: `PROBE_${i}`, name: `probe ${i}` });
    if (i === 0) stormId = storm.storm_id;
    await importProperties(ctx, { storm_id: storm.storm_id, source: [demoCsv(i === 0 ? 20_000 : 50, 100 + i)] });
  }
  const model = await trainModel(ctx, {
    csv: { source: [historyCsv(5_000, 5)], sourceName: 'past.csv', treatmentCol: 'arm', outcomeCol: 'converted' },
  });
  await promoteModel(ctx, { model_id: model.model_id, stage: 'production' });
  await scoreStorm(ctx, { storm_id: stormId });
  await configurePolicy(ctx, {
    mode: 'custom',
    params: { crews: 20, doors_per_day: 60, days: 5, top_share: 0.5, hold_share: 0.2 },
  });
  await applyPolicy(ctx, { storm_id: stormId, mode: 'custom', seed: 1 });
  await sql`insert into knock (tenant_id, storm_id, property_id, canvasser, result, knocked_at, arm)
    select tenant_id, storm_id, property_id, 'crew', 'no_answer', now(), arm from assignment
    where storm_id = ${stormId} and arm = 'treat'`.execute(db.owner);
  await sql`insert into outcome (tenant_id, storm_id, property_id, converted, value_cents, idempotency_key, recorded_at)
    select tenant_id, storm_id, property_id, c, case when c then 1200000 else 0 end, property_id::text, now()
    from (select *, random() < case when arm = 'treat' then 0.25 else 0.12 end as c from assignment
          where storm_id = ${stormId} and arm in ('treat', 'hold') order by property_id limit 4000) a`.execute(
    db.owner,
  );
  const pick = async (q: ReturnType<typeof sql<{ id: string }>>) => (await q.execute(db.owner)).rows[0]!.id;
  return {
    tenantId: t.tenant_id,
    ctx,
    stormId,
    withOutcome: await pick(sql<{ id: string }>`select property_id::text as id from outcome
      where storm_id = ${stormId} order by property_id limit 1`),
    plain: await pick(sql<{ id: string }>`select property_id::text as id from property p where storm_id = ${stormId}
      and not exists (select 1 from outcome o where o.property_id = p.property_id) order by property_id desc limit 1`),
  };
}

/** Other tenants' storms and properties, set-based, as the owner; the indexes rebuilt after (each one sort). */
export async function fill(db: Database, log: (m: string) => void): Promise<void> {
  const tenants = TENANTS - 1;
  const perTenant = Math.ceil((STORMS - 10) / tenants);
  // 1% of storms hold half the properties, the rest share the other half.
  const bigStorms = Math.max(1, Math.floor((STORMS - 10) / 100));
  const big = Math.floor(PROPERTIES / 2 / bigStorms);
  const small = Math.max(1, Math.floor(PROPERTIES / 2 / (STORMS - 10 - bigStorms)));
  const q = (text: string) => sql.raw(text).execute(db.owner);
  let t0 = performance.now();
  await q(`insert into tenant (tenant_id, org_name, org_key, tier, admin_email)
    select gen_random_uuid(), 'Filler ' || g, 'filler-' || g, 'standard', 'a' || g || '@filler.example'
    from generate_series(1, ${tenants}) g`);
  await q(`insert into storm (tenant_id, event_id, name, status, created_at)
    select t.tenant_id, 'EV_' || s, 'storm ' || s, 'active', now() - s * interval '1 hour'
    from tenant t cross join generate_series(1, ${perTenant}) s where t.org_key like 'filler-%'`);
  log(`${tenants} tenants, ${tenants * perTenant} storms in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  t0 = performance.now();
  await q('alter table property drop constraint property_pkey, drop constraint property_address_key');
  await q('drop index property_storm_idx');
  await q(`insert into property (tenant_id, storm_id, address_key, address_line, city, state, zip, lat, lon,
      year_built, roof_age_years, roof_material, home_value_cents, square_feet, owner_occupied, prior_customer)
    select s.tenant_id, s.storm_id, i || ' MAIN ST|' || (73000 + i % 900), i || ' Main St', 'Moore', 'OK',
      (73000 + i % 900)::text, 35.3 + (i % 1000) * 0.0002, -97.6 + (i % 997) * 0.0002, 1950 + i % 70, (i % 30)::float8,
      'asphalt_shingle', (100000 + i % 400000)::bigint * 100, 900 + i % 3000, i % 3 > 0, i % 10 = 0
    from (select tenant_id, storm_id, row_number() over (order by storm_id) as k from storm
          where event_id like 'EV\\_%') s,
      generate_series(1, case when s.k <= ${bigStorms} then ${big} else ${small} end) i`);
  log(`properties in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  t0 = performance.now();
  await q("set maintenance_work_mem = '1GB'");
  await q('alter table property add constraint property_pkey primary key (tenant_id, property_id)');
  await q('alter table property add constraint property_address_key unique (tenant_id, storm_id, address_key)');
  await q('create index property_storm_idx on property (tenant_id, storm_id, property_id)');
  await q('vacuum analyze');
  log(`indexes and vacuum in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function child<T>(script: string, args: string[]): Promise<T> {
  return new Promise((ok, fail) => {
    const c = spawn(
      process.execPath,
      [...NODE_FLAGS, '--import', 'tsx', resolve(import.meta.dirname, script), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('exit', (code) => (code === 0 ? ok(JSON.parse(out) as T) : fail(new Error(`${script} exited ${code}`))));
  });
}

interface Timing {
  fresh: number;
  warm: number;
}

type Query = (ctx: ServiceContext, probe: Probe) => Promise<unknown>;

const QUERIES: Record<string, Query> = {
  'storm list': (ctx) => listStorms(ctx, { limit: 100 }),
  "a storm's property page (100, with its total)": (ctx, p) => listProperties(ctx, { storm_id: p.stormId, limit: 100 }),
  'one property by id (no storm given)': (ctx, p) =>
    ctx.db.withTenant(p.tenantId, (trx) =>
      trx.selectFrom('property').selectAll().where('property_id', '=', p.plain).executeTakeFirstOrThrow(),
    ),
  "a property's outcome log": (ctx, p) => outcomeHistory(ctx, { property_id: p.withOutcome }),
  'log an outcome': (ctx, p) => logOutcome(ctx, { storm_id: p.stormId, property_id: p.plain, converted: false }),
  "a tenant's property count": (ctx, p) =>
    ctx.db.withTenant(p.tenantId, (trx) =>
      trx
        .selectFrom('property')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  "the pilot report's aggregates": (ctx, p) => gatherPilotInputs(ctx, { storm_id: p.stormId }),
};

async function timeQueries(url: string, db: Database, probe: Probe): Promise<Record<string, Timing>> {
  const out: Record<string, Timing> = {};
  for (const [name, query] of Object.entries(QUERIES)) {
    const fresh: number[] = [];
    for (let i = 0; i < FRESH_RUNS; i++) {
      const own = await openDatabase({ kind: 'postgres', url });
      const t0 = performance.now();
      await query({ ...probe.ctx, db: own }, probe);
      fresh.push(performance.now() - t0);
      await own.close();
    }
    const warm: number[] = [];
    await query(probe.ctx, probe);
    for (let i = 0; i < WARM_RUNS; i++) {
      const t0 = performance.now();
      await query({ ...probe.ctx, db }, probe);
      warm.push(performance.now() - t0);
    }
    out[name] = { fresh: median(fresh), warm: median(warm) };
  }
  return out;
}

interface ImportResult {
  summary: { rows_read: number; inserted: number; elapsed_ms: number; rows_per_second: number };
  raw_copy_ms: number;
  max_rss_mb: number;
}

interface TouchResult {
  storms: number;
  ms: number;
  api_rss_mb: number;
  backend_rss_mb: number;
  backend_anon_mb: number;
}

async function touch(url: string, db: Database, tmpDir: string, name: string): Promise<TouchResult> {
  const rows = (
    await sql<{ tenant_id: string; storm_id: string }>`
      select tenant_id, storm_id from storm order by hashtext(storm_id::text) limit ${TOUCHED}`.execute(db.owner)
  ).rows;
  const lines: string[] = [];
  for (let i = 0; i < TOUCHED; i++) {
    const r = rows[i % rows.length]!;
    lines.push(`${r.tenant_id} ${r.storm_id}`);
  }
  const file = join(tmpDir, `touch-${name}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  return child<TouchResult>('storage-touch.ts', [url, file]);
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  if (!ctx.databaseUrl) {
    ctx.log('server Postgres: skipped (set STORMOPS_BENCH_DATABASE_URL)');
    return [];
  }
  const csv = join(ctx.tmpDir, 'properties-1m.csv');
  await writePropertiesCsv(csv, { properties: IMPORT_ROWS, seed: 2019 });
  const smallScratch = await createScratchDatabase(ctx.databaseUrl);
  const bigScratch = await createScratchDatabase(ctx.databaseUrl);
  const small = await openDatabase({ kind: 'postgres', url: smallScratch.url });
  const big = await openDatabase({ kind: 'postgres', url: bigScratch.url });
  try {
    await migrate(small);
    await migrate(big);
    ctx.log('probe tenant in both databases');
    const probeSmall = await makeProbe(small);
    await sql`vacuum analyze`.execute(small.owner);
    ctx.log(`filling the big database: ${STORMS} storms, ${TENANTS} tenants, ${PROPERTIES} properties`);
    await fill(big, ctx.log);
    const probeBig = await makeProbe(big);
    await sql`vacuum analyze`.execute(big.owner);
    const counts = (
      await sql<{ storms: number; properties: number; tenants: number }>`select
        (select count(*)::int from storm) as storms, (select count(*)::int from property) as properties,
        (select count(*)::int from tenant) as tenants`.execute(big.owner)
    ).rows[0]!;
    ctx.log(`big database: ${JSON.stringify(counts)}`);

    ctx.log('queries');
    const qs = await timeQueries(smallScratch.url, small, probeSmall);
    const qb = await timeQueries(bigScratch.url, big, probeBig);
    const figures: BenchFigure[] = [];
    for (const name of Object.keys(QUERIES)) {
      const s = qs[name]!;
      const b = qb[name]!;
      for (const kind of ['fresh', 'warm'] as const) {
        figures.push({
          name: `${name}, ${kind} connection: ${counts.storms} storms / 10`,
          value: b[kind] / s[kind],
          unit: 'x',
          target: { op: '<=', value: 2 },
          notes: `${b[kind].toFixed(2)} ms against ${s[kind].toFixed(2)} ms (median of ${kind === 'fresh' ? FRESH_RUNS : WARM_RUNS}${kind === 'fresh' ? ', each on a new pool: connect included' : ''})`,
        });
      }
    }

    ctx.log('memory after touching 1,000 storms');
    const ms = await touch(smallScratch.url, small, ctx.tmpDir, 'small');
    const mb = await touch(bigScratch.url, big, ctx.tmpDir, 'big');
    figures.push(
      {
        name: `API process RSS after reading ${TOUCHED} storms' first page (big database)`,
        value: mb.api_rss_mb,
        unit: 'MB',
        notes: `small database (its 10 storms ${TOUCHED / 10} times each): ${ms.api_rss_mb.toFixed(0)} MB; ${mb.ms.toFixed(0)} ms against ${ms.ms.toFixed(0)} ms for the ${TOUCHED} reads`,
      },
      {
        name: `Postgres backend's own memory (RssAnon) after ${TOUCHED} storms (big database)`,
        value: mb.backend_anon_mb,
        unit: 'MB',
        notes: `small database: ${ms.backend_anon_mb.toFixed(1)} MB; VmRSS ${mb.backend_rss_mb.toFixed(0)} / ${ms.backend_rss_mb.toFixed(0)} MB (includes shared buffers it touched)`,
      },
    );

    ctx.log('first import of 1,000,000 rows into a new storm');
    const trials: ImportResult[] = [];
    for (let i = 0; i < IMPORT_TRIALS; i++)
      trials.push(await child<ImportResult>('import-worker.ts', ['postgres', csv, bigScratch.url]));
    const smallTrial = await child<ImportResult>('import-worker.ts', ['postgres', csv, smallScratch.url]);
    const r = [...trials].sort((a, b) => a.summary.elapsed_ms - b.summary.elapsed_ms)[1] ?? trials[0]!;
    const ratios = trials.map((t) => t.summary.elapsed_ms / t.raw_copy_ms);
    figures.push(
      {
        name: `first import of 1M rows into a new storm, ${counts.storms} storms / ${counts.properties} properties`,
        value: r.summary.rows_per_second,
        unit: 'rows/s',
        target: { op: '>=', value: 150_000 },
        notes: `median of ${IMPORT_TRIALS}: ${(r.summary.elapsed_ms / 1000).toFixed(1)} s (${trials.map((t) => t.summary.rows_per_second).join(', ')} rows/s); into the 10-storm database ${smallTrial.summary.rows_per_second} rows/s; peak RSS ${Math.max(...trials.map((t) => t.max_rss_mb)).toFixed(0)} MB`,
      },
      {
        name: 'first import time / raw COPY of the same file beside it',
        value: median(ratios),
        unit: 'x',
        target: { op: '<=', value: 3 },
        notes: `median of ${IMPORT_TRIALS}: ${ratios.map((x) => x.toFixed(2)).join(', ')}; raw COPY ${trials.map((t) => (t.raw_copy_ms / 1000).toFixed(1)).join(', ')} s; 10-storm database ${(smallTrial.summary.elapsed_ms / smallTrial.raw_copy_ms).toFixed(2)}x`,
      },
    );
    return figures;
  } finally {
    await small.close();
    await big.close();
    if (!process.env['STORMOPS_STORAGE_KEEP']) {
      await smallScratch.drop();
      await bigScratch.drop();
    } else ctx.log(`kept: ${smallScratch.url} ${bigScratch.url}`);
  }
}
