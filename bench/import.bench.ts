/**
 * Property import of a 1,000,000-row generated CSV (17 columns): end to end with validation and dedupe on server
 * Postgres (beside a raw COPY of the same file into a bare table) and on embedded PGlite, each in its own process
 * for an honest peak RSS; and exposure of the million properties against 10,000 hail reports in the database.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { writePropertiesCsv } from '../apps/server/src/domains/demo/properties-csv.ts';
import { createScratchDatabase } from '../apps/server/test/databases.ts';
import type { BenchContext, BenchFigure } from './harness.ts';
import { NODE_FLAGS } from '../apps/server/bin/node-flags.mjs';

const ROWS = 1_000_000;

interface WorkerResult {
  summary: { rows_read: number; inserted: number; elapsed_ms: number; rows_per_second: number };
  raw_copy_ms?: number;
  max_rss_mb: number;
  /** CPU of the import process during the import, in microseconds. */
  cpu: { user: number; system: number };
}

function worker(args: string[]): Promise<WorkerResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', resolve(import.meta.dirname, 'import-worker.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out) as WorkerResult) : fail(new Error(`import worker exited ${code}`))));
  });
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const file = join(ctx.tmpDir, 'properties-1m.csv');
  const written = await writePropertiesCsv(file, { properties: ROWS, seed: 2013 });
  ctx.log(`generated ${written.rows} rows, ${(written.bytes / 1e6).toFixed(0)} MB`);
  const figures: BenchFigure[] = [];
  if (ctx.databaseUrl) {
    const scratch = await createScratchDatabase(ctx.databaseUrl);
    try {
      const r = await worker(['postgres', file, scratch.url]);
      const ratio = r.summary.elapsed_ms / (r.raw_copy_ms ?? NaN);
      figures.push(
        {
          name: 'import 1M rows, server Postgres, end to end',
          value: r.summary.rows_per_second,
          unit: 'rows/s',
          target: { op: '>=', value: 200_000 },
          notes: `${(r.summary.elapsed_ms / 1000).toFixed(1)} s; the import process's CPU ${((r.cpu.user + r.cpu.system) / 1e6).toFixed(1)} s`,
        },
        { name: 'raw COPY of the same file into a bare table', value: r.raw_copy_ms ?? NaN, unit: 'ms' },
        { name: 'import time / raw COPY time', value: ratio, unit: 'x', target: { op: '<=', value: 2.5 } },
        { name: 'import peak RSS (server Postgres)', value: r.max_rss_mb, unit: 'MB', target: { op: '<', value: 500 } },
      );
    } finally {
      await scratch.drop();
    }
  } else ctx.log('server Postgres: skipped (set STORMOPS_BENCH_DATABASE_URL)');
  const p = await worker(['pglite', file]);
  figures.push(
    { name: 'import 1M rows, embedded PGlite, end to end', value: p.summary.rows_per_second, unit: 'rows/s', target: { op: '>=', value: 60_000 }, notes: `${(p.summary.elapsed_ms / 1000).toFixed(1)} s` },
    { name: 'import peak RSS (PGlite, includes the embedded database)', value: p.max_rss_mb, unit: 'MB', notes: 'PGlite itself holds ~1 GB (STACK.md)' },
  );
  return figures;
}
