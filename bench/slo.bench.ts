/**
 * SLO figures: the in-process cost per request of the telemetry hook's work (Prometheus histogram + SLO recorder),
 * the flush of one busy minute, and the dashboard and one evaluation over 30 days of minute buckets (6 series:
 * requests + 5 latency bounds, 259,200 rows) on PGlite, and on server Postgres when a URL is given.
 */
import { createScratchDatabase } from '../apps/server/test/databases.ts';
import { openDatabase, type Database } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { PLATFORM } from '../apps/server/src/domains/auth/principal.ts';
import { MetricRecorder } from '../apps/server/src/domains/slo/slo.recorder.ts';
import { addToBuckets, type BucketDelta } from '../apps/server/src/domains/slo/slo.repo.ts';
import { HTTP_SERIES, LATENCY_BOUNDS_MS, latencySeries } from '../apps/server/src/domains/slo/slo.schema.ts';
import { evaluateSlos, getSloDashboard } from '../apps/server/src/domains/slo/slo.service.ts';
import { manualClock } from '../apps/server/src/lib/clock.ts';
import { createHttpMetrics } from '../apps/server/src/telemetry/metrics.ts';
import type { BenchContext, BenchFigure } from './harness.ts';

const MIN = 60_000;
const NOW = new Date('2031-09-01T00:00:00Z');

function perRequestNs(db: Database): number {
  const recorder = new MetricRecorder(db, { flushEveryMs: 0 });
  const http = createHttpMetrics();
  const routes = ['/v1/storms/:storm_id', '/v1/storms', '/v1/tenants', '/v1/storms/:storm_id/properties'];
  const n = 300_000;
  const at = new Date('2031-01-01T00:00:00Z');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const status = i % 97 === 0 ? 500 : 200;
    const s = (i % 50) / 100;
    http.observe(routes[i % 4] as string, 'GET', status, s);
    recorder.recordRequest(status, s, at);
  }
  return Number(process.hrtime.bigint() - t0) / n;
}

async function seedMonth(db: Database): Promise<void> {
  const series = [HTTP_SERIES, ...LATENCY_BOUNDS_MS.map(latencySeries)];
  const rows: BucketDelta[] = [];
  for (let m = 30 * 1440; m >= 1; m--) {
    const bucketStart = new Date(NOW.getTime() - m * MIN);
    for (const s of series) rows.push({ series: s, bucketStart, good: 995 + (m % 5), total: 1000 });
  }
  for (let i = 0; i < rows.length; i += 5000)
    await db.withPlatform((trx) => addToBuckets(trx, rows.slice(i, i + 5000)));
}

async function median(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

async function figuresFor(db: Database, label: string, log: (m: string) => void): Promise<BenchFigure[]> {
  await migrate(db);
  log(`${label}: seeding 30 days of minute buckets`);
  const t0 = performance.now();
  await seedMonth(db);
  const seedMs = performance.now() - t0;
  const clock = manualClock(NOW);
  const ctx = { db, principal: PLATFORM };
  const dashboardMs = await median(() => getSloDashboard(ctx, { hours: 24 }, { clock }));
  const evaluateMs = await median(() => evaluateSlos(ctx, { clock }));
  // One busy minute of 40 routes' worth of requests flushed: 6 cells per minute per instance.
  const recorder = new MetricRecorder(db, { flushEveryMs: 0, clock });
  const flushMs = await median(async () => {
    for (let i = 0; i < 1000; i++) recorder.recordRequest(200, 0.05, new Date(NOW.getTime() + 5 * MIN));
    await recorder.flush();
  });
  return [
    {
      name: `dashboard over 30 days of minute buckets (${label})`,
      value: dashboardMs,
      unit: 'ms',
      target: { op: '<=', value: 1000 },
      notes: '4 SLOs, 259,200 bucket rows, median of 7',
    },
    {
      name: `one SLO evaluation pass (${label})`,
      value: evaluateMs,
      unit: 'ms',
      notes: 'rules for 4 SLOs + incident sync, median of 7',
    },
    {
      name: `recorder flush of a busy minute (${label})`,
      value: flushMs,
      unit: 'ms',
      notes: '1,000 requests -> 6 upserted cells',
    },
    { name: `seeding 259,200 bucket rows (${label})`, value: seedMs, unit: 'ms' },
  ];
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const mem = await openDatabase({ kind: 'pglite-memory' });
  try {
    figures.push({
      name: 'telemetry work per request (histogram + SLO recorder)',
      value: perRequestNs(mem),
      unit: 'ns',
      target: { op: '<=', value: 10_000 },
      notes: 'in-process, no I/O: the request never waits on the database',
    });
    figures.push(...(await figuresFor(mem, 'PGlite', ctx.log)));
  } finally {
    await mem.close();
  }
  if (ctx.databaseUrl) {
    const scratch = await createScratchDatabase(ctx.databaseUrl);
    const db = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      figures.push(...(await figuresFor(db, 'server Postgres', ctx.log)));
    } finally {
      await db.close();
      await scratch.drop();
    }
  }
  return figures;
}
