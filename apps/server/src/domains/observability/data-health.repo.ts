/** SQL aggregates the data-health checks read: one pass per table, never rows to the application. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';

export interface PropertyStats {
  properties: number;
  missing_coordinates: number;
  missing_roof_age: number;
  missing_home_value: number;
  missing_zip: number;
  last_property_change: Date | null;
}

export async function propertyStats(trx: Trx, stormId: string): Promise<PropertyStats> {
  const r = await sql<Record<string, string | Date | null>>`
    select count(*) as properties,
      count(*) filter (where lat is null or lon is null) as missing_coordinates,
      count(*) filter (where roof_age_years is null) as missing_roof_age,
      count(*) filter (where home_value_cents is null) as missing_home_value,
      count(*) filter (where zip is null) as missing_zip,
      max(updated_at) as last_property_change
    from property where storm_id = ${stormId}`.execute(trx);
  const row = r.rows[0] ?? {};
  return {
    properties: Number(row['properties'] ?? 0),
    missing_coordinates: Number(row['missing_coordinates'] ?? 0),
    missing_roof_age: Number(row['missing_roof_age'] ?? 0),
    missing_home_value: Number(row['missing_home_value'] ?? 0),
    missing_zip: Number(row['missing_zip'] ?? 0),
    last_property_change: (row['last_property_change'] as Date | null) ?? null,
  };
}

/** Scored count and oldest score; `staleModel` when any score came from a model other than `productionId`. */
export async function scoreStats(trx: Trx, stormId: string, productionId: string | undefined) {
  const r = await sql<{ scored: string; oldest: Date | null; stale: boolean }>`
    select count(*) as scored, min(scored_at) as oldest,
      exists (select 1 from property_score where storm_id = ${stormId} and model_id is distinct from ${productionId ?? null}::uuid) as stale
    from property_score where storm_id = ${stormId}`.execute(trx);
  const row = r.rows[0];
  return {
    scored: Number(row?.scored ?? 0),
    oldest_scored_at: row?.oldest ?? null,
    stale_model: Boolean(row?.stale) && productionId !== undefined,
  };
}

export async function productionModel(trx: Trx) {
  return trx
    .selectFrom('uplift_model')
    .select(['model_id', 'version', 'score_reference', 'updated_at'])
    .where('name', '=', 'uplift')
    .where('stage', '=', 'production')
    .executeTakeFirst();
}

/** Arms with their current outcomes: n, conversions and revenue per arm. */
export async function armOutcomes(trx: Trx, stormId: string) {
  const r = await sql<{ arm: string; n: string; conversions: string; revenue_cents: string }>`
    select a.arm, count(*) as n, count(*) filter (where o.converted) as conversions, coalesce(sum(o.value_cents), 0) as revenue_cents
    from assignment a
    left join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
    where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    group by a.arm`.execute(trx);
  const out = { treat: { n: 0, conversions: 0, revenue_cents: 0 }, hold: { n: 0, conversions: 0, revenue_cents: 0 } };
  for (const row of r.rows) {
    if (row.arm === 'treat' || row.arm === 'hold') {
      out[row.arm] = {
        n: Number(row.n),
        conversions: Number(row.conversions),
        revenue_cents: Number(row.revenue_cents),
      };
    }
  }
  return out;
}

/** The hold-out share the storm's applied policy intended (among treated and held-out properties). */
/** The hold share the storm's homes were assigned under: each home's own run's share, averaged (batches differ). */
export async function intendedHoldShare(trx: Trx, stormId: string): Promise<number | null> {
  const r = await sql<{ share: string | null }>`
    select avg((r.params->>'hold_share')::float8) as share
    from assignment a join policy_run r on r.tenant_id = a.tenant_id and r.run_id = a.run_id
    where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')`.execute(trx);
  const v = r.rows[0]?.share;
  return v === undefined || v === null ? null : Number(v);
}

export async function contaminationStats(trx: Trx, stormId: string) {
  const r = await sql<{ knocks: string; contaminated_knocks: string; contaminated_properties: string }>`
    select count(*) as knocks, count(*) filter (where contaminated) as contaminated_knocks,
      count(distinct property_id) filter (where contaminated) as contaminated_properties
    from knock where storm_id = ${stormId}`.execute(trx);
  const row = r.rows[0];
  return {
    knocks: Number(row?.knocks ?? 0),
    contaminated_knocks: Number(row?.contaminated_knocks ?? 0),
    contaminated_properties: Number(row?.contaminated_properties ?? 0),
  };
}

/** Outcome freshness, and the lag from a property's first knock to its outcome being logged (hours). */
export async function outcomeTiming(trx: Trx, stormId: string) {
  const r = await sql<{
    outcomes: string;
    last_recorded: Date | null;
    lag_p50_h: number | null;
    lag_p90_h: number | null;
  }>`
    with first_knock as (
      select property_id, min(knocked_at) as at from knock where storm_id = ${stormId} group by property_id
    )
    select count(o.*) as outcomes, max(o.recorded_at) as last_recorded,
      percentile_cont(0.5) within group (order by extract(epoch from o.recorded_at - k.at) / 3600) as lag_p50_h,
      percentile_cont(0.9) within group (order by extract(epoch from o.recorded_at - k.at) / 3600) as lag_p90_h
    from outcome o left join first_knock k on k.property_id = o.property_id
    where o.storm_id = ${stormId} and o.is_current`.execute(trx);
  const row = r.rows[0];
  return {
    outcomes: Number(row?.outcomes ?? 0),
    last_recorded_at: row?.last_recorded ?? null,
    lag_p50_hours: row?.lag_p50_h === null || row?.lag_p50_h === undefined ? null : Number(row.lag_p50_h),
    lag_p90_hours: row?.lag_p90_h === null || row?.lag_p90_h === undefined ? null : Number(row.lag_p90_h),
  };
}

/** When the newest backup whose restore was verified was taken (an unverified backup does not count). */
export async function lastBackup(trx: Trx): Promise<Date | null> {
  const r = await sql<{
    at: Date | null;
  }>`select max(completed_at) as at from backup_log where verified_at is not null`.execute(trx);
  return r.rows[0]?.at ?? null;
}

/** Current uplift scores of the storm (one float per property). */
export async function upliftScores(trx: Trx, stormId: string): Promise<Float64Array> {
  const r = await sql<{ uplift: number }>`select uplift from property_score where storm_id = ${stormId}`.execute(trx);
  return Float64Array.from(r.rows, (x) => x.uplift);
}

export async function saveCheck(
  trx: Trx,
  row: { tenant_id: string; storm_id: string; kind: string; status: string; result: unknown },
): Promise<void> {
  await trx
    .insertInto('storm_health_check')
    .values({ ...row, result: JSON.stringify(row.result) })
    .execute();
}

export function history(trx: Trx, stormId: string, kind: string | undefined, limit: number) {
  let q = trx
    .selectFrom('storm_health_check')
    .select(['kind', 'status', 'result', 'checked_at'])
    .where('storm_id', '=', stormId)
    .orderBy('checked_at', 'desc')
    .limit(limit);
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}

/** The tenant's band for mean predicted uplift, or undefined when it keeps the playbook's. */
export function upliftBand(trx: Trx): Promise<{ low: number; high: number } | undefined> {
  return trx.selectFrom('uplift_band_setting').select(['low', 'high']).executeTakeFirst();
}

export async function setUpliftBand(
  trx: Trx,
  b: { tenantId: string; low: number; high: number; updatedBy: string },
): Promise<void> {
  await trx
    .insertInto('uplift_band_setting')
    .values({ tenant_id: b.tenantId, low: b.low, high: b.high, updated_by: b.updatedBy })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ low: b.low, high: b.high, updated_by: b.updatedBy, updated_at: new Date() }),
    )
    .execute();
}
