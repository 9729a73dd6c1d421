/**
 * causalml-style normalized AUUC and Qini score (`causalml.metrics.auuc_score` / `qini_score` with
 * `normalize=True`), kept under their own names because they are NOT sklift's numbers:
 * - every row is a curve point (no tie grouping); rows sorted by descending score, ties by ascending index
 *   (causalml's pandas sort is not stable, so its tie order is unspecified);
 * - points where an arm is still empty are undefined and linearly interpolated, as pandas `interpolate()`;
 * - curves are divided by |last value|, and the score is the mean height over the n + 1 points;
 * - the Qini score subtracts the expected random curve (the straight line to the last point, whose mean
 *   height is last / 2) instead of causalml's one random permutation.
 */
import { assertSameLength, assertTwoArms, type NumArray } from '../validate.ts';

function stableDescending(score: NumArray): Int32Array {
  const idx = Int32Array.from({ length: score.length }, (_, i) => i);
  return idx.sort((a, b) => score[b]! - score[a]! || a - b);
}

/** Fills NaN runs by linear interpolation between neighbours; trailing NaN take the last valid value. */
function interpolate(v: Float64Array): void {
  let last = 0;
  for (let i = 1; i < v.length; i++) {
    if (!Number.isNaN(v[i]!)) {
      for (let j = last + 1; j < i; j++) v[j] = v[last]! + ((v[i]! - v[last]!) * (j - last)) / (i - last);
      last = i;
    }
  }
  for (let j = last + 1; j < v.length; j++) v[j] = v[last]!;
}

function curve(yTrue: NumArray, score: NumArray, treatment: NumArray, kind: 'gain' | 'qini'): Float64Array {
  const n = assertSameLength({ yTrue, score, treatment });
  assertTwoArms('treatment', treatment);
  const order = stableDescending(score);
  const v = new Float64Array(n + 1);
  let nT = 0;
  let yT = 0;
  let yC = 0;
  for (let i = 1; i <= n; i++) {
    const r = order[i - 1]!;
    const t = treatment[r]!;
    nT += t;
    yT += t * yTrue[r]!;
    yC += (1 - t) * yTrue[r]!;
    const nC = i - nT;
    if (kind === 'gain') v[i] = nT > 0 && nC > 0 ? yT / nT - yC / nC : NaN;
    else v[i] = nC > 0 ? yT - (yC * nT) / nC : NaN;
  }
  interpolate(v);
  if (kind === 'gain') for (let i = 0; i <= n; i++) v[i] = v[i]! * i;
  const scale = Math.abs(v[n]!);
  for (let i = 0; i <= n; i++) v[i] = v[i]! / scale;
  return v;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

/**
 * causalml normalized AUUC: mean of the cumulative-gain curve (lift * n) divided by |total gain|.
 *
 * @example
 * causalmlAuuc(yTrue, uplift, treatment); // about 0.5 for a random score when the total gain is positive
 */
export function causalmlAuuc(yTrue: NumArray, uplift: NumArray, treatment: NumArray): number {
  return mean(curve(yTrue, uplift, treatment, 'gain'));
}

/**
 * causalml normalized Qini score: mean height of the normalized Qini curve minus that of random targeting.
 *
 * @example
 * causalmlQini(yTrue, uplift, treatment); // about 0 for a random score
 */
export function causalmlQini(yTrue: NumArray, uplift: NumArray, treatment: NumArray): number {
  const q = curve(yTrue, uplift, treatment, 'qini');
  return mean(q) - q[q.length - 1]! / 2;
}
