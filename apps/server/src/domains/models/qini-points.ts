/**
 * A model's hold-out Qini curve as the registry keeps it: at most `maxPoints` points of scikit-uplift's Qini curve
 * (homes ranked by predicted uplift, best first; x the share of the hold-out targeted, y the incremental conversions
 * among them: treated conversions minus control conversions scaled to the treated count), taken at evenly spaced
 * shares so a million-row hold-out keeps a small, chartable curve. The first point is (0, 0), the last is the whole
 * hold-out.
 */
import { qiniCurve } from '@stormops/uplift';

export interface QiniPoints {
  /** Share of the hold-out targeted, 0 to 1, increasing. */
  targeted_share: number[];
  /** Incremental conversions among the targeted homes (the Qini curve's y). */
  incremental: number[];
}

export function qiniPoints(
  outcome: ArrayLike<number>,
  predicted: ArrayLike<number>,
  treatment: ArrayLike<number>,
  maxPoints = 51,
): QiniPoints {
  const curve = qiniCurve(outcome, predicted, treatment);
  const n = curve.x[curve.x.length - 1] ?? 0;
  const last = curve.x.length - 1;
  const picked = new Set<number>([0, last]);
  // For each evenly spaced share, the curve's last threshold at or below it (thresholds are tied scores).
  let j = 0;
  for (let k = 1; k < maxPoints - 1; k++) {
    const target = (k / (maxPoints - 1)) * n;
    while (j < last && (curve.x[j + 1] ?? Infinity) <= target) j++;
    picked.add(j);
  }
  const idx = [...picked].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    targeted_share: idx.map((i) => (n === 0 ? 0 : round((curve.x[i] ?? 0) / n))),
    incremental: idx.map((i) => round(curve.y[i] ?? 0)),
  };
}
