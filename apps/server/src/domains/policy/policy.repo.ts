/**
 * SQL for policies. Apply is set-based: a top-K scan picks the properties worth treating, stratified randomization
 * runs over those K rows only, and the same statement writes every new arm (a 1,000,000-property storm is a few
 * statements, never a row-by-row loop). Row-level security confines every statement to the tenant.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { PolicyParams, PolicyRunView } from './policy.schema.ts';

export interface ConfigRow {
  tenant_id: string;
  mode: string;
  version: number;
  params: PolicyParams;
  created_at: Date;
}

export async function latestConfig(trx: Trx, mode: string, version?: number): Promise<ConfigRow | undefined> {
  let q = trx.selectFrom('policy_config').selectAll().where('mode', '=', mode);
  if (version !== undefined) q = q.where('version', '=', version);
  const row = await q.orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row as unknown as ConfigRow | undefined;
}

/** Inserts a version; false when that version already exists (a concurrent writer won). */
export async function insertConfig(
  trx: Trx,
  tenantId: string,
  mode: string,
  version: number,
  params: PolicyParams,
): Promise<boolean> {
  const r =
    await sql`insert into policy_config (tenant_id, mode, version, params) values (${tenantId}, ${mode}, ${version}, ${JSON.stringify(params)}::jsonb)
    on conflict do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export interface StormCounts {
  properties: number;
  scored_unassigned: number;
  unscored_unassigned: number;
  eligible_unassigned: number;
  scored_total: number;
  treat: number;
  hold: number;
  excluded: number;
  /** Sum of predicted uplift over the treat arm already assigned. */
  treat_uplift: number;
}

const eligible = (p: PolicyParams) =>
  sql`s.uplift >= ${p.min_uplift} and s.uplift * ${p.job_value_cents * p.margin}::float8 > ${p.cost_per_knock_cents}`;

/**
 * Counts that size a run: what is already assigned, what is new, what is eligible. Each count uses the storm index
 * of its table; the anti-join against `assignment` (the only full pass) runs only when `needUnassigned` says the
 * run could pick anything at all (capacity and top share left).
 */
export async function stormCounts(
  trx: Trx,
  stormId: string,
  p: PolicyParams,
  needUnassigned: (c: StormCounts) => boolean,
): Promise<StormCounts> {
  const props = await sql<{ n: string }>`select count(*) as n from property where storm_id = ${stormId}`.execute(trx);
  const properties = Number(props.rows[0]?.n ?? 0);
  const scored = await sql<{ n: string; e: string }>`select count(*) as n, count(*) filter (where ${eligible(p)}) as e
    from property_score s where s.storm_id = ${stormId}`.execute(trx);
  const arms = await sql<{ arm: string; n: string; u: number | null }>`select arm, count(*) as n, sum(uplift) as u
    from assignment where storm_id = ${stormId} group by arm`.execute(trx);
  const arm = (a: string) => Number(arms.rows.find((r) => r.arm === a)?.n ?? 0);
  const assigned = arm('treat') + arm('hold') + arm('excluded');
  const scoredTotal = Number(scored.rows[0]?.n ?? 0);
  const c: StormCounts = {
    properties,
    scored_unassigned: Math.max(0, scoredTotal - assigned),
    unscored_unassigned: Math.max(0, properties - scoredTotal),
    eligible_unassigned: assigned === 0 ? Number(scored.rows[0]?.e ?? 0) : 0,
    scored_total: scoredTotal,
    treat: arm('treat'),
    hold: arm('hold'),
    excluded: arm('excluded'),
    treat_uplift: Number(arms.rows.find((r) => r.arm === 'treat')?.u ?? 0),
  };
  if (assigned > 0 && c.scored_unassigned > 0 && needUnassigned(c)) {
    const r = await sql<{
      e: string;
    }>`select count(*) as e from property_score s where s.storm_id = ${stormId} and ${eligible(p)}
        and not exists (select 1 from assignment x where x.tenant_id = s.tenant_id and x.property_id = s.property_id)`.execute(
      trx,
    );
    c.eligible_unassigned = Number(r.rows[0]?.e ?? 0);
  }
  return c;
}

export interface PickArgs {
  stormId: string;
  k: number;
  params: PolicyParams;
  seed: number;
  offset: number;
  anyAssigned: boolean;
}

export interface PickSummary {
  treat: number;
  hold: number;
  treat_uplift: number;
  /** Arms written (0 for a shadow run). */
  written: number;
}

/**
 * The K best unassigned properties (expected incremental profit = uplift x job value x margin - cost per knock,
 * ties by property id), with decile x ZIP strata (the ZIP scoring stored) and arms by systematic allocation over a
 * seeded random order within strata: hold iff floor((pos+1)h + u) > floor(pos h + u). A query over property_score
 * alone; `assignPicked` writes it and `summarizePick` only counts it.
 */
function picked(a: PickArgs) {
  const p = a.params;
  return sql`
    with top as (
      select s.property_id, s.uplift, s.zip
      from property_score s
      where s.storm_id = ${a.stormId} and ${eligible(p)}
        ${a.anyAssigned ? sql`and not exists (select 1 from assignment x where x.tenant_id = s.tenant_id and x.property_id = s.property_id)` : sql``}
      order by s.uplift desc, s.property_id
      limit ${a.k}
    ), deciled as (
      select property_id, uplift, zip, ntile(10) over (order by uplift desc, property_id) as decile from top
    ), ordered as (
      -- uuid_hash_extended is the hash behind hash partitioning: stable across Postgres versions, so a seed gives
      -- the same random order on PGlite and on the server.
      select *, row_number() over (order by decile, zip collate "C", uuid_hash_extended(property_id, ${a.seed}::int8), property_id) - 1 as pos
      from deciled
    )
    select property_id, uplift, decile::smallint as decile, 'd' || lpad(decile::text, 2, '0') || '|' || coalesce(zip, '-') as stratum,
      case when floor((pos + 1) * ${p.hold_share}::float8 + ${a.offset}::float8) > floor(pos * ${p.hold_share}::float8 + ${a.offset}::float8)
        then 'hold' else 'treat' end as arm
    from ordered`;
}

const SUMMARY = sql`count(*) filter (where arm = 'treat') as treat, count(*) filter (where arm = 'hold') as hold,
  sum(uplift) filter (where arm = 'treat') as treat_uplift`;

function summaryOf(
  row: { treat: string; hold: string; treat_uplift: number | null; written?: string } | undefined,
): PickSummary {
  return {
    treat: Number(row?.treat ?? 0),
    hold: Number(row?.hold ?? 0),
    treat_uplift: Number(row?.treat_uplift ?? 0),
    written: Number(row?.written ?? 0),
  };
}

/** A shadow run: what the pick would be, nothing written. */
export async function summarizePick(trx: Trx, a: PickArgs): Promise<PickSummary> {
  const r = await sql<{
    treat: string;
    hold: string;
    treat_uplift: number | null;
  }>`select ${SUMMARY} from (${picked(a)}) p`.execute(trx);
  return summaryOf(r.rows[0]);
}

/**
 * Writes the picked arms (treat and hold) in one statement, in property id order (the primary key's order, so its
 * index grows by appends), and counts what it wrote. Properties not picked are not written: `excluded` is the
 * storm's scored properties minus its arms (see docs/policy.md). The storm row is locked, so no other apply runs
 * concurrently.
 */
export async function assignPicked(trx: Trx, a: PickArgs & { tenantId: string; runId: string }): Promise<PickSummary> {
  const r = await sql<{ treat: string; hold: string; treat_uplift: number | null; written: string }>`
    with ins as (
      insert into assignment (tenant_id, property_id, storm_id, arm, stratum, uplift, uplift_decile, run_id)
      select ${a.tenantId}::uuid, property_id, ${a.stormId}::uuid, arm, stratum, uplift, decile, ${a.runId}::uuid
      from (${picked(a)}) p order by property_id
      returning arm, uplift
    )
    select ${SUMMARY}, count(*) as written from ins`.execute(trx);
  return summaryOf(r.rows[0]);
}

/** Work memory for the sorts of one apply, and no JIT (its compile time is unpredictable on big plans). */
export async function tuneApply(trx: Trx): Promise<void> {
  await sql`select set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`.execute(trx);
}

export async function insertRun(
  trx: Trx,
  run: {
    tenantId: string;
    runId: string;
    stormId: string;
    mode: string;
    version: number;
    seed: number;
    shadow: boolean;
    params: PolicyParams;
    result: unknown;
    batch: number;
  },
): Promise<Date> {
  const r = await sql<{
    created_at: Date;
  }>`insert into policy_run (tenant_id, run_id, storm_id, mode, version, seed, shadow, params, result, batch)
    values (${run.tenantId}, ${run.runId}, ${run.stormId}, ${run.mode}, ${run.version}, ${run.seed}, ${run.shadow},
      ${JSON.stringify(run.params)}::jsonb, ${JSON.stringify(run.result)}::jsonb, ${run.batch}) returning created_at`.execute(
    trx,
  );
  return r.rows[0]!.created_at;
}

/** The latest applied (not shadow) run of a storm: its design and batch. */
export async function latestAppliedRun(trx: Trx, stormId: string) {
  const r = await sql<{ mode: string; version: number; batch: number }>`
    select mode, version, batch from policy_run where storm_id = ${stormId} and not shadow
    order by created_at desc, seq desc limit 1`.execute(trx);
  return r.rows[0];
}

export async function listRuns(trx: Trx, stormId: string, limit: number) {
  const r = await sql<{
    run_id: string;
    mode: string;
    version: number;
    seed: string;
    shadow: boolean;
    /** The run's view as it was answered (jsonb). */
    result: PolicyRunView;
    created_at: Date;
  }>`
    select run_id, mode, version, seed, shadow, result, created_at from policy_run where storm_id = ${stormId}
    order by created_at desc, seq desc limit ${limit}`.execute(trx);
  return r.rows;
}

export interface ArmRow {
  property_id: string;
  arm: 'treat' | 'hold';
  external_id: string | null;
  canvasser: string | null;
}

/** The storm's treat and hold homes with their external ids and canvassers, in property id order. */
export async function armsWithExternalIds(trx: Trx, stormId: string): Promise<ArmRow[]> {
  const r = await sql<ArmRow>`select a.property_id, a.arm, p.external_id, a.canvasser from assignment a
    join property p on p.property_id = a.property_id
    where a.storm_id = ${stormId} and a.arm in ('treat', 'hold') order by a.property_id`.execute(trx);
  return r.rows;
}
