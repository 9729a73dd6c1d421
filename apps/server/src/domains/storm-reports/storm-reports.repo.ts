/**
 * SQL for storm reports and exposure: the reports staged and inserted (a repeat adds nothing), the storm's property
 * coordinates by pages, its hail or wind reports, and every property's exposure staged and stored. Runs inside the
 * caller's bulk transaction (row-level security on the tenant).
 */
import { stagedCopy, type BulkTx, type CopyText } from '../../db/bulk.ts';

/** COPY text rows of `REPORT_COLUMNS`, in that order (copyLine). */
export const REPORT_COLUMNS = `kind text, occurred_at timestamptz, magnitude double precision, location text, county text,
  state text, lat double precision, lon double precision, office text, comments text, source_file text, source_row integer`;

/** Inserts the staged reports into the storm; the ones it already holds are skipped. Returns how many were new. */
export function insertReports(
  tx: BulkTx,
  tenantId: string,
  stormId: string,
  rows: AsyncIterable<CopyText> | Iterable<CopyText>,
): Promise<number> {
  return stagedCopy(tx, {
    stage: 'report_stage',
    columns: REPORT_COLUMNS,
    rows,
    insert: `insert into storm_report (tenant_id, storm_id, kind, occurred_at, magnitude, location, county, state, lat, lon, office, comments, source_file, source_row)
       select $1::uuid, $2::uuid, kind, occurred_at, magnitude, location, county, state, lat, lon, office, comments, source_file, source_row from report_stage
       on conflict (tenant_id, storm_id, kind, occurred_at, lat, lon, location) do nothing`,
    params: [tenantId, stormId],
  });
}

/** One page of the storm's properties in id order, after `after`: their coordinates (null when not located). */
export function propertyPointsPage(tx: BulkTx, stormId: string, after: string, limit: number) {
  return tx.query<{ property_id: string; lat: number | null; lon: number | null }>(
    'select property_id, lat, lon from property where storm_id = $1 and property_id > $2 order by property_id limit $3',
    [stormId, after, limit],
  );
}

/** The storm's reports of one kind: where, and how big (hail inches, wind knots). */
export function reportPoints(tx: BulkTx, stormId: string, kind: 'hail' | 'wind') {
  return tx.query<{ lat: number; lon: number; magnitude: number | null }>(
    'select lat, lon, magnitude from storm_report where storm_id = $1 and kind = $2',
    [stormId, kind],
  );
}

/** COPY text rows of `EXPOSURE_COLUMNS`, in that order. */
export const EXPOSURE_COLUMNS = `property_id uuid, max_hail_in double precision, hail_reports_within integer,
  nearest_hail_mi double precision, max_wind_kt double precision`;

/** Stores every staged property's exposure, with the radius it was measured at. */
export function storeExposure(
  tx: BulkTx,
  tenantId: string,
  stormId: string,
  radiusMiles: number,
  rows: AsyncIterable<CopyText> | Iterable<CopyText>,
): Promise<number> {
  return stagedCopy(tx, {
    stage: 'exposure_stage',
    columns: EXPOSURE_COLUMNS,
    rows,
    insert: `update property p set max_hail_in = s.max_hail_in, hail_reports_within = s.hail_reports_within,
       nearest_hail_mi = s.nearest_hail_mi, max_wind_kt = s.max_wind_kt, exposure_radius_mi = $3, exposure_at = now()
     from exposure_stage s where p.tenant_id = $1 and p.storm_id = $2 and p.property_id = s.property_id`,
    params: [tenantId, stormId, radiusMiles],
  });
}
