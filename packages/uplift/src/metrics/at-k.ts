/** `sklift.metrics.uplift_at_k` (0.5.1). */
import { assertBinary, assertSameLength, type NumArray } from '../validate.ts';
import { skliftOrder } from './order.ts';

/** 'overall': top k of all rows; 'by_group': top k within each arm separately. */
export type AtKStrategy = 'overall' | 'by_group';

/**
 * Uplift among the first k rows by predicted uplift: mean(y | treated) - mean(y | control).
 * `k` in (0, 1) is a fraction (the count is truncated, `int(n * k)` as sklift); an integer k >= 1 is a
 * count (must be < n). An arm with no rows in the cut gives NaN, as NumPy's mean of nothing.
 *
 * @example
 * upliftAtK(yTrue, uplift, treatment, 'overall', 0.3);
 */
export function upliftAtK(
  yTrue: NumArray,
  uplift: NumArray,
  treatment: NumArray,
  strategy: AtKStrategy,
  k = 0.3,
): number {
  const n = assertSameLength({ yTrue, uplift, treatment });
  assertBinary('treatment', treatment);
  assertBinary('yTrue', yTrue);
  const isCount = Number.isInteger(k) && k >= 1;
  if (isCount ? k >= n : !(k > 0 && k < 1)) {
    throw new RangeError(`k=${k} must be a fraction in (0, 1) or an integer count in [1, ${n})`);
  }
  const order = skliftOrder(uplift);
  let nT = 0;
  for (let i = 0; i < n; i++) nT += treatment[i]!;
  const nC = n - nT;
  if (nT === 0 || nC === 0) throw new RangeError('treatment must contain both arms (0 and 1)');
  const sums = new Float64Array(4); // [nC, yC, nT, yT] within the cut
  if (strategy === 'overall') {
    const size = isCount ? k : Math.trunc(n * k);
    for (let i = 0; i < size; i++) accumulate(sums, order[i]!, yTrue, treatment);
  } else if (strategy === 'by_group') {
    const kC = isCount ? k : Math.trunc(nC * k);
    const kT = isCount ? k : Math.trunc(nT * k);
    if (kC > nC) throw new RangeError(`k=${k} exceeds the control group size ${nC}`);
    if (kT > nT) throw new RangeError(`k=${k} exceeds the treatment group size ${nT}`);
    for (let i = 0; i < n; i++) {
      const r = order[i]!;
      if (treatment[r] === 1 ? sums[2]! < kT : sums[0]! < kC) accumulate(sums, r, yTrue, treatment);
    }
  } else {
    throw new TypeError(`strategy must be 'overall' or 'by_group', got ${String(strategy)}`);
  }
  return sums[3]! / sums[2]! - sums[1]! / sums[0]!;
}

function accumulate(sums: Float64Array, r: number, yTrue: NumArray, treatment: NumArray): void {
  const o = treatment[r] === 1 ? 2 : 0;
  sums[o] = sums[o]! + 1;
  sums[o + 1] = sums[o + 1]! + yTrue[r]!;
}
