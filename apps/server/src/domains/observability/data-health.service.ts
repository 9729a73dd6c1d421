/**
 * `DataObservability`: the playbook's data checks for one storm. `getHealthDashboard` gathers every check into a
 * status and a list of issues; `checkConversionRates` compares treat and hold as the outcomes come in;
 * `checkUpliftDistribution` watches the predicted uplift for drift from what the model saw in training. Every result
 * is kept, so a trend can be read back with `getHealthHistory`.
 */
import { newcombeInterval, twoProportionZTest } from '@stormops/stats';
import type { Trx } from '../../db/database.ts';
import { actingTenant, authorize, type ServiceContext } from '../auth/principal.ts';
import { parse } from '../validate.ts';
import { audit } from '../audit/audit.service.ts';
import { withStorm } from '../storms/storms.service.ts';
import { syncAlerts } from '../notify/alerts.service.ts';
import * as checks from './data-health.checks.ts';
import * as repo from './data-health.repo.ts';
import { drift, type DriftResult, type Reference } from './drift.ts';
import {
  healthHistoryInput,
  upliftBandInput,
  type HealthHistoryInput,
  type UpliftBandInput,
} from './data-health.schema.ts';

/** The playbook's band for mean predicted uplift ("Uplift mean < 0.10 or > 0.30" is a symptom of drift). */
export const UPLIFT_MEAN_BAND = { low: 0.1, high: 0.3 } as const;
/** Lift (absolute, in probability) a door knock can plausibly produce; outside it the data is suspect. */
export const PLAUSIBLE_LIFT = { low: -0.05, high: 0.5 } as const;

export interface Clock {
  now?: Date;
}

export async function getHealthDashboard(ctx: ServiceContext, stormId: string, clock: Clock = {}) {
  authorize(ctx, 'health:read');
  const now = clock.now ?? new Date();
  // Two independent read transactions, concurrent on server Postgres (PGlite runs them one after the other).
  const [a, b] = await Promise.all([
    withStorm(ctx, stormId, async (trx, storm) => {
      const props = await repo.propertyStats(trx, stormId);
      const production = await repo.productionModel(trx);
      return { storm, props, scores: await repo.scoreStats(trx, stormId, production?.model_id) };
    }),
    withStorm(ctx, stormId, async (trx) => ({
      arms: await repo.armOutcomes(trx, stormId),
      holdShare: await repo.intendedHoldShare(trx, stormId),
      contamination: await repo.contaminationStats(trx, stormId),
      timing: await repo.outcomeTiming(trx, stormId),
      backup: await repo.lastBackup(trx),
    })),
  ]);
  const { storm, props, scores } = a;
  const { arms, holdShare, contamination, timing, backup } = b;
  const dashboard = await withStorm(ctx, stormId, async (trx) => {
    const staleModel = scores.stale_model;
    const balance = checks.balanceIssues(arms.treat.n, arms.hold.n, holdShare);
    const issues = [
      ...checks.completenessIssues(props),
      ...checks.scoreIssues(
        props.properties,
        scores.scored,
        scores.oldest_scored_at,
        props.last_property_change,
        staleModel,
      ),
      ...balance.issues,
      ...checks.contaminationIssues(arms.hold.n, contamination.contaminated_properties),
      ...checks.outcomeIssues(
        storm.status,
        arms.treat.n + arms.hold.n,
        timing.last_recorded_at,
        timing.lag_p90_hours,
        now,
      ),
      ...checks.backupIssues(backup, now),
    ];
    const result = {
      storm_id: stormId,
      health_status: checks.statusOf(issues),
      issues,
      checked_at: now.toISOString(),
      metrics: {
        properties: props,
        scores: {
          scored: scores.scored,
          coverage: props.properties ? scores.scored / props.properties : 0,
          oldest_scored_at: scores.oldest_scored_at,
        },
        arms: {
          treat: arms.treat.n,
          hold: arms.hold.n,
          intended_hold_share: holdShare,
          srm_p_value: balance.srm?.pValue ?? null,
        },
        contamination,
        outcomes: timing,
        last_backup_at: backup,
      },
    };
    await save(trx, storm.tenant_id, stormId, 'dashboard', result.health_status, result);
    return result;
  });
  await raiseAlerts(
    ctx,
    stormId,
    now,
    ALERTING_CHECKS.map((check) => {
      const critical = dashboard.issues.find((i) => i.check === check && i.severity === 'critical');
      return { check, firing: critical !== undefined, message: critical?.message ?? check };
    }),
  );
  return dashboard;
}

/** Checks whose critical findings open a ticket (through the one notifier the SLOs use); warnings only show. */
export const ALERTING_CHECKS = ['completeness', 'score_coverage', 'treat_hold_balance', 'contamination'] as const;

/** Opens or resolves one ticket per storm and check; delivery happens in the platform's evaluation loop. */
async function raiseAlerts(
  ctx: ServiceContext,
  stormId: string,
  now: Date,
  checks: { check: string; firing: boolean; message: string }[],
): Promise<void> {
  // The canonical id (lower case, as Postgres prints a uuid): the id as typed would give one storm several alerts.
  const id = stormId.toLowerCase();
  await syncAlerts(
    ctx.db,
    checks.map((c) => ({
      key: `data_health:${id}:${c.check}`,
      source: 'data_health',
      severity: 'ticket' as const,
      firing: c.firing,
      message: `storm ${id}: ${c.message}`,
      details: { storm_id: id, check: c.check },
    })),
    now,
  );
}

export async function checkConversionRates(ctx: ServiceContext, stormId: string, opts: { alpha?: number } = {}) {
  authorize(ctx, 'health:read');
  const alpha = opts.alpha ?? 0.05;
  return withStorm(ctx, stormId, async (trx, storm) => {
    const arms = await repo.armOutcomes(trx, stormId);
    const rate = (a: { n: number; conversions: number }) => (a.n ? a.conversions / a.n : 0);
    const ready = arms.treat.n > 0 && arms.hold.n > 0;
    const lift = rate(arms.treat) - rate(arms.hold);
    const test = ready
      ? twoProportionZTest(arms.treat.conversions, arms.treat.n, arms.hold.conversions, arms.hold.n)
      : null;
    const ci = ready
      ? newcombeInterval(arms.treat.conversions, arms.treat.n, arms.hold.conversions, arms.hold.n, alpha)
      : null;
    const reasons: string[] = [];
    if (ci && ci.upper < 0)
      reasons.push(
        `treat converts below hold with confidence (lift ${(lift * 100).toFixed(1)} pts, ${(1 - alpha) * 100}% CI up to ${(ci.upper * 100).toFixed(1)})`,
      );
    if (ready && (lift < PLAUSIBLE_LIFT.low || lift > PLAUSIBLE_LIFT.high))
      reasons.push(
        `lift ${(lift * 100).toFixed(1)} pts is outside the plausible band ${PLAUSIBLE_LIFT.low * 100} to ${PLAUSIBLE_LIFT.high * 100} pts`,
      );
    const result = {
      storm_id: stormId,
      treat: { ...arms.treat, rate: rate(arms.treat) },
      hold: { ...arms.hold, rate: rate(arms.hold) },
      lift,
      lift_ci: ci ? [ci.lower, ci.upper] : null,
      p_value: test?.pValue ?? null,
      anomaly: reasons.length > 0,
      reasons,
    };
    await save(
      trx,
      storm.tenant_id,
      stormId,
      'conversion_rates',
      result.anomaly ? 'anomaly' : ready ? 'ok' : 'no_data',
      result,
    );
    return result;
  }).then(async (result) => {
    await raiseAlerts(ctx, stormId, new Date(), [
      {
        check: 'conversion_anomaly',
        firing: result.anomaly,
        message: result.reasons.join('; ') || 'conversion anomaly',
      },
    ]);
    return result;
  });
}

export async function checkUpliftDistribution(ctx: ServiceContext, stormId: string) {
  authorize(ctx, 'health:read');
  return withStorm(ctx, stormId, async (trx, storm) => {
    const scores = await repo.upliftScores(trx, stormId);
    const production = await repo.productionModel(trx);
    const band = (await repo.upliftBand(trx)) ?? UPLIFT_MEAN_BAND;
    const ref = production?.score_reference as Reference | undefined;
    const n = scores.length;
    let mean = 0;
    for (const s of scores) mean += s / n;
    let ss = 0;
    for (const s of scores) ss += (s - mean) ** 2;
    const d: DriftResult | null = n > 0 && ref?.percentiles ? drift(scores, ref) : null;
    const inBand = n > 0 && mean >= band.low && mean <= band.high;
    const issues: checks.Issue[] =
      n > 0 && !inBand
        ? [
            {
              check: 'uplift_band',
              severity: 'warning',
              message: `mean predicted uplift ${mean.toFixed(3)} is outside the band ${band.low} to ${band.high}: check the model and the storm's data (stormops health band sets the band)`,
              numbers: { mean, low: band.low, high: band.high },
            },
          ]
        : [];
    const result = {
      storm_id: stormId,
      n,
      mean: n ? mean : null,
      stddev: n > 1 ? Math.sqrt(ss / (n - 1)) : null,
      psi: d?.psi ?? null,
      psi_level: d?.psi_level ?? null,
      test: d?.test ?? null,
      drift_detected: d?.drift_detected ?? false,
      mean_band: { low: band.low, high: band.high, in_band: inBand },
      issues,
      reference: ref
        ? { model_id: production?.model_id, version: production?.version, mean: ref.mean, stddev: ref.stddev, n: ref.n }
        : null,
    };
    await save(
      trx,
      storm.tenant_id,
      stormId,
      'uplift_distribution',
      n === 0 ? 'no_data' : result.drift_detected ? 'drift' : inBand ? 'ok' : 'out_of_band',
      result,
    );
    return result;
  }).then(async (result) => {
    const message = `predicted uplift drifted (PSI ${result.psi?.toFixed(3)}): see the uplift drift runbook`;
    const outside = result.issues[0];
    await raiseAlerts(ctx, stormId, new Date(), [
      { check: 'uplift_drift', firing: result.drift_detected, message },
      { check: 'uplift_band', firing: outside !== undefined, message: outside?.message ?? 'uplift band' },
    ]);
    return result;
  });
}

/** The tenant's band for mean predicted uplift (the playbook's 0.10 to 0.30 unless set), and whether it was set. */
export async function getUpliftBand(ctx: ServiceContext, tenantId?: string) {
  authorize(ctx, 'health:read');
  const id = actingTenant(ctx, tenantId);
  const band = await ctx.db.withTenant(id, (trx) => repo.upliftBand(trx));
  return {
    tenant_id: id,
    low: band?.low ?? UPLIFT_MEAN_BAND.low,
    high: band?.high ?? UPLIFT_MEAN_BAND.high,
    default: !band,
  };
}

/** Sets the band; outside it the uplift-distribution check raises an issue and an alert. Admins and analysts. */
export async function setUpliftBand(ctx: ServiceContext, input: UpliftBandInput, tenantId?: string) {
  authorize(ctx, 'health:write');
  const b = parse(upliftBandInput, input);
  const id = actingTenant(ctx, tenantId);
  const p = ctx.principal;
  const by = p.kind === 'tenant' ? `user:${p.userId}` : p.kind === 'staff' ? `staff:${p.staffId}` : 'operator';
  await ctx.db.withTenant(id, async (trx) => {
    await repo.setUpliftBand(trx, { tenantId: id, low: b.low, high: b.high, updatedBy: by });
    await audit(trx, ctx, id, 'health.uplift_band', ['tenant', id], undefined, { low: b.low, high: b.high });
  });
  return getUpliftBand(ctx, id);
}

export async function getHealthHistory(ctx: ServiceContext, stormId: string, input: HealthHistoryInput = {}) {
  authorize(ctx, 'health:read');
  const { kind, limit } = parse(healthHistoryInput, input);
  return withStorm(ctx, stormId, async (trx) =>
    (await repo.history(trx, stormId, kind, limit)).map((h) => ({
      ...h,
      checked_at: new Date(h.checked_at).toISOString(),
    })),
  );
}

async function save(
  trx: Trx,
  tenantId: string,
  stormId: string,
  kind: string,
  status: string,
  result: unknown,
): Promise<void> {
  await repo.saveCheck(trx, { tenant_id: tenantId, storm_id: stormId, kind, status, result });
}
