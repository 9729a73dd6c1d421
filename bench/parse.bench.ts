/**
 * The pure import core at scale: a 1,000,000-row generated CSV (okc-2013-05-20, 17 columns) through
 * parse + map + validate + normalize + in-file dedupe (as property objects, and as the import packs it into COPY
 * chunks), and exposure of 1,000,000 properties to 10,000 hail and
 * 5,000 wind reports. No database: this is the ceiling the Postgres import runs under.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchFigure } from './harness.ts';
import { writePropertiesCsv } from '../apps/server/src/domains/demo/properties-csv.ts';
import { mulberry32 } from '../apps/server/src/domains/demo/random.ts';
import { openCsv } from '../apps/server/src/lib/csv/reader.ts';
import { ChunkPacker } from '../apps/server/src/domains/properties/import-chunks.ts';
import { importIdPrefix } from '../apps/server/src/domains/properties/property-ids.ts';
import { openPropertyImport, openPropertyLoad } from '../apps/server/src/domains/properties/property-import.ts';
import { computeExposure, type ReportPoints } from '../apps/server/src/domains/storm-reports/exposure.ts';

const ROWS = 1_000_000;

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const path = join(ctx.tmpDir, 'properties-1m.csv');
  const lat = new Float64Array(ROWS);
  const lon = new Float64Array(ROWS);
  let at = 0;
  let start = performance.now();
  const written = await writePropertiesCsv(path, {
    properties: ROWS,
    seed: 2013,
    onProperty: (p) => {
      lat[at] = p.lat;
      lon[at++] = p.lon;
    },
  });
  const generateMs = performance.now() - start;
  ctx.log(
    `generated ${written.rows} rows, ${(written.bytes / 1e6).toFixed(0)} MB in ${(generateMs / 1000).toFixed(1)} s`,
  );

  // The reader alone (decode + tokenize + field-count checks), to show where the time of the full import goes.
  start = performance.now();
  const csv = await openCsv(createReadStream(path, { highWaterMark: 1 << 20 }));
  let records = 0;
  for await (const batch of csv.batches) records += batch.length;
  const readMs = performance.now() - start;
  ctx.log(`read ${records} records (openCsv only) in ${(readMs / 1000).toFixed(2)} s`);

  start = performance.now();
  const cpu0 = process.cpuUsage();
  const imp = await openPropertyImport(createReadStream(path, { highWaterMark: 1 << 20 }), { currentYear: 2025 });
  let imported = 0;
  let errors = 0;
  for await (const batch of imp.batches) {
    imported += batch.properties.length;
    errors += batch.errors.length;
  }
  const importMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  ctx.log(
    `imported ${imported}, ${errors} row errors, ${imp.stats.duplicates} duplicates in ${(importMs / 1000).toFixed(2)} s (CPU ${(cpuMs / 1000).toFixed(2)} s)`,
  );
  if (imported !== ROWS) throw new Error(`expected ${ROWS} properties, got ${imported} (${errors} errors)`);

  // What the import itself runs: the same, packed into binary COPY chunks, plain lines through the byte lane.
  start = performance.now();
  const loadCpu0 = process.cpuUsage();
  const load = await openPropertyLoad(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    { currentYear: 2025 },
    new ChunkPacker(importIdPrefix()),
  );
  let packedBytes = 0;
  for await (const batch of load.batches) for (const c of batch.chunks) packedBytes += c.length;
  const loadMs = performance.now() - start;
  const loadCpu = process.cpuUsage(loadCpu0);
  ctx.log(
    `packed ${load.stats.imported} rows into ${(packedBytes / 1e6).toFixed(0)} MB of COPY chunks in ${(loadMs / 1000).toFixed(2)} s`,
  );
  if (load.stats.imported !== ROWS) throw new Error(`expected ${ROWS} packed rows, got ${load.stats.imported}`);

  const hail = syntheticReports(10_000, 11, 0.75, 4.5);
  const wind = syntheticReports(5_000, 12, 50, 90);
  start = performance.now();
  const exposureCpu0 = process.cpuUsage();
  const exposure = computeExposure({ lat, lon }, hail, wind, { radiusMiles: 5 });
  const exposureMs = performance.now() - start;
  const exposureCpu = process.cpuUsage(exposureCpu0);
  let exposed = 0;
  for (let i = 0; i < ROWS; i++) if (exposure.maxHailInches[i]! > 0) exposed++;
  ctx.log(`exposure: ${exposed} of ${ROWS} properties within 5 mi of hail`);

  return [
    {
      name: 'parse+map+validate+normalize+dedupe, 1M rows x 17 columns',
      value: (ROWS / importMs) * 1000,
      unit: 'rows/s',
      target: { op: '>=', value: 1_000_000 },
      notes: `wall ${(importMs / 1000).toFixed(2)} s; file ${(written.bytes / 1e6).toFixed(0)} MB; one thread`,
    },
    {
      name: 'the import path: the same packed into COPY chunks (openPropertyLoad, byte lane), 1M rows',
      value: (ROWS / loadMs) * 1000,
      unit: 'rows/s',
      notes: `wall ${(loadMs / 1000).toFixed(2)} s, CPU ${((loadCpu.user + loadCpu.system) / 1e6).toFixed(2)} s; ${(packedBytes / 1e6).toFixed(0)} MB of binary COPY rows`,
    },
    {
      name: 'CSV read + tokenize only (openCsv), 1M rows',
      value: (records / readMs) * 1000,
      unit: 'rows/s',
      notes: 'UTF-8 decode, RFC 4180 tokenizing, field-count checks; no mapping or validation',
    },
    {
      name: 'same, per CPU second',
      value: (ROWS / cpuMs) * 1000,
      unit: 'rows/cpu-s',
      notes: 'user+system CPU of the process (includes GC threads), less sensitive to a busy machine',
    },
    {
      name: 'exposure: 1M properties vs 10k hail + 5k wind reports',
      value: exposureMs,
      unit: 'ms',
      target: { op: '<=', value: 10_000 },
      notes: '5-mile radius max hail/count, nearest hail at any distance, max wind; grid index',
    },
    {
      name: 'exposure, CPU time',
      value: (exposureCpu.user + exposureCpu.system) / 1000,
      unit: 'ms',
      notes: 'user+system CPU of the same call; on a busy machine wall time can be a multiple of it',
    },
    { name: 'generate 1M-row CSV (writePropertiesCsv)', value: generateMs, unit: 'ms' },
  ];
}

/** A stress case: 20% in the Oklahoma City metro (2,000 hail reports in ~35 x 28 miles), 80% across the Plains. */
function syntheticReports(n: number, seed: number, lo: number, hi: number): ReportPoints {
  const rng = mulberry32(seed);
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const magnitude = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const metro = i % 5 === 0;
    lat[i] = metro ? 35.2 + rng() * 0.5 : 30 + rng() * 15;
    lon[i] = metro ? -97.8 + rng() * 0.5 : -105 + rng() * 20;
    magnitude[i] = Math.round((lo + (hi - lo) * rng() ** 2) * 4) / 4;
  }
  return { lat, lon, magnitude };
}
