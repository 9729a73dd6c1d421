/**
 * Lift by segment (ZIP, persona, roof-age band...): per segment the two arms' counts, the lift with its Newcombe
 * interval, the two-proportion z-test p-value, and the Holm-adjusted p-value across the segments tested (many
 * segments tested at once would otherwise find "significant" ones by chance). Shared by `stormops analyze --by` and
 * the pilot report's segment section.
 *
 * Minimum-size rule: a segment is tested only when each arm has at least MIN_SEGMENT_ARM_N units; smaller ones are
 * listed with their counts and `lift: null` and take no part in the Holm adjustment.
 */
import { holmAdjust, newcombeInterval, twoProportionZTest } from '@stormops/stats';

export const MIN_SEGMENT_ARM_N = 30;
/** Distinct segment values kept; a column with more (an id, a street) is not a segment. */
export const MAX_SEGMENTS = 200;

export interface SegmentCounts {
  value: string;
  treat: { n: number; conversions: number };
  control: { n: number; conversions: number };
}

export interface SegmentLift {
  value: string;
  treat: { n: number; conversions: number; rate: number };
  control: { n: number; conversions: number; rate: number };
  /** null when an arm is below the minimum size. */
  lift: { absolute: number; absolute_ci: [number, number]; p_value: number; p_value_adjusted: number } | null;
}

export interface SegmentReport {
  by: string;
  min_per_arm: number;
  segments: SegmentLift[];
}

const rate = (a: { n: number; conversions: number }) => (a.n > 0 ? a.conversions / a.n : 0);

/** Segments in the order given (callers sort them: by value, or by band order). */
export function segmentLifts(by: string, counts: readonly SegmentCounts[], alpha: number): SegmentReport {
  const tested = counts.filter((s) => s.treat.n >= MIN_SEGMENT_ARM_N && s.control.n >= MIN_SEGMENT_ARM_N);
  const tests = tested.map((s) => ({
    ci: newcombeInterval(s.treat.conversions, s.treat.n, s.control.conversions, s.control.n, alpha),
    z: twoProportionZTest(s.treat.conversions, s.treat.n, s.control.conversions, s.control.n),
  }));
  const adjusted = holmAdjust(tests.map((t) => t.z.pValue));
  const byValue = new Map(tested.map((s, i) => [s.value, { test: tests[i]!, adjusted: adjusted[i]! }]));
  return {
    by,
    min_per_arm: MIN_SEGMENT_ARM_N,
    segments: counts.map((s) => {
      const t = byValue.get(s.value);
      return {
        value: s.value,
        treat: { ...s.treat, rate: rate(s.treat) },
        control: { ...s.control, rate: rate(s.control) },
        lift: t
          ? {
              absolute: t.test.ci.estimate,
              absolute_ci: [t.test.ci.lower, t.test.ci.upper],
              p_value: t.test.z.pValue,
              p_value_adjusted: t.adjusted,
            }
          : null,
      };
    }),
  };
}
