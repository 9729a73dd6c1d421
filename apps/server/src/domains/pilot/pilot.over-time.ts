/**
 * Cumulative lift day by day with ALWAYS-VALID intervals (normal-mixture confidence sequences from
 * @stormops/stats): the contractor may look every day and stop at the first conclusive day without inflating the
 * error rate, which a daily fixed-horizon 95% CI would not allow.
 */
import { mixingVarianceForHorizon, proportionsConfidenceSequence } from '@stormops/stats';
import type { DailyPoint } from './pilot.schema.ts';
import type { OverTimePoint, PilotOverTime } from './pilot.results.ts';

/**
 * tau^2 is fixed before any outcome is seen: tuned to the final look at the arm sizes (known at assignment) with
 * the worst-case Bernoulli variance 1/4 per unit. It never depends on conversions, so it cannot be fitted to them.
 */
export function overTime(daily: DailyPoint[], treatN: number, holdN: number, alpha: number): PilotOverTime {
  const mixingVariance = mixingVarianceForHorizon(0.25 / treatN + 0.25 / holdN, alpha);
  const points: OverTimePoint[] = [];
  let minP = 1;
  let conclusiveSince: string | null = null;
  for (const d of daily) {
    if (d.treat.n === 0 || d.hold.n === 0) continue; // nothing to compare yet
    const cs = proportionsConfidenceSequence(d.treat.conversions, d.treat.n, d.hold.conversions, d.hold.n, {
      alpha,
      mixingVariance,
    });
    minP = Math.min(minP, cs.pValue);
    points.push({ date: d.date, lift: cs.estimate, lower: cs.lower, upper: cs.upper, p_value: minP });
    if (conclusiveSince === null && (cs.lower > 0 || cs.upper < 0)) conclusiveSince = d.date;
  }
  return { mixing_variance: mixingVariance, points, conclusive_since: conclusiveSince };
}
