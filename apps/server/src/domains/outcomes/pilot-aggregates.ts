/**
 * Sufficient statistics for the pilot report (domains/pilot, `PilotInputs`), each one GROUP BY over the storm's arms
 * joined to current outcomes and knocks: per-arm totals with sums of squares, a daily cumulative series, and
 * predicted-uplift buckets (ntile over both arms; 10 buckets = the decile table). Plain objects, no unit rows.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import type { ArmInputs, DailyPoint, PolicyInputs, ScoreBucket } from '../pilot/pilot.schema.ts';
import type { PolicyMode } from '../policy/policy.schema.ts';

type Arm = 'treat' | 'hold';
const ARMS: Arm[] = ['treat', 'hold'];

/** Per arm: units, conversions, revenue and its sum of squares (cents), knocked units, contaminated units. */
export async function armTotals(trx: Trx, stormId: string): Promise<Record<Arm, ArmInputs>> {
  const r = await sql<{
    arm: Arm;
    n: string;
    conversions: string;
    revenue: string | null;
    revenue_sq: number | null;
    knocked: string;
  }>`
    select a.arm, count(*) as n, count(*) filter (where o.converted) as conversions,
      sum(o.value_cents) filter (where o.converted) as revenue,
      sum(o.value_cents::float8 * o.value_cents::float8) filter (where o.converted) as revenue_sq,
      count(k.property_id) as knocked
    from assignment a
    left join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
    left join (select distinct property_id from knock where storm_id = ${stormId}) k on k.property_id = a.property_id
    where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    group by a.arm`.execute(trx);
  const out = {} as Record<Arm, ArmInputs>;
  for (const arm of ARMS) {
    const row = r.rows.find((x) => x.arm === arm);
    const knocked = Number(row?.knocked ?? 0);
    out[arm] = {
      n: Number(row?.n ?? 0),
      conversions: Number(row?.conversions ?? 0),
      revenue_cents: Number(row?.revenue ?? 0),
      revenue_sq_cents2: Number(row?.revenue_sq ?? 0),
      knocked,
      contaminated: arm === 'hold' ? knocked : 0,
    };
  }
  return out;
}

/** Cumulative observed units (a current outcome recorded), conversions and revenue per arm at the end of each UTC day. */
export async function dailySeries(trx: Trx, stormId: string): Promise<DailyPoint[]> {
  const r = await sql<{ day: string; arm: Arm; n: string; c: string; rev: string | null }>`
    select to_char(o.recorded_at at time zone 'UTC', 'YYYY-MM-DD') as day, a.arm, count(*) as n,
      count(*) filter (where o.converted) as c, sum(o.value_cents) filter (where o.converted) as rev
    from assignment a join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
    where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    group by 1, 2 order by 1`.execute(trx);
  const days = [...new Set(r.rows.map((x) => x.day))].sort();
  const run = { treat: { n: 0, conversions: 0, revenue_cents: 0 }, hold: { n: 0, conversions: 0, revenue_cents: 0 } };
  const points = days.map((date) => {
    for (const row of r.rows.filter((x) => x.day === date)) {
      const t = run[row.arm];
      t.n += Number(row.n);
      t.conversions += Number(row.c);
      t.revenue_cents += Number(row.rev ?? 0);
    }
    return { date, treat: { ...run.treat }, hold: { ...run.hold } };
  });
  return points.slice(-366);
}

/** `buckets` groups of predicted uplift across both arms (1 = highest); rounded down to a multiple of 10 that fits. */
export async function scoreBuckets(trx: Trx, stormId: string, buckets = 100): Promise<ScoreBucket[]> {
  const units = await sql<{
    n: string;
  }>`select count(*) as n from assignment where storm_id = ${stormId} and arm in ('treat', 'hold')`.execute(trx);
  const b = Math.min(buckets, Math.floor(Number(units.rows[0]?.n ?? 0) / 10) * 10);
  if (b < 10) return [];
  const r = await sql<{ bucket: number; mean: number; tn: string; tc: string; hn: string; hc: string }>`
    select bucket, avg(uplift) as mean,
      count(*) filter (where arm = 'treat') as tn, count(*) filter (where arm = 'treat' and converted) as tc,
      count(*) filter (where arm = 'hold') as hn, count(*) filter (where arm = 'hold' and converted) as hc
    from (
      select a.arm, a.uplift, o.converted, ntile(${b}) over (order by a.uplift desc, a.property_id) as bucket
      from assignment a left join outcome o on o.tenant_id = a.tenant_id and o.property_id = a.property_id and o.is_current
      where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    ) x group by bucket order by bucket`.execute(trx);
  return r.rows.map((x) => ({
    bucket: Number(x.bucket),
    predicted_uplift_mean: Math.max(-1, Math.min(1, Number(x.mean))),
    treat: { n: Number(x.tn), conversions: Number(x.tc) },
    hold: { n: Number(x.hn), conversions: Number(x.hc) },
  }));
}

/** The policy of the storm's latest applied run, as the pilot report takes it (crew hours from 8-hour crew days). */
export async function policyInputs(trx: Trx, stormId: string): Promise<PolicyInputs | null> {
  const r = await sql<{ mode: PolicyMode; params: Record<string, number> }>`select mode, params from policy_run
    where storm_id = ${stormId} and not shadow order by created_at desc, seq desc limit 1`.execute(trx);
  const run = r.rows[0];
  if (!run) return null;
  const p = run.params;
  return {
    mode: run.mode,
    hold_share: p['hold_share']!,
    cost_per_knock_cents: p['cost_per_knock_cents']!,
    doors_per_crew_hour: p['doors_per_day']! / 8,
    crew_hour_cost_cents: 0,
    gross_margin: p['margin'] ?? null,
  };
}

/** Everything the pilot report reads from this domain, for one storm (data quality and SLO come from elsewhere). */
export async function pilotAggregates(ctx: ServiceContext, input: { stormId: string; buckets?: number }) {
  authorize(ctx, 'reports:read');
  return withStorm(ctx, input.stormId, async (trx, storm) => {
    const policy = await policyInputs(trx, storm.storm_id);
    if (!policy)
      throw new AppError('NOT_FOUND', `storm ${storm.storm_id} has no applied policy`, { storm_id: storm.storm_id });
    const daily = await dailySeries(trx, storm.storm_id);
    return {
      storm: { storm_id: storm.storm_id, event_id: storm.event_id, name: storm.name },
      policy,
      arms: await armTotals(trx, storm.storm_id),
      daily,
      score_buckets: await scoreBuckets(trx, storm.storm_id, input.buckets ?? 100),
      deciles: await scoreBuckets(trx, storm.storm_id, 10),
    };
  });
}
