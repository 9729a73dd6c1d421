/**
 * Fisher's exact test for a 2x2 table, for small counts where the z-test's normal approximation is poor.
 * Hypergeometric probabilities are computed in log space so large margins do not overflow.
 */
import { FISHER_RELATIVE_TOLERANCE } from './constants.ts';
import { logGamma } from './special/gamma.ts';
import { assertCount } from './validate.ts';

/** Result of Fisher's exact test. */
export interface FisherResult {
  /** Two-sided p-value: total probability of tables no more likely than the observed one (R's definition). */
  pValue: number;
  /** Sample odds ratio (a d) / (b c); Infinity or NaN when a cell is zero (R reports the conditional MLE instead). */
  sampleOddsRatio: number;
}

/**
 * Two-sided Fisher exact test for the table [[a, b], [c, d]] (rows: arms, columns: converted / not converted).
 * Matches R `fisher.test(matrix(c(a, c, b, d), 2))$p.value`, including its 1e-7 relative tolerance for ties.
 *
 * @example
 * fisherExactTest(3, 1, 1, 3).pValue; // 34 / 70 = 0.4857142857 (R's TeaTasting example)
 */
export function fisherExactTest(a: number, b: number, c: number, d: number): FisherResult {
  assertCount('a', a);
  assertCount('b', b);
  assertCount('c', c);
  assertCount('d', d);
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const min = Math.max(0, col1 - row2);
  const max = Math.min(col1, row1);
  const logProbabilities = new Float64Array(max - min + 1);
  let logMax = -Infinity;
  for (let x = min; x <= max; x++) {
    const lp = logHypergeometric(x, row1, row2, col1);
    logProbabilities[x - min] = lp;
    if (lp > logMax) logMax = lp;
  }
  const logObserved = logProbabilities[a - min] ?? -Infinity;
  const cutoff = logObserved + Math.log1p(FISHER_RELATIVE_TOLERANCE);
  let extreme = 0;
  let total = 0;
  for (let i = 0; i < logProbabilities.length; i++) {
    const lp = logProbabilities[i] ?? -Infinity;
    const w = Math.exp(lp - logMax);
    total += w;
    if (lp <= cutoff) extreme += w;
  }
  return { pValue: Math.min(1, extreme / total), sampleOddsRatio: (a * d) / (b * c) };
}

/** log P(X = x) for X ~ Hypergeometric: x successes in row 1 given the margins. */
function logHypergeometric(x: number, row1: number, row2: number, col1: number): number {
  return logChoose(row1, x) + logChoose(row2, col1 - x) - logChoose(row1 + row2, col1);
}

/**
 * log of the binomial coefficient C(n, k).
 *
 * @example
 * Math.exp(logChoose(5, 2)); // 10
 */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}
