/**
 * `computePilotResults`: the pilot report from aggregated inputs. Pure (no I/O, no clock): the same inputs give the
 * same results. Every statistic comes from @stormops/stats; formulas and reasons are in docs/roi-methodology.md.
 */
import { canvassingCostCents, roiPct as roiPercent } from '@stormops/plans';
import { analyzeTwoArms, DEFAULT_ALPHA, srmTest, wilsonInterval, type TwoArmAnalysis } from '@stormops/stats';
import { AppError } from '../../errors.ts';
import { segmentLifts } from '../analyze/segments.ts';
import { batchesOf, stratifiedLift } from './pilot.batches.ts';
import { detectableLift, PLANNING_HOLD_RATE } from '../policy/detectable-lift.ts';
import { dollarRange, dollars } from './money.ts';
import { upliftAccuracy } from './pilot.accuracy.ts';
import { successCriteria, summarize } from './pilot.criteria.ts';
import { overTime } from './pilot.over-time.ts';
import type {
  ArmOutcome,
  PilotContamination,
  PilotCoverage,
  PilotSegments,
  PilotMonitor,
  PilotOutcomes,
  PilotResults,
  PilotRoi,
  PilotSrm,
} from './pilot.results.ts';
import {
  parsePilotInputs,
  type ArmInputs,
  type MonitorStatus,
  type ParsedPilotInputs,
  type PilotInputs,
  type PilotOptions,
} from './pilot.schema.ts';

/**
 * Computes the whole pilot report. Validates `inputs` first (AppError VALIDATION naming the field).
 *
 * @example
 * const results = computePilotResults(inputs, { alpha: 0.05 });
 * results.outcomes.lift.absolute * 100; // lift in points
 */
export function computePilotResults(inputs: PilotInputs, options: PilotOptions = {}): PilotResults {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 0.5)) throw new AppError('VALIDATION', `alpha: must be in (0, 0.5), got ${alpha}`);
  const p = parsePilotInputs(inputs);
  const { treat, hold } = p.arms;
  const pooled = analyzeTwoArms(armCounts(treat), armCounts(hold), { alpha, controlShare: p.policy.hold_share });
  // Two or more design batches: the lift is each batch's lift weighted by its share of homes (pilot.batches.ts).
  const stratified = stratifiedLift(p.batches ?? [], alpha);
  const analysis: TwoArmAnalysis = stratified
    ? {
        ...pooled,
        lift: {
          ...pooled.lift,
          ...stratified,
          relative: hold.conversions > 0 ? stratified.absolute / (hold.conversions / hold.n) : null,
          relative_ci: null,
        },
      }
    : pooled;
  const outcomes = outcomesOf(analysis, treat, hold, alpha);
  const judged = {
    report: 'stormops.pilot' as const,
    version: 1 as const,
    alpha,
    currency: 'USD' as const,
    storm: { ...p.storm, contractor: p.storm.contractor ?? null },
    policy: {
      mode: p.policy.mode,
      hold_share: p.policy.hold_share,
      cost_per_knock: dollars(p.policy.cost_per_knock_cents),
      crew_hour_cost: dollars(p.policy.crew_hour_cost_cents),
      gross_margin: p.policy.gross_margin,
    },
    coverage: coverageOf(treat, hold),
    detectable_lift: detectableLift(treat.n, hold.n, {
      baseRate: hold.n > 0 ? hold.conversions / hold.n : PLANNING_HOLD_RATE,
      alpha,
      targetPts: p.targets.lift_pts,
    }),
    outcomes,
    batches: batchesOf(p.batches ?? [], alpha),
    lift_method: stratified ? ('stratified_by_batch' as const) : ('pooled' as const),
    roi: roiOf(p, analysis),
    srm: srmOf(treat.n, hold.n, p.policy.hold_share),
    contamination: contaminationOf(treat, hold),
    uplift_accuracy: upliftAccuracy(p.score_buckets, alpha),
    over_time: overTime(p.daily, treat.n, hold.n, alpha),
    data_quality: monitor(p.data_quality),
    slo: monitor(p.slo),
    segments: segmentsOf(p.segments ?? [], alpha),
    satisfaction: p.satisfaction ?? null,
  };
  const criteria = successCriteria(judged, p.targets);
  return { ...judged, success_criteria: criteria, summary: summarize(criteria, judged) };
}

/** Outcome coverage below which (in either arm) the report gives no verdict: documented in docs/roi-methodology.md. */
export const MIN_OUTCOME_COVERAGE = 0.5;

function coverageOf(treat: ArmInputs, hold: ArmInputs): PilotCoverage | null {
  if (treat.logged === undefined || hold.logged === undefined) return null;
  const arm = (a: ArmInputs, logged: number) => ({ logged, assigned: a.n, share: a.n > 0 ? logged / a.n : 0 });
  const c = { treat: arm(treat, treat.logged), hold: arm(hold, hold.logged) };
  return {
    ...c,
    minimum: MIN_OUTCOME_COVERAGE,
    sufficient: Math.min(c.treat.share, c.hold.share) >= MIN_OUTCOME_COVERAGE,
  };
}

const SEGMENT_LABELS = { zip: 'ZIP', roof_age: 'Roof age', hail_size: 'Hail size', home_value: 'Home value' } as const;

/** Lift per segment value within each dimension, in the order the inputs give (Holm across a dimension's values). */
function segmentsOf(rows: NonNullable<ParsedPilotInputs['segments']>, alpha: number): PilotSegments[] {
  return (Object.keys(SEGMENT_LABELS) as PilotSegments['dimension'][]).flatMap((dimension) => {
    const mine = rows.filter((s) => s.dimension === dimension);
    if (mine.length === 0) return [];
    const r = segmentLifts(
      dimension,
      mine.map((s) => ({ value: s.value, treat: s.treat, control: s.hold })),
      alpha,
    );
    return [{ dimension, label: SEGMENT_LABELS[dimension], min_per_arm: r.min_per_arm, segments: r.segments }];
  });
}

function armCounts(a: ArmInputs) {
  return { n: a.n, conversions: a.conversions, valueSum: a.revenue_cents, valueSumSq: a.revenue_sq_cents2 };
}

function armOutcome(a: ArmInputs, alpha: number): ArmOutcome {
  const ci = wilsonInterval(a.conversions, a.n, alpha);
  return {
    n: a.n,
    conversions: a.conversions,
    rate: ci.estimate,
    rate_ci: [ci.lower, ci.upper],
    revenue: dollars(a.revenue_cents),
    revenue_per_unit: dollars(a.revenue_cents / a.n),
  };
}

function outcomesOf(an: TwoArmAnalysis, treat: ArmInputs, hold: ArmInputs, alpha: number): PilotOutcomes {
  const value = an.value!; // always present: both arms carry revenue sums
  return {
    treat: armOutcome(treat, alpha),
    hold: armOutcome(hold, alpha),
    lift: { ...an.lift, significant: an.lift.p_value < alpha },
    revenue_per_unit: { diff: dollars(value.diff), diff_ci: dollarRange(value.diff_ci), p_value: value.p_value },
  };
}

/** Money stays in cents until the end, so dollars are rounded once. */
function roiOf(p: ParsedPilotInputs, an: TwoArmAnalysis): PilotRoi {
  const { treat, hold } = p.arms;
  const pol = p.policy;
  const value = an.value!;
  const incRevenue = value.diff * treat.n;
  const incRevenueCi: [number, number] = [value.diff_ci[0] * treat.n, value.diff_ci[1] * treat.n];
  const incConversions = an.lift.absolute * treat.n;
  const knocks = treat.knocked + hold.knocked;
  const crewHours = pol.crew_hours ?? knocks / pol.doors_per_crew_hour!;
  const cost = canvassingCostCents({
    knocks,
    crewHours,
    costPerKnockCents: pol.cost_per_knock_cents,
    crewHourCostCents: pol.crew_hour_cost_cents,
  });
  const margin = pol.gross_margin ?? 1;
  const roi = (revenue: number) => roiPercent(revenue, cost, margin);
  const roiPct = roi(incRevenue);
  const lo = roi(incRevenueCi[0]);
  const hi = roi(incRevenueCi[1]);
  return {
    basis: pol.gross_margin === null ? 'revenue' : 'gross_margin',
    gross_margin: pol.gross_margin,
    roi_pct: roiPct,
    roi_pct_ci: lo === null || hi === null ? null : [lo, hi],
    incremental_revenue: dollars(incRevenue),
    incremental_revenue_ci: dollarRange(incRevenueCi),
    incremental_conversions: incConversions,
    incremental_conversions_ci: [an.lift.absolute_ci[0] * treat.n, an.lift.absolute_ci[1] * treat.n],
    knocks,
    crew_hours: crewHours,
    crew_hours_source: pol.crew_hours === undefined ? 'estimated' : (pol.crew_hours_source ?? 'given'),
    cost: dollars(cost),
    cac: incConversions > 0 ? dollars(cost / incConversions) : null,
    revenue_per_crew_hour: crewHours > 0 ? dollars(incRevenue / crewHours) : null,
  };
}

function srmOf(treatN: number, holdN: number, holdShare: number): PilotSrm {
  const s = srmTest(treatN, holdN, holdShare);
  return {
    expected_hold_share: holdShare,
    observed_hold_share: holdN / (treatN + holdN),
    chi_square: s.chiSquare,
    p_value: s.pValue,
    flagged: s.flagged,
    reason: s.reason,
  };
}

function contaminationOf(treat: ArmInputs, hold: ArmInputs): PilotContamination {
  return {
    hold_contaminated: hold.contaminated,
    hold_n: hold.n,
    rate: hold.contaminated / hold.n,
    treat_contaminated: treat.contaminated,
    treat_compliance: treat.knocked / treat.n,
    flagged: hold.contaminated > 0 || treat.contaminated > 0,
  };
}

function monitor(m: MonitorStatus): PilotMonitor {
  const breaches = m.breaches ?? 0;
  return { status: m.status, issues: m.issues, breaches, pass: m.issues.length === 0 && breaches === 0 };
}
