/**
 * Normalized areas, as scikit-uplift 0.5.1 defines them:
 * (auc(curve) - auc(random)) / (auc(perfect) - auc(random)), where "random" is the straight line from
 * (0, 0) to the last point of the perfect curve.
 */
import type { NumArray } from '../validate.ts';
import { auc, perfectQiniCurve, perfectUpliftCurve, qiniCurve, upliftCurve, type Curve } from './curves.ts';

function normalizedArea(actual: Curve, perfect: Curve): number {
  const last = perfect.x.length - 1;
  const baseline = auc(Float64Array.of(0, perfect.x[last]!), Float64Array.of(0, perfect.y[last]!));
  return (auc(actual.x, actual.y) - baseline) / (auc(perfect.x, perfect.y) - baseline);
}

/**
 * Normalized area under the uplift curve (`sklift.metrics.uplift_auc_score`).
 *
 * @example
 * upliftAucScore(yTrue, predictedUplift, treatment); // 1 for a perfect ranking, ~0 for random
 */
export function upliftAucScore(yTrue: NumArray, uplift: NumArray, treatment: NumArray): number {
  return normalizedArea(upliftCurve(yTrue, uplift, treatment), perfectUpliftCurve(yTrue, treatment));
}

/**
 * Qini coefficient (`sklift.metrics.qini_auc_score`), `negativeEffect` defaulting to true as in sklift.
 *
 * @example
 * qiniAucScore(yTrue, predictedUplift, treatment);
 */
export function qiniAucScore(yTrue: NumArray, uplift: NumArray, treatment: NumArray, negativeEffect = true): number {
  return normalizedArea(qiniCurve(yTrue, uplift, treatment), perfectQiniCurve(yTrue, treatment, negativeEffect));
}
