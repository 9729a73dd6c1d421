/**
 * Intervals and tests for binomial proportions: Wilson score interval, Newcombe's hybrid score interval for a
 * difference (method 10 of Newcombe 1998), and the pooled two-proportion z-test.
 */
import { DEFAULT_ALPHA } from './constants.ts';
import { normalQuantileUpper, normalSf } from './distributions/normal.ts';
import { assertOpenUnit, assertPositiveCount, assertSuccesses } from './validate.ts';

/** A point estimate with a two-sided interval. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927), without continuity correction.
 * Good coverage even for small n or rates near 0 and 1, unlike the Wald interval.
 *
 * @example
 * wilsonInterval(81, 263); // { estimate: 0.30798, lower: 0.25529, upper: 0.36621 }
 */
export function wilsonInterval(successes: number, trials: number, alpha: number = DEFAULT_ALPHA): Interval {
  assertPositiveCount('trials', trials);
  assertSuccesses('successes', successes, 'trials', trials);
  assertOpenUnit('alpha', alpha);
  const z = normalQuantileUpper(alpha / 2);
  const z2 = z * z;
  const p = successes / trials;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === trials ? 1 : Math.min(1, center + half),
  };
}

/**
 * Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998, method 10): combines the two Wilson intervals
 * (l1, u1) and (l2, u2) as  d - sqrt((p1 - l1)^2 + (u2 - p2)^2)  to  d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * Chosen for StormOps because it stays inside [-1, 1], behaves at zero counts and has near-nominal coverage.
 *
 * @example
 * newcombeInterval(56, 70, 48, 80); // { estimate: 0.2, lower: 0.05243, upper: 0.33387 }
 */
export function newcombeInterval(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
  alpha: number = DEFAULT_ALPHA,
): Interval {
  assertPositiveCount('trials1', trials1);
  assertSuccesses('successes1', successes1, 'trials1', trials1);
  assertPositiveCount('trials2', trials2);
  assertSuccesses('successes2', successes2, 'trials2', trials2);
  const a = wilsonInterval(successes1, trials1, alpha);
  const b = wilsonInterval(successes2, trials2, alpha);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    lower: d - Math.hypot(a.estimate - a.lower, b.upper - b.estimate),
    upper: d + Math.hypot(a.upper - a.estimate, b.estimate - b.lower),
  };
}

/** Result of a two-sided z-test. */
export interface ZTestResult {
  difference: number;
  z: number;
  pValue: number;
}

/**
 * Pooled two-proportion z-test of H0: p1 = p2 (two-sided). z^2 equals Pearson's chi-square without continuity
 * correction, i.e. R's `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`.
 *
 * @example
 * twoProportionZTest(3238, 21387, 2262, 21306).pValue; // 3.18e-44
 */
export function twoProportionZTest(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
): ZTestResult {
  assertPositiveCount('trials1', trials1);
  assertSuccesses('successes1', successes1, 'trials1', trials1);
  assertPositiveCount('trials2', trials2);
  assertSuccesses('successes2', successes2, 'trials2', trials2);
  const p1 = successes1 / trials1;
  const p2 = successes2 / trials2;
  const pooled = (successes1 + successes2) / (trials1 + trials2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / trials1 + 1 / trials2));
  const difference = p1 - p2;
  if (se === 0) return { difference, z: 0, pValue: 1 }; // all successes or all failures: no evidence either way
  const z = difference / se;
  return { difference, z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
