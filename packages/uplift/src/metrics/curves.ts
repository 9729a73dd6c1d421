/**
 * Uplift and Qini curves with scikit-uplift 0.5.1's definitions (`sklift.metrics.uplift_curve`,
 * `qini_curve`, `perfect_uplift_curve`, `perfect_qini_curve`). Rows are taken in `skliftOrder`; a curve
 * point is emitted only at the last row of each run of tied scores (sklift: `np.where(np.diff(score))`
 * plus the last index; like NumPy, a NaN difference counts as a change), and (0, 0) is prepended.
 */
import { assertBinary, assertSameLength, type NumArray } from '../validate.ts';
import { skliftOrder } from './order.ts';

/** Points of a curve: x = number of targeted rows, y = curve value. */
export interface Curve {
  x: Float64Array;
  y: Float64Array;
}

interface Cumulative {
  nAll: Float64Array;
  nT: Float64Array;
  yT: Float64Array;
  yC: Float64Array;
}

function checkInputs(yTrue: NumArray, score: NumArray, treatment: NumArray): void {
  assertSameLength({ yTrue, uplift: score, treatment });
  assertBinary('treatment', treatment);
  assertBinary('yTrue', yTrue);
}

/** Cumulative counts at the end of each tie group, in sklift order. */
function cumulativeAtThresholds(yTrue: NumArray, score: NumArray, treatment: NumArray): Cumulative {
  const order = skliftOrder(score);
  const n = order.length;
  const ends: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    if (score[order[i + 1]!]! - score[order[i]!]! !== 0) ends.push(i);
  }
  if (n > 0) ends.push(n - 1);
  const m = ends.length;
  const out: Cumulative = {
    nAll: new Float64Array(m),
    nT: new Float64Array(m),
    yT: new Float64Array(m),
    yC: new Float64Array(m),
  };
  let nT = 0;
  let yT = 0;
  let yC = 0;
  let j = 0;
  for (let i = 0; i < n && j < m; i++) {
    const r = order[i]!;
    const t = treatment[r]!;
    const y = yTrue[r]!;
    nT += t;
    yT += t * y;
    yC += (1 - t) * y;
    if (i === ends[j]) {
      out.nAll[j] = i + 1;
      out.nT[j] = nT;
      out.yT[j] = yT;
      out.yC[j] = yC;
      j++;
    }
  }
  return out;
}

/** Prepends (0, 0) unless the curve already starts there (sklift's check). */
function startAtOrigin(x: Float64Array, y: Float64Array): Curve {
  if (x.length === 0 || y[0] !== 0 || x[0] !== 0) {
    const nx = new Float64Array(x.length + 1);
    const ny = new Float64Array(y.length + 1);
    nx.set(x, 1);
    ny.set(y, 1);
    return { x: nx, y: ny };
  }
  return { x, y };
}

/**
 * Uplift curve: (rate_T - rate_C) * n at each threshold; a rate with an empty arm counts as 0.
 *
 * @example
 * upliftCurve([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], [1, 0, 1, 0]); // x [0,1,3,4], y [0,1,1.5,2]
 */
export function upliftCurve(yTrue: NumArray, uplift: NumArray, treatment: NumArray): Curve {
  checkInputs(yTrue, uplift, treatment);
  const c = cumulativeAtThresholds(yTrue, uplift, treatment);
  const y = new Float64Array(c.nAll.length);
  for (let i = 0; i < y.length; i++) {
    const nT = c.nT[i]!;
    const nC = c.nAll[i]! - nT;
    const rT = nT !== 0 ? c.yT[i]! / nT : 0;
    const rC = nC !== 0 ? c.yC[i]! / nC : 0;
    y[i] = (rT - rC) * c.nAll[i]!;
  }
  return startAtOrigin(c.nAll, y);
}

/**
 * Qini curve: y_T - y_C * n_T / n_C at each threshold (the ratio counts as 0 while the control arm is empty).
 *
 * @example
 * qiniCurve([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], [1, 0, 1, 0]); // x [0,1,3,4], y [0,1,2,2]
 */
export function qiniCurve(yTrue: NumArray, uplift: NumArray, treatment: NumArray): Curve {
  checkInputs(yTrue, uplift, treatment);
  const c = cumulativeAtThresholds(yTrue, uplift, treatment);
  const y = new Float64Array(c.nAll.length);
  for (let i = 0; i < y.length; i++) {
    const nT = c.nT[i]!;
    const nC = c.nAll[i]! - nT;
    y[i] = c.yT[i]! - c.yC[i]! * (nC !== 0 ? nT / nC : 0);
  }
  return startAtOrigin(c.nAll, y);
}

/**
 * Perfect uplift curve: the uplift curve of sklift's ideal score `2 * (y == t) + s`, where `s` is `yTrue`
 * when control responders outnumber treated non-responders, else `treatment`.
 *
 * @example
 * perfectUpliftCurve([1, 0, 0, 1], [1, 1, 0, 0]);
 */
export function perfectUpliftCurve(yTrue: NumArray, treatment: NumArray): Curve {
  assertSameLength({ yTrue, treatment });
  assertBinary('treatment', treatment);
  assertBinary('yTrue', yTrue);
  const n = yTrue.length;
  let cr = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    if (yTrue[i] === 1 && treatment[i] === 0) cr++;
    if (yTrue[i] === 0 && treatment[i] === 1) tn++;
  }
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const summand = cr > tn ? yTrue[i]! : treatment[i]!;
    score[i] = 2 * (yTrue[i] === treatment[i] ? 1 : 0) + summand;
  }
  return upliftCurve(yTrue, score, treatment);
}

/**
 * Perfect Qini curve. With `negativeEffect` (sklift's default) it is the Qini curve of the score
 * `y*t - y*(1-t)`; without, the polyline (0,0) -> (q,q) -> (n,q) with q = Y_T - N_T * Y_C / N_C.
 *
 * @example
 * perfectQiniCurve([1, 0, 0, 1], [1, 1, 0, 0]);
 */
export function perfectQiniCurve(yTrue: NumArray, treatment: NumArray, negativeEffect = true): Curve {
  assertSameLength({ yTrue, treatment });
  assertBinary('treatment', treatment);
  assertBinary('yTrue', yTrue);
  const n = yTrue.length;
  if (negativeEffect) {
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = yTrue[i]! * treatment[i]! - yTrue[i]! * (1 - treatment[i]!);
    return qiniCurve(yTrue, score, treatment);
  }
  let nT = 0;
  let yT = 0;
  let yC = 0;
  for (let i = 0; i < n; i++) {
    nT += treatment[i]!;
    yT += treatment[i]! * yTrue[i]!;
    yC += (1 - treatment[i]!) * yTrue[i]!;
  }
  const q = yT - (nT * yC) / (n - nT);
  return { x: Float64Array.of(0, q, n), y: Float64Array.of(0, q, q) };
}

/**
 * Trapezoidal area under a curve, as `sklearn.metrics.auc` (via `np.trapz`: sum of dx * (y0 + y1) / 2).
 * The terms are summed the way `np.add.reduce` does (NumPy's pairwise summation: 8 interleaved partial
 * sums up to 128 terms, recursive halving above), so areas agree with sklift to the bit.
 *
 * @example
 * auc(Float64Array.of(0, 1, 2), Float64Array.of(0, 1, 1)); // 1.5
 */
export function auc(x: NumArray, y: NumArray): number {
  assertSameLength({ x, y });
  const m = x.length - 1;
  if (m <= 0) return 0;
  const terms = new Float64Array(m);
  for (let i = 0; i < m; i++) terms[i] = ((x[i + 1]! - x[i]!) * (y[i + 1]! + y[i]!)) / 2;
  return pairwiseSum(terms, 0, m);
}

/** NumPy's `pairwise_sum_DOUBLE` over `a[start .. start+n)`. */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i]!;
    return s;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = r[j]! + a[start + i + j]!;
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) s += a[start + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
