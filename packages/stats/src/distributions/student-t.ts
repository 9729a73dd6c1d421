/**
 * Student t distribution with real df > 0 (Welch gives fractional df). Tails come from the regularized
 * incomplete beta, P(T > t) = I_{df/(df+t^2)}(df/2, 1/2) / 2, computed directly for far tails.
 */
import { incompleteBeta, logBeta } from '../special/beta.ts';
import { normalCdf, normalQuantile } from './normal.ts';
import { solveIncreasing } from './solve.ts';

/**
 * Beyond this df the incomplete-beta continued fraction needs ~sqrt(df) steps and drifts (~1e-9), so we use
 * Abramowitz & Stegun 26.7.8 (as R's pt does above 4e5): z = t (1 - 1/(4 df)) / sqrt(1 + t^2 / (2 df)),
 * whose relative error here is < 4e-12 for |t| <= 10 and < 3e-9 at |t| = 30 (checked with mpmath).
 */
const LARGE_DF = 1e8;

/** A&S 26.7.8 normal transformation of t for large df. */
function largeDfZ(t: number, df: number): number {
  return (t * (1 - 1 / (4 * df))) / Math.sqrt(1 + (t * t) / (2 * df));
}

function assertDf(df: number): void {
  if (!(df > 0) || Number.isNaN(df)) throw new RangeError(`df must be > 0, got ${df}`);
}

/**
 * Student t log density.
 *
 * @example
 * Math.exp(studentTLogPdf(0, 1)); // 1 / pi
 */
export function studentTLogPdf(t: number, df: number): number {
  assertDf(df);
  // Gamma((df + 1) / 2) / (Gamma(df / 2) sqrt(pi)) = 1 / B(df / 2, 1 / 2), accurate for huge df.
  return -logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df);
}

/**
 * Student t lower tail P(T <= t).
 *
 * @example
 * studentTCdf(1, 1); // 0.75
 */
export function studentTCdf(t: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(t)) return NaN;
  if (df >= LARGE_DF) return normalCdf(largeDfZ(t, df));
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const t2 = t * t;
  // x = df / (df + t^2) and y = 1 - x, without overflow when t^2 does not fit in a double.
  const x = Number.isFinite(t2) ? df / (df + t2) : df / Math.abs(t) / Math.abs(t);
  const y = Number.isFinite(t2) ? t2 / (df + t2) : 1;
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5, y).lower;
  return t < 0 ? tail : 1 - tail;
}

/**
 * Student t upper tail P(T > t), computed directly.
 *
 * @example
 * studentTSf(1e10, 1); // 3.183098861837907e-11
 */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df);
}

/**
 * Student t quantile for p in [0, 1] (safeguarded Newton on the log of the smaller tail).
 *
 * @example
 * studentTQuantile(0.975, 10); // 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  assertDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const tail = p < 0.5 ? p : 1 - p;
  if (df === 1) return (p < 0.5 ? -1 : 1) / Math.tan(Math.PI * tail);
  const logTail = Math.log(tail);
  // Solve log P(T <= x) = log(tail) for x < 0; the derivative is pdf / cdf.
  const x = solveIncreasing(
    (x) => Math.log(studentTCdf(x, df)) - logTail,
    (x) => Math.exp(studentTLogPdf(x, df) - Math.log(studentTCdf(x, df))),
    Math.min(normalQuantile(tail), -1e-8),
    -Infinity,
    0,
  );
  // Below ~1e-308^(df) the quantile is not representable: report the overflow honestly.
  if (studentTCdf(x, df) === 0) return p < 0.5 ? -Infinity : Infinity;
  return p < 0.5 ? x : -x;
}
