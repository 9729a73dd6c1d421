/**
 * Chi-square distribution with real df > 0. cdf = P(df/2, x/2) and upper tail = Q(df/2, x/2) from the
 * regularized incomplete gamma, both direct, so a huge statistic gives a tiny but exact p-value.
 */
import { incompleteGamma, logGammaPrefactor } from '../special/gamma.ts';
import { normalQuantile } from './normal.ts';
import { solveIncreasing } from './solve.ts';

function assertDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`df must be a finite number > 0, got ${df}`);
}

/**
 * Chi-square log density for x > 0.
 *
 * @example
 * Math.exp(chiSquareLogPdf(2, 2)); // exp(-1) / 2
 */
export function chiSquareLogPdf(x: number, df: number): number {
  assertDf(df);
  if (x < 0) return -Infinity;
  // f(x) = (x/2)^k e^(-x/2) / (x Gamma(k)), k = df / 2: reuse the cancellation-free gamma prefactor.
  return logGammaPrefactor(df / 2, x / 2) - Math.log(x);
}

/**
 * Chi-square lower tail P(X <= x).
 *
 * @example
 * chiSquareCdf(3.841458820694124, 1); // 0.95
 */
export function chiSquareCdf(x: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  return incompleteGamma(df / 2, x / 2).lower;
}

/**
 * Chi-square upper tail P(X > x), computed directly (the p-value of a chi-square test).
 *
 * @example
 * chiSquareSf(1000, 2); // exp(-500) = 7.124576406741286e-218
 */
export function chiSquareSf(x: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return incompleteGamma(df / 2, x / 2).upper;
}

/**
 * Chi-square quantile for p in [0, 1].
 *
 * @example
 * chiSquareQuantile(0.95, 1); // 3.841458820694124
 */
export function chiSquareQuantile(p: number, df: number): number {
  assertDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const start = wilsonHilferty(p, df);
  if (p <= 0.5) {
    const logP = Math.log(p);
    return solveIncreasing(
      (x) => Math.log(chiSquareCdf(x, df)) - logP,
      (x) => Math.exp(chiSquareLogPdf(x, df) - Math.log(chiSquareCdf(x, df))),
      start,
      0,
      Infinity,
    );
  }
  const logQ = Math.log(1 - p);
  // Upper tail: -log Q(x) is increasing in x; its derivative is pdf / sf.
  return solveIncreasing(
    (x) => logQ - Math.log(chiSquareSf(x, df)),
    (x) => Math.exp(chiSquareLogPdf(x, df) - Math.log(chiSquareSf(x, df))),
    start,
    0,
    Infinity,
  );
}

/**
 * Upper-tail chi-square quantile: x such that P(X > x) = q, accurate for tiny q.
 *
 * @example
 * chiSquareQuantileUpper(0.05, 1); // 3.841458820694124
 */
export function chiSquareQuantileUpper(q: number, df: number): number {
  assertDf(df);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  if (q === 0) return Infinity;
  if (q >= 0.5) return chiSquareQuantile(1 - q, df);
  const logQ = Math.log(q);
  return solveIncreasing(
    (x) => logQ - Math.log(chiSquareSf(x, df)),
    (x) => Math.exp(chiSquareLogPdf(x, df) - Math.log(chiSquareSf(x, df))),
    wilsonHilferty(1 - q, df),
    0,
    Infinity,
  );
}

/** Wilson-Hilferty starting point, kept strictly positive. */
function wilsonHilferty(p: number, df: number): number {
  const z = normalQuantile(Math.min(Math.max(p, 1e-300), 1 - 1e-16));
  const h = 2 / (9 * df);
  const cube = 1 - h + z * Math.sqrt(h);
  return Math.max(df * cube * cube * cube, 1e-8);
}
