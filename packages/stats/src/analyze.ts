/**
 * One-call analysis of a treatment arm against a hold-out control from sufficient statistics. The output is
 * JSON-friendly (snake_case, plain numbers) and is printed verbatim by `stormops analyze --json`.
 */
import { DEFAULT_ALPHA, DEFAULT_CONTROL_SHARE } from './constants.ts';
import { proportionVarianceOfMean, relativeLiftDelta } from './lift.ts';
import { newcombeInterval, twoProportionZTest } from './proportions.ts';
import { srmTest } from './srm.ts';
import { assertFinite, assertNonNegative, assertOpenUnit, assertSuccesses } from './validate.ts';
import { summarizeSums, welchTTest, type MeanSummary } from './welch.ts';

/**
 * Sufficient statistics for one arm. A value per unit (e.g. revenue) is optional, given either as `valueMoments`
 * (mean and unbiased variance, e.g. from `RunningMoments`: exact wherever values sit) or as `valueSum` and
 * `valueSumSq` together (from a database aggregate; exact only for values near zero or integer cents).
 */
export interface ArmCounts {
  n: number;
  conversions: number;
  valueMoments?: { mean: number; variance: number };
  valueSum?: number;
  valueSumSq?: number;
}

/** Options for `analyzeTwoArms`. */
export interface AnalyzeOptions {
  /** Two-sided significance level for every interval (default 0.05). */
  alpha?: number;
  /** Intended share of units in control, used by the SRM check (default 0.5). */
  controlShare?: number;
}

/** One arm in the report. */
export interface ArmReport {
  n: number;
  conversions: number;
  rate: number;
}

/** The analysis report; `value` is present only when both arms carry value sums. */
export interface TwoArmAnalysis {
  treat: ArmReport;
  control: ArmReport;
  lift: {
    absolute: number;
    absolute_ci: [number, number];
    /** null when the control rate is 0 (relative lift undefined). */
    relative: number | null;
    relative_ci: [number, number] | null;
    p_value: number;
  };
  srm: { p_value: number; flagged: boolean; expected_control_share: number };
  value?: { treat_mean: number; control_mean: number; diff: number; diff_ci: [number, number]; p_value: number };
}

/**
 * Analyzes treatment vs control conversion (and optionally value per unit). Methods, chosen for small arms and
 * rates near 0 as well as big campaigns:
 * - `lift.absolute_ci`: Newcombe hybrid score interval (method 10) for p_treat - p_control.
 * - `lift.p_value`: pooled two-proportion z-test (two-sided), = prop.test(correct = FALSE).
 * - `lift.relative_ci`: delta-method interval for p_treat / p_control - 1.
 * - `srm`: chi-square test of arm sizes against `controlShare`; flagged when p < 0.001 and both arms >= 8 units.
 * - `value`: Welch t-test and interval for mean value per unit, from moments or from sums and sums of squares.
 *
 * @example
 * analyzeTwoArms({ n: 21387, conversions: 3238 }, { n: 21306, conversions: 2262 });
 * // lift.absolute 0.04523, lift.p_value 3.2e-44, srm.flagged false
 */
export function analyzeTwoArms(treat: ArmCounts, control: ArmCounts, options: AnalyzeOptions = {}): TwoArmAnalysis {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const controlShare = options.controlShare ?? DEFAULT_CONTROL_SHARE;
  assertOpenUnit('options.alpha', alpha);
  assertOpenUnit('options.controlShare', controlShare);
  assertArm('treat', treat);
  assertArm('control', control);
  const result: TwoArmAnalysis = {
    treat: armReport(treat),
    control: armReport(control),
    lift: proportionLift(treat, control, alpha),
    srm: srmReport(treat.n, control.n, controlShare),
  };
  const value = valueReport(treat, control, alpha);
  if (value) result.value = value;
  return result;
}

function assertArm(name: string, arm: ArmCounts): void {
  assertSuccesses(`${name}.conversions`, arm.conversions, `${name}.n`, arm.n);
  if (arm.n === 0) throw new RangeError(`${name}.n must be a positive integer, got 0`);
  if ((arm.valueSum === undefined) !== (arm.valueSumSq === undefined)) {
    throw new RangeError(`${name}.valueSum and ${name}.valueSumSq must be given together`);
  }
  if (arm.valueMoments !== undefined && arm.valueSum !== undefined) {
    throw new RangeError(`${name}: give valueMoments or valueSum and valueSumSq, not both`);
  }
  if (arm.valueMoments !== undefined) {
    assertFinite(`${name}.valueMoments.mean`, arm.valueMoments.mean);
    assertNonNegative(`${name}.valueMoments.variance`, arm.valueMoments.variance);
  }
  if ((arm.valueSum !== undefined || arm.valueMoments !== undefined) && arm.n < 2) {
    throw new RangeError(`${name}.n must be at least 2 when value sums are given, got ${arm.n}`);
  }
  if (arm.valueSum !== undefined) assertFinite(`${name}.valueSum`, arm.valueSum);
  if (arm.valueSumSq !== undefined) assertNonNegative(`${name}.valueSumSq`, arm.valueSumSq);
}

function armReport(arm: ArmCounts): ArmReport {
  return { n: arm.n, conversions: arm.conversions, rate: arm.conversions / arm.n };
}

function proportionLift(treat: ArmCounts, control: ArmCounts, alpha: number): TwoArmAnalysis['lift'] {
  const absolute = newcombeInterval(treat.conversions, treat.n, control.conversions, control.n, alpha);
  const test = twoProportionZTest(treat.conversions, treat.n, control.conversions, control.n);
  let relative: number | null = null;
  let relativeCi: [number, number] | null = null;
  if (control.conversions > 0) {
    const r = relativeLiftDelta(
      { mean: treat.conversions / treat.n, varianceOfMean: proportionVarianceOfMean(treat.conversions, treat.n) },
      {
        mean: control.conversions / control.n,
        varianceOfMean: proportionVarianceOfMean(control.conversions, control.n),
      },
      alpha,
    );
    relative = r.estimate;
    relativeCi = [r.lower, r.upper];
  }
  return {
    absolute: absolute.estimate,
    absolute_ci: [absolute.lower, absolute.upper],
    relative,
    relative_ci: relativeCi,
    p_value: test.pValue,
  };
}

function srmReport(nTreat: number, nControl: number, controlShare: number): TwoArmAnalysis['srm'] {
  const srm = srmTest(nTreat, nControl, controlShare);
  return { p_value: srm.pValue, flagged: srm.flagged, expected_control_share: controlShare };
}

/** The arm's value summary, or undefined when it carries no value. */
function valueSummary(arm: ArmCounts): MeanSummary | undefined {
  if (arm.valueMoments !== undefined) return { n: arm.n, ...arm.valueMoments };
  if (arm.valueSum === undefined || arm.valueSumSq === undefined) return undefined;
  return summarizeSums(arm.n, arm.valueSum, arm.valueSumSq);
}

function valueReport(treat: ArmCounts, control: ArmCounts, alpha: number): TwoArmAnalysis['value'] | undefined {
  const t = valueSummary(treat);
  const c = valueSummary(control);
  if (t === undefined || c === undefined) return undefined;
  const welch = welchTTest(t, c, alpha);
  return {
    treat_mean: t.mean,
    control_mean: c.mean,
    diff: welch.difference,
    diff_ci: [welch.lower, welch.upper],
    p_value: welch.pValue,
  };
}
