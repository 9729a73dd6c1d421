/**
 * Welch's unequal-variance t-test and interval for a difference in means, from sufficient statistics only
 * (the API never ships raw rows): either (n, mean, variance), from `RunningMoments` when the values are streamed, or
 * (n, sum, sum of squares) when a database aggregated them.
 */
import { DEFAULT_ALPHA } from './constants.ts';
import { studentTQuantile, studentTSf } from './distributions/student-t.ts';
import { assertCount, assertFinite, assertNonNegative, assertOpenUnit } from './validate.ts';

/** Sufficient statistics of one sample: size, mean and unbiased (n - 1) variance. */
export interface MeanSummary {
  n: number;
  mean: number;
  variance: number;
}

/**
 * Streaming mean and variance by Welford's update: exact to rounding wherever the values sit. The one-pass
 * `sumSq - sum * mean` loses every digit of the variance when values are far from zero (near 1e8 a spread of 0.3 is
 * below the rounding of sumSq), so streamed values go through this instead.
 *
 * @example
 * const m = new RunningMoments();
 * for (const x of [1e8 + 1, 1e8 + 2, 1e8 + 3]) m.add(x);
 * m.summary(); // { n: 3, mean: 100000002, variance: 1 }
 */
export class RunningMoments {
  n = 0;
  mean = 0;
  /** Sum of squared deviations from the running mean. */
  private m2 = 0;

  add(x: number): void {
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
  }

  /** n, mean and unbiased variance; needs at least 2 values. */
  summary(): MeanSummary {
    if (this.n < 2) throw new RangeError(`n must be at least 2 to estimate a variance, got ${this.n}`);
    return { n: this.n, mean: this.mean, variance: Math.max(0, this.m2 / (this.n - 1)) };
  }
}

/**
 * Mean and unbiased variance from n, sum and sum of squares (variance clamped at 0 against rounding). Exact only
 * while sumSq keeps the variance's digits: values near zero, or integer cents whose sums stay below 2^53.
 *
 * @example
 * summarizeSums(3, 6, 14); // { n: 3, mean: 2, variance: 1 }
 */
export function summarizeSums(n: number, sum: number, sumSq: number): MeanSummary {
  assertCount('n', n);
  if (n < 2) throw new RangeError(`n must be at least 2 to estimate a variance, got ${n}`);
  assertFinite('sum', sum);
  assertNonNegative('sumSq', sumSq);
  const mean = sum / n;
  const variance = Math.max(0, (sumSq - sum * mean) / (n - 1));
  return { n, mean, variance };
}

/** Result of Welch's t-test for treat - control. */
export interface WelchResult {
  difference: number;
  standardError: number;
  /** Welch-Satterthwaite degrees of freedom (fractional). */
  df: number;
  t: number;
  pValue: number;
  lower: number;
  upper: number;
}

/**
 * Welch two-sample t-test (two-sided) and confidence interval for mean(treat) - mean(control), with
 * Satterthwaite df = (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1)), v_i = s_i^2 / n_i.
 * Same as R `t.test(x, y)` (var.equal = FALSE).
 *
 * @example
 * welchTTest({ n: 10, mean: 2.33, variance: 4.009 }, { n: 10, mean: 0.75, variance: 3.2006 });
 * // R's sleep data: t = 1.8608, df = 17.776, p = 0.07939
 */
export function welchTTest(treat: MeanSummary, control: MeanSummary, alpha: number = DEFAULT_ALPHA): WelchResult {
  assertSummary('treat', treat);
  assertSummary('control', control);
  assertOpenUnit('alpha', alpha);
  const v1 = treat.variance / treat.n;
  const v2 = control.variance / control.n;
  const difference = treat.mean - control.mean;
  const standardError = Math.sqrt(v1 + v2);
  if (standardError === 0) {
    // Both samples constant: the difference is known exactly.
    const df = treat.n + control.n - 2;
    const t = difference === 0 ? 0 : Math.sign(difference) * Infinity;
    return { difference, standardError, df, t, pValue: difference === 0 ? 1 : 0, lower: difference, upper: difference };
  }
  const df = (v1 + v2) ** 2 / ((v1 * v1) / (treat.n - 1) + (v2 * v2) / (control.n - 1));
  const t = difference / standardError;
  const half = studentTQuantile(1 - alpha / 2, df) * standardError;
  return {
    difference,
    standardError,
    df,
    t,
    pValue: Math.min(1, 2 * studentTSf(Math.abs(t), df)),
    lower: difference - half,
    upper: difference + half,
  };
}

function assertSummary(name: string, s: MeanSummary): void {
  assertCount(`${name}.n`, s.n);
  if (s.n < 2) throw new RangeError(`${name}.n must be at least 2, got ${s.n}`);
  assertFinite(`${name}.mean`, s.mean);
  assertNonNegative(`${name}.variance`, s.variance);
}
