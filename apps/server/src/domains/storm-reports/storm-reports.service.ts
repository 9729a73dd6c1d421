/**
 * Storm reports and exposure: NOAA SPC daily reports imported into a storm (all or nothing; a repeat adds nothing),
 * then every property's exposure computed with a spatial grid and stored on the property: largest hail within the
 * radius, hail reports within it, distance to the nearest hail report, strongest wind within the radius.
 */
import { rowTicker, type StepProgress } from '../../jobs/progress.ts';
import { AppError } from '../../errors.ts';
import type { BulkTx } from '../../db/bulk.ts';
import { copyLine } from '../../db/bulk.ts';
import * as repo from './storm-reports.repo.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { computeExposure, type ReportPoints } from './exposure.ts';
import { parseSpcReports, type StormReport } from './spc-parser.ts';
import { parse } from '../validate.ts';
import {
  importReportsInput,
  recomputeExposureInput,
  type ImportReportsInput,
  type RecomputeExposureInput,
} from './storm-reports.schema.ts';

export interface ExposureSummary {
  properties: number;
  with_hail_within_radius: number;
  max_hail_in: number;
  radius_mi: number;
  elapsed_ms: number;
}

export interface ImportReportsSummary {
  storm_id: string;
  file: string;
  read: { hail: number; wind: number; tornado: number };
  inserted: number;
  already_present: number;
  exposure: ExposureSummary;
}

export async function importStormReports(
  ctx: ServiceContext,
  options: ImportReportsInput,
): Promise<ImportReportsSummary> {
  authorize(ctx, 'properties:write');
  const input = parse(importReportsInput, options);
  const radius = input.radius;
  // The storm first (exists in the caller's tenant): nothing of the file is parsed for a caller who cannot use it.
  const tenantId = await withStorm(ctx, input.storm_id, async (_trx, storm) => storm.tenant_id);
  let parsed: ReturnType<typeof parseSpcReports>;
  try {
    parsed = parseSpcReports(input.text, { fileName: input.file_name, ...(input.date ? { date: input.date } : {}) });
  } catch (err) {
    throw new AppError('VALIDATION', `${input.file_name}: ${(err as Error).message}`, { file: input.file_name });
  }
  const first = parsed.errors[0];
  if (first) {
    throw new AppError(
      'VALIDATION',
      `${first.file}, row ${first.row}, column ${first.column}: ${first.reason} (value ${JSON.stringify(first.value)}); nothing imported`,
      {
        file: first.file,
        errors: parsed.errors.slice(0, 100),
        invalid: parsed.errors.length,
      },
    );
  }
  if (parsed.reports.length === 0)
    throw new AppError('VALIDATION', `${input.file_name}: no storm reports in the file`, { file: input.file_name });
  return ctx.db.withTenantBulk(tenantId, async (tx) => {
    const inserted = await insertReports(tx, tenantId, input.storm_id, parsed.reports);
    const exposure = await updateExposure(tx, tenantId, input.storm_id, radius);
    const read = { hail: 0, wind: 0, tornado: 0 };
    for (const r of parsed.reports) read[r.kind]++;
    return {
      storm_id: input.storm_id,
      file: input.file_name,
      read,
      inserted,
      already_present: parsed.reports.length - inserted,
      exposure,
    };
  });
}

async function insertReports(
  tx: BulkTx,
  tenantId: string,
  stormId: string,
  reports: readonly StormReport[],
): Promise<number> {
  const lines = (async function* () {
    for (const r of reports) {
      yield copyLine([
        r.kind,
        r.occurredAt.toISOString(),
        r.magnitude,
        r.location,
        r.county,
        r.state,
        r.lat,
        r.lon,
        r.office,
        r.comments,
        r.source.file,
        r.source.row,
      ]);
    }
  })();
  return repo.insertReports(tx, tenantId, stormId, lines);
}

const PAGE = 50_000;

/** Loads the storm's property coordinates page by page into typed arrays (never one object per row for all rows). */
async function loadPoints(
  tx: BulkTx,
  stormId: string,
): Promise<{ ids: string[]; lat: Float64Array; lon: Float64Array }> {
  const ids: string[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await repo.propertyPointsPage(tx, stormId, after, PAGE);
    for (const p of page) {
      ids.push(p.property_id);
      lats.push(p.lat ?? NaN);
      lons.push(p.lon ?? NaN);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.property_id ?? after;
  }
  return { ids, lat: Float64Array.from(lats), lon: Float64Array.from(lons) };
}

async function loadReports(tx: BulkTx, stormId: string, kind: 'hail' | 'wind'): Promise<ReportPoints> {
  const rows = await repo.reportPoints(tx, stormId, kind);
  return {
    lat: Float64Array.from(rows, (r) => r.lat),
    lon: Float64Array.from(rows, (r) => r.lon),
    magnitude: Float64Array.from(rows, (r) => r.magnitude ?? NaN),
  };
}

/** Recomputes and stores the exposure of every property of the storm (inside the caller's transaction). */
export async function updateExposure(
  tx: BulkTx,
  tenantId: string,
  stormId: string,
  radiusMiles: number,
  onProgress?: StepProgress,
): Promise<ExposureSummary> {
  const started = performance.now();
  onProgress?.({ step: 'reading properties', done: 0, total: null });
  const points = await loadPoints(tx, stormId);
  onProgress?.({ step: 'measuring exposure', done: 0, total: points.ids.length });
  const hail = await loadReports(tx, stormId, 'hail');
  const wind = await loadReports(tx, stormId, 'wind');
  const e = computeExposure(points, hail, wind, { radiusMiles });
  let withHail = 0;
  let maxHail = 0;
  const ticker = rowTicker(onProgress, 'writing exposure', points.ids.length);
  const lines = (async function* () {
    for (let i = 0; i < points.ids.length; i++) {
      ticker.add();
      const h = e.maxHailInches[i] ?? 0;
      if ((e.hailReportsWithin[i] ?? 0) > 0) withHail++;
      if (h > maxHail) maxHail = h;
      const nearest = e.nearestHailMiles[i] ?? Infinity;
      yield copyLine([
        points.ids[i],
        h,
        e.hailReportsWithin[i],
        Number.isFinite(nearest) ? nearest : null,
        e.maxWindKnots[i],
      ]);
    }
  })();
  await repo.storeExposure(tx, tenantId, stormId, radiusMiles, lines);
  onProgress?.({ step: 'storing exposure', done: points.ids.length, total: points.ids.length });
  return {
    properties: points.ids.length,
    with_hail_within_radius: withHail,
    max_hail_in: maxHail,
    radius_mi: radiusMiles,
    elapsed_ms: Math.round(performance.now() - started),
  };
}

/** Recomputes exposure for a storm on demand (e.g. after more properties were imported, or with another radius). */
export async function recomputeExposure(
  ctx: ServiceContext,
  options: RecomputeExposureInput,
  onProgress?: StepProgress,
): Promise<ExposureSummary> {
  authorize(ctx, 'properties:write');
  const { storm_id, radius } = parse(recomputeExposureInput, options);
  const tenantId = await withStorm(ctx, storm_id, async (_trx, storm) => storm.tenant_id);
  return ctx.db.withTenantBulk(tenantId, (tx) => updateExposure(tx, tenantId, storm_id, radius, onProgress));
}
