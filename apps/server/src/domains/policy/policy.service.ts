/**
 * The policy control plane: versioned per-tenant policies, and `applyPolicy`, which picks the properties worth a
 * knock within crew capacity and holds out a stratified, seeded random control group among them. Arms are written
 * once and never change; a repeated apply assigns only properties that have no arm yet (randomized on their own).
 */
import { detectableLift, detectableLiftWarning } from './detectable-lift.ts';
import { randomUUID } from 'node:crypto';
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { authorize, actingTenant, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { requireFeature } from '../tenants/tenant-flags.ts';
import { audit } from '../audit/audit.service.ts';
import { parse } from '../validate.ts';
import { contamination } from './knocks.repo.ts';
import * as repo from './policy.repo.ts';
import {
  DEFAULT_PARAMS,
  applyPolicyInput,
  configurePolicyInput,
  getPolicyInput,
  listRunsInput,
  stormPolicyInput,
  policyParams,
  type ApplyPolicyInput,
  type ConfigurePolicyInput,
  type GetPolicyInput,
  type ListRunsInput,
  type StormPolicyInput,
  type PolicyConfigView,
  type PolicyMode,
  type PolicyParams,
  type PolicyRunView,
} from './policy.schema.ts';

export function capacityOf(p: PolicyParams): number {
  return p.crews * p.doors_per_day * p.days;
}

function configView(row: repo.ConfigRow): PolicyConfigView {
  const params = parse(policyParams, row.params, 'params');
  return {
    tenant_id: row.tenant_id,
    mode: row.mode as PolicyMode,
    version: row.version,
    params,
    capacity: capacityOf(params),
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** The latest (or a given) version of a mode; version 1 is the built-in default, written on first use. */
export async function resolveConfig(
  trx: Trx,
  tenantId: string,
  mode: PolicyMode,
  version?: number,
): Promise<repo.ConfigRow> {
  let row = await repo.latestConfig(trx, mode, version);
  if (!row && (version === undefined || version === 1)) {
    await repo.insertConfig(trx, tenantId, mode, 1, DEFAULT_PARAMS[mode]);
    row = await repo.latestConfig(trx, mode, version);
  }
  if (!row) throw new AppError('NOT_FOUND', `policy ${mode} has no version ${version}`, { mode, version });
  return row;
}

export async function getPolicy(ctx: ServiceContext, input: GetPolicyInput): Promise<PolicyConfigView> {
  authorize(ctx, 'policy:read');
  const { tenant_id, mode, version } = parse(getPolicyInput, input);
  const tenantId = actingTenant(ctx, tenant_id);
  return ctx.db.withTenant(tenantId, async (trx) => configView(await resolveConfig(trx, tenantId, mode, version)));
}

/** Changes parameters of a mode: a new version when anything differs, the latest one unchanged otherwise. */
export async function configurePolicy(ctx: ServiceContext, input: ConfigurePolicyInput): Promise<PolicyConfigView> {
  authorize(ctx, 'policy:write');
  const c = parse(configurePolicyInput, input);
  const tenantId = actingTenant(ctx, c.tenant_id);
  return ctx.db.withTenant(tenantId, async (trx) => {
    await requireFeature(ctx, tenantId, 'policy_control', trx);
    if (c.mode === 'custom') await requireFeature(ctx, tenantId, 'custom_policies', trx);
    const latest = await resolveConfig(trx, tenantId, c.mode);
    const next = parse(policyParams, { ...latest.params, ...c.params }, 'params');
    if (JSON.stringify(next) === JSON.stringify(parse(policyParams, latest.params))) return configView(latest);
    if (!(await repo.insertConfig(trx, tenantId, c.mode, latest.version + 1, next))) {
      throw new AppError('CONFLICT', `policy ${c.mode} version ${latest.version + 1} was written concurrently; retry`, {
        mode: c.mode,
      });
    }
    const saved = configView((await repo.latestConfig(trx, c.mode))!);
    await audit(
      trx,
      ctx,
      tenantId,
      'policy.configure',
      ['policy', c.mode],
      { version: latest.version, params: latest.params },
      {
        version: saved.version,
        params: next,
      },
    );
    return saved;
  });
}

/** The default seed of a storm: the first 28 bits of its id, so re-applies without --seed agree. */
export function defaultSeed(stormId: string): number {
  return parseInt(stormId.replace(/-/g, '').slice(0, 7), 16);
}

/** The systematic-allocation offset u in [0, 1), from the seed. */
export function offsetOf(seed: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;
}

/** The most properties K whose treat share (K - floor(K h + u)) fits in `capacity` doors. */
export function maxTargets(capacity: number, holdShare: number, u: number): number {
  if (capacity <= 0) return 0;
  let k = Math.ceil((capacity + 1) / (1 - holdShare)) + 2;
  while (k > 0 && k - Math.floor(k * holdShare + u) > capacity) k--;
  return k;
}

export async function applyPolicy(ctx: ServiceContext, input: ApplyPolicyInput): Promise<PolicyRunView> {
  const a = parse(applyPolicyInput, input);
  // A shadow run records what the policy would do and assigns no arms: an analyst's preview.
  authorize(ctx, a.shadow ? 'policy:preview' : 'policy:apply');
  const applied = await withStorm(
    ctx,
    a.storm_id,
    async (trx, storm) => {
      await requireFeature(ctx, storm.tenant_id, 'policy_control', trx);
      if (a.mode === 'custom') await requireFeature(ctx, storm.tenant_id, 'custom_policies', trx);
      if (!a.shadow && (storm.status === 'closed' || storm.status === 'cancelled')) {
        throw new AppError(
          'CONFLICT',
          `storm ${storm.event_id} is ${storm.status}: a policy can no longer be applied (use shadow mode to compare)`,
        );
      }
      const config = await resolveConfig(trx, storm.tenant_id, a.mode, a.version);
      const params = parse(policyParams, config.params, 'params');
      const batch = await batchOf(trx, storm, { mode: a.mode, version: config.version, newBatch: a.new_batch });
      const seed = a.seed ?? defaultSeed(storm.storm_id);
      await repo.tuneApply(trx);
      const capacity = capacityOf(params);
      const u = offsetOf(seed);
      const room = (c: repo.StormCounts) =>
        Math.min(
          Math.floor(params.top_share * c.scored_total) - c.treat - c.hold,
          maxTargets(capacity - c.treat, params.hold_share, u),
        );
      const counts = await repo.stormCounts(trx, storm.storm_id, params, (c) => room(c) > 0);
      refuseUnscored(counts, storm.storm_id);
      const k = Math.max(0, Math.min(counts.eligible_unassigned, room(counts)));
      const anyAssigned = counts.treat + counts.hold + counts.excluded > 0;
      const runId = randomUUID();
      const pickArgs = { stormId: storm.storm_id, k, params, seed, offset: u, anyAssigned };
      const pick =
        k === 0
          ? { treat: 0, hold: 0, treat_uplift: 0, written: 0 }
          : a.shadow
            ? await repo.summarizePick(trx, pickArgs)
            : await repo.assignPicked(trx, { ...pickArgs, tenantId: storm.tenant_id, runId });
      const treat = counts.treat + pick.treat;
      const hold = counts.hold + pick.hold;
      const excluded = counts.scored_total - treat - hold;
      const upliftSum = counts.treat_uplift + pick.treat_uplift;
      const newly = a.shadow ? pick.treat + pick.hold : pick.written;
      const view = runView({
        storm,
        batch,
        a,
        config,
        params,
        seed,
        runId,
        counts,
        treat,
        hold,
        excluded,
        newly,
        upliftSum,
        capacity,
      });
      view.contamination = await contamination(trx, storm.storm_id);
      const { contamination: _c, created_at: _t, ...result } = view;
      const created = await repo.insertRun(trx, {
        tenantId: storm.tenant_id,
        runId,
        stormId: storm.storm_id,
        mode: a.mode,
        version: config.version,
        seed,
        shadow: a.shadow,
        params,
        result,
        batch,
      });
      view.created_at = new Date(created).toISOString();
      await audit(
        trx,
        ctx,
        storm.tenant_id,
        a.shadow ? 'policy.preview' : 'policy.apply',
        ['storm', storm.storm_id],
        {
          status: storm.status,
        },
        {
          run_id: runId,
          mode: a.mode,
          version: config.version,
          seed,
          treat: view.treat,
          hold: view.hold,
          newly_assigned: view.newly_assigned,
        },
      );
      return view;
    },
    { forUpdate: true },
  );
  if (applied.newly_assigned > 0) await ctx.db.analyze(['assignment']);
  return applied;
}

/**
 * The batch an apply writes into: the storm's current one for the same design (mode and version), the next one when a
 * new batch is asked for. Another design without asking is refused with the reason: its arms would be analysed
 * against the wrong hold share.
 */
async function batchOf(
  trx: Trx,
  storm: { storm_id: string; event_id: string },
  d: { mode: PolicyMode; version: number; newBatch: boolean },
): Promise<number> {
  const latest = await repo.latestAppliedRun(trx, storm.storm_id);
  if (!latest) return 1;
  if (d.newBatch) return latest.batch + 1;
  if (latest.mode === d.mode && latest.version === d.version) return latest.batch;
  throw new AppError(
    'CONFLICT',
    `storm ${storm.event_id} has arms from batch ${latest.batch} under ${latest.mode} v${latest.version}: applying ${d.mode} v${d.version} would mix two designs in one batch, and the report would judge its hold-out against the wrong share. Apply it as a new batch (--new-batch, "new_batch": true) to assign the remaining properties as batch ${latest.batch + 1}, analysed on its own and pooled with the others`,
    { batch: latest.batch, mode: latest.mode, version: latest.version },
  );
}

function refuseUnscored(c: repo.StormCounts, stormId: string): void {
  if (c.properties === 0)
    throw new AppError(
      'VALIDATION',
      `storm ${stormId} has no properties: import them first (stormops property import)`,
    );
  if (c.scored_total === 0) {
    throw new AppError(
      'VALIDATION',
      `none of the ${c.properties} properties of storm ${stormId} has an uplift score: score them with the production model first (stormops model score --storm ${stormId})`,
      { unscored: c.properties },
    );
  }
}

interface RunParts {
  storm: { storm_id: string };
  batch: number;
  a: { mode: PolicyMode; shadow: boolean };
  config: repo.ConfigRow;
  params: PolicyParams;
  seed: number;
  runId: string;
  counts: repo.StormCounts;
  treat: number;
  hold: number;
  excluded: number;
  newly: number;
  upliftSum: number;
  capacity: number;
}

function runView(r: RunParts): PolicyRunView {
  const pct = (n: number) => (r.counts.properties ? Math.round((10_000 * n) / r.counts.properties) / 100 : 0);
  const revenue = Math.round(r.upliftSum * r.params.job_value_cents);
  const warnings: string[] = [];
  if (r.counts.unscored_unassigned > 0) {
    warnings.push(
      `${r.counts.unscored_unassigned} properties have no uplift score and were left unassigned; score them (stormops model score --storm ${r.storm.storm_id}) and apply again: they are randomized on their own`,
    );
  }
  if (r.a.shadow) warnings.push('shadow run: recorded for comparison, no arms written');
  const detectable = detectableLift(r.treat, r.hold);
  const underpowered = detectableLiftWarning(detectable);
  if (underpowered && r.treat + r.hold > 0) warnings.push(underpowered);
  return {
    run_id: r.runId,
    storm_id: r.storm.storm_id,
    mode: r.a.mode,
    policy_version: r.config.version,
    batch: r.batch,
    seed: r.seed,
    shadow: r.a.shadow,
    properties: r.counts.properties,
    treat: r.treat,
    hold: r.hold,
    excluded: r.excluded,
    unscored: r.counts.unscored_unassigned,
    newly_assigned: r.newly,
    treat_pct: pct(r.treat),
    hold_pct: pct(r.hold),
    capacity: r.capacity,
    capacity_used: r.treat,
    capacity_used_pct: r.capacity ? Math.round((10_000 * r.treat) / r.capacity) / 100 : 0,
    expected_incremental_conversions: Math.round(r.upliftSum * 1000) / 1000,
    expected_incremental_revenue_cents: revenue,
    expected_incremental_revenue: revenue / 100,
    expected_incremental_profit_cents: Math.round(revenue * r.params.margin - r.treat * r.params.cost_per_knock_cents),
    detectable_lift: detectable,
    contamination: {
      storm_id: r.storm.storm_id,
      hold: 0,
      hold_knocked: 0,
      contamination_knocks: 0,
      contamination_rate: 0,
      property_ids: [],
    },
    warnings,
    created_at: '',
  };
}

/** Recorded runs of a storm (applied and shadow), newest first: compare policies side by side. */
export async function listPolicyRuns(ctx: ServiceContext, input: ListRunsInput) {
  authorize(ctx, 'policy:read');
  const { storm_id, limit } = parse(listRunsInput, input);
  return withStorm(ctx, storm_id, async (trx, storm) => {
    const rows = await repo.listRuns(trx, storm.storm_id, limit ?? 50);
    // The stored result is the run's view without its contamination (a storm's, read live) and created_at.
    return rows.map((r) => ({
      ...(r.result as Omit<PolicyRunView, 'contamination' | 'created_at'>),
      run_id: r.run_id,
      seed: Number(r.seed),
      created_at: new Date(r.created_at).toISOString(),
    }));
  });
}

/** Contamination summary of a storm (hold properties knocked anyway); the pilot report calls this. */
export async function getContamination(ctx: ServiceContext, input: StormPolicyInput) {
  authorize(ctx, 'policy:read');
  return withStorm(ctx, parse(stormPolicyInput, input).storm_id, (trx, storm) => contamination(trx, storm.storm_id));
}
