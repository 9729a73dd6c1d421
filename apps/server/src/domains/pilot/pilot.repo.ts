/**
 * The pilot's sufficient statistics from a storm's tables, in two set-based queries: per (score bucket, arm) over all
 * assigned homes (n, conversions, revenue, its sum of squares, knocked, score sum: arm totals, deciles and the Qini
 * curve all come from it), and the cumulative daily series of logged outcomes. Never a row per home to the app.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { ScoreBucket } from './pilot.schema.ts';

export const SCORE_BUCKETS = 100;

interface BucketRow {
  bucket: number;
  arm: 'treat' | 'hold';
  n: number;
  conversions: number;
  revenue_cents: number;
  revenue_sq_cents2: number;
  knocked: number;
  /** Homes with an outcome logged (coverage). */
  logged: number;
  score_sum: number;
}

export async function bucketRows(trx: Trx, stormId: string): Promise<BucketRow[]> {
  const r = await sql<BucketRow>`
    with a as (
      select tenant_id, property_id, arm, uplift,
        ntile(${SCORE_BUCKETS}) over (order by uplift desc nulls last, property_id) as bucket,
        exists (select 1 from knock k where k.tenant_id = x.tenant_id and k.storm_id = x.storm_id
          and k.property_id = x.property_id) as knocked
      from assignment x where storm_id = ${stormId} and arm in ('treat', 'hold')
    )
    select a.bucket::int as bucket, a.arm, count(*)::int as n,
      (count(*) filter (where o.converted))::int as conversions,
      coalesce(sum(o.value_cents), 0)::float8 as revenue_cents,
      coalesce(sum(o.value_cents::float8 * o.value_cents), 0)::float8 as revenue_sq_cents2,
      (count(*) filter (where a.knocked))::int as knocked,
      (count(o.property_id))::int as logged,
      coalesce(sum(a.uplift), 0)::float8 as score_sum
    from a
    left join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
      and o.storm_id = ${stormId}
    group by a.bucket, a.arm order by a.bucket, a.arm`.execute(trx);
  return r.rows;
}

export function armTotals(rows: readonly BucketRow[], arm: 'treat' | 'hold') {
  const mine = rows.filter((r) => r.arm === arm);
  const sum = (k: keyof BucketRow) => mine.reduce((s, r) => s + Number(r[k]), 0);
  const knocked = sum('knocked');
  return {
    n: sum('n'),
    conversions: sum('conversions'),
    revenue_cents: Math.round(sum('revenue_cents')),
    revenue_sq_cents2: sum('revenue_sq_cents2'),
    knocked,
    logged: sum('logged'),
    // A knocked hold home is contamination; treat homes cannot be contaminated.
    contaminated: arm === 'hold' ? knocked : 0,
  };
}

export function scoreBuckets(rows: readonly BucketRow[]): ScoreBucket[] {
  const buckets = [...new Set(rows.map((r) => r.bucket))].sort((a, b) => a - b);
  if (buckets.length < SCORE_BUCKETS) return []; // too few homes for percentile buckets: the report omits accuracy
  return buckets.map((bucket) => {
    const t = rows.find((r) => r.bucket === bucket && r.arm === 'treat');
    const h = rows.find((r) => r.bucket === bucket && r.arm === 'hold');
    const n = (t?.n ?? 0) + (h?.n ?? 0);
    return {
      bucket,
      predicted_uplift_mean: Math.max(-1, Math.min(1, ((t?.score_sum ?? 0) + (h?.score_sum ?? 0)) / Math.max(n, 1))),
      treat: { n: t?.n ?? 0, conversions: t?.conversions ?? 0 },
      hold: { n: h?.n ?? 0, conversions: h?.conversions ?? 0 },
    };
  });
}

/** Cumulative per arm by UTC day of logging: n counts homes whose outcome was logged by the end of that day. */
export async function dailySeries(trx: Trx, stormId: string) {
  const r = await sql<{ date: string; arm: 'treat' | 'hold'; n: number; conversions: number; revenue_cents: number }>`
    select to_char(d, 'YYYY-MM-DD') as date, arm,
      (sum(cnt) over w)::int as n, (sum(conv) over w)::int as conversions, (sum(rev) over w)::float8 as revenue_cents
    from (
      select (o.recorded_at at time zone 'UTC')::date as d, a.arm, count(*) as cnt,
        count(*) filter (where o.converted) as conv, coalesce(sum(o.value_cents), 0) as rev
      from outcome o join assignment a on a.tenant_id = o.tenant_id and a.property_id = o.property_id
      where o.storm_id = ${stormId} and o.is_current and a.arm in ('treat', 'hold')
      group by 1, 2
    ) per_day
    window w as (partition by arm order by d)
    order by d, arm`.execute(trx);
  const days = [...new Set(r.rows.map((x) => x.date))];
  const last = { treat: { n: 0, conversions: 0, revenue_cents: 0 }, hold: { n: 0, conversions: 0, revenue_cents: 0 } };
  return days.map((date) => {
    for (const arm of ['treat', 'hold'] as const) {
      const row = r.rows.find((x) => x.date === date && x.arm === arm);
      if (row) last[arm] = { n: row.n, conversions: row.conversions, revenue_cents: Math.round(row.revenue_cents) };
    }
    return { date, treat: { ...last.treat }, hold: { ...last.hold } };
  });
}

/**
 * Crew hours measured from the knock log: per canvasser and UTC day, the span from the first knock to the last plus
 * one door's time. Null when the log cannot measure time: no knocks, or knocks logged in bulk (the measured pace is
 * over three times the planned one), so the report falls back to the planned pace and says it estimated.
 */
export async function knockLogCrewHours(trx: Trx, stormId: string, doorsPerHour: number): Promise<number | null> {
  const r = await sql<{ hours: number | null; knocks: number }>`
    select sum(extract(epoch from last_at - first_at) / 3600 + ${1 / doorsPerHour}::float8)::float8 as hours,
      coalesce(sum(n), 0)::int as knocks
    from (
      select canvasser, (knocked_at at time zone 'UTC')::date, min(knocked_at) as first_at, max(knocked_at) as last_at,
        count(*) as n
      from knock where storm_id = ${stormId} group by 1, 2
    ) per_day`.execute(trx);
  const { hours, knocks } = r.rows[0] ?? { hours: null, knocks: 0 };
  if (!hours || knocks === 0 || knocks / hours > 3 * doorsPerHour) return null;
  return hours;
}

/** The report's segment dimensions and the order of their bands (null: ZIPs, ordered by size); the SQL names them. */
export const SEGMENT_DIMENSIONS = {
  zip: null,
  roof_age: ['under 10 years', '10-19 years', '20+ years', 'unknown'],
  hail_size: ['under 1 in', '1-1.74 in', '1.75-2.49 in', '2.5+ in', 'unknown'],
  home_value: ['under $200k', '$200k-$399k', '$400k+', 'unknown'],
} as const;
export type SegmentDimension = keyof typeof SEGMENT_DIMENSIONS;
/** ZIPs beyond the largest this many are pooled as "other ZIPs". */
export const MAX_ZIP_SEGMENTS = 15;

/** Counts per (dimension, value, arm) over the assigned homes, one pass with grouping sets. */
export async function segmentRows(trx: Trx, stormId: string) {
  const r = await sql<{
    dimension: SegmentDimension;
    value: string;
    arm: 'treat' | 'hold';
    n: number;
    conversions: number;
  }>`
    with u as (
      select a.arm, coalesce(p.zip, 'unknown') as zip,
        case when p.roof_age_years is null then 'unknown' when p.roof_age_years < 10 then 'under 10 years'
          when p.roof_age_years < 20 then '10-19 years' else '20+ years' end as roof_age,
        case when p.max_hail_in is null then 'unknown' when p.max_hail_in < 1 then 'under 1 in'
          when p.max_hail_in < 1.75 then '1-1.74 in' when p.max_hail_in < 2.5 then '1.75-2.49 in' else '2.5+ in' end as hail_size,
        case when p.home_value_cents is null then 'unknown' when p.home_value_cents < 20000000 then 'under $200k'
          when p.home_value_cents < 40000000 then '$200k-$399k' else '$400k+' end as home_value,
        coalesce(o.converted, false) as converted
      from assignment a
      join property p on p.tenant_id = a.tenant_id and p.storm_id = a.storm_id and p.property_id = a.property_id
      left join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
        and o.storm_id = ${stormId}
      where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    )
    select case when grouping(zip) = 0 then 'zip' when grouping(roof_age) = 0 then 'roof_age'
        when grouping(hail_size) = 0 then 'hail_size' else 'home_value' end as dimension,
      coalesce(zip, roof_age, hail_size, home_value) as value, arm,
      count(*)::int as n, (count(*) filter (where converted))::int as conversions
    from u
    group by grouping sets ((arm, zip), (arm, roof_age), (arm, hail_size), (arm, home_value))`.execute(trx);
  return r.rows;
}

/** Per policy batch and arm: the batch's design (its latest run) and counts over the assigned homes. */
export async function batchRows(trx: Trx, stormId: string) {
  const r = await sql<{
    batch: number;
    arm: 'treat' | 'hold';
    n: number;
    conversions: number;
  }>`
    select r.batch, a.arm, count(*)::int as n, (count(*) filter (where o.converted))::int as conversions
    from assignment a
    join policy_run r on r.tenant_id = a.tenant_id and r.run_id = a.run_id
    left join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
        and o.storm_id = ${stormId}
    where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    group by r.batch, a.arm order by r.batch, a.arm`.execute(trx);
  const designs = await sql<{ batch: number; mode: string; version: number; hold_share: number }>`
    select distinct on (batch) batch, mode, version, (params->>'hold_share')::float8 as hold_share
    from policy_run where storm_id = ${stormId} and not shadow
    order by batch, created_at desc, seq desc`.execute(trx);
  return designs.rows.map((d) => {
    const arm = (a: 'treat' | 'hold') => {
      const row = r.rows.find((x) => x.batch === d.batch && x.arm === a);
      return { n: row?.n ?? 0, conversions: row?.conversions ?? 0 };
    };
    return { ...d, mode: d.mode as 'moderate', treat: arm('treat'), hold: arm('hold') };
  });
}

/** The policy run that assigned the storm's arms (the latest applied, not shadow). */
export async function appliedRun(trx: Trx, stormId: string) {
  const r = await sql<{ mode: string; version: number; params: Record<string, number> }>`
    select mode, version, params from policy_run where storm_id = ${stormId} and not shadow order by created_at desc, seq desc limit 1`.execute(
    trx,
  );
  return r.rows[0];
}
