/**
 * Standard normal distribution. The tails come from the regularized incomplete gamma
 * (Phi(-z) = Q(1/2, z^2/2) / 2), so `normalSf(30)` is 4.9e-198 with full relative precision
 * instead of the 0 that `1 - normalCdf(30)` would give.
 */
import { incompleteGamma } from '../special/gamma.ts';

const INV_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Standard normal density.
 *
 * @example
 * normalPdf(0); // 0.3989422804014327
 */
export function normalPdf(z: number): number {
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/**
 * Standard normal lower tail P(Z <= z).
 *
 * @example
 * normalCdf(-10); // 7.619853024160527e-24
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  const half = 0.5 * incompleteGamma(0.5, 0.5 * z * z).upper;
  return z < 0 ? half : 1 - half;
}

/**
 * Standard normal upper tail P(Z > z), computed directly (not as 1 - cdf).
 *
 * @example
 * normalSf(10); // 7.619853024160527e-24
 */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/**
 * Standard normal quantile (inverse cdf) for p in (0, 1); returns -Infinity / Infinity at 0 / 1.
 * Acklam's rational approximation refined by Halley steps against the accurate tails.
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work in the smaller tail so tiny p keep their precision: z = -q(p) for p < 0.5.
  const lowerTail = p < 0.5;
  const tail = lowerTail ? p : 1 - p;
  let x = acklamLowerTail(tail); // negative
  for (let i = 0; i < 4; i++) {
    const e = normalCdf(x) - tail;
    const u = e / normalPdf(x);
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return lowerTail ? x : -x;
}

/**
 * Upper-tail normal quantile: z such that P(Z > z) = q, accurate for tiny q (e.g. q = 1e-300).
 *
 * @example
 * normalQuantileUpper(0.025); // 1.959963984540054
 */
export function normalQuantileUpper(q: number): number {
  return -normalQuantile(q);
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Acklam's approximation (relative error 1.15e-9) for p <= 0.5; the Halley steps above finish the job. */
function acklamLowerTail(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}
