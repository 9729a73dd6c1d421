/**
 * Lift of treatment over control: absolute (treat - control) and relative (treat / control - 1) with intervals.
 * Inputs are arm means and the sampling variances of those means (se^2), so the same functions serve
 * conversion rates (p(1 - p) / n) and revenue per unit (s^2 / n).
 */
import { DEFAULT_ALPHA } from './constants.ts';
import { normalQuantileUpper } from './distributions/normal.ts';
import type { Interval } from './proportions.ts';
import { assertFinite, assertNonNegative, assertOpenUnit } from './validate.ts';

/** One arm's estimate and the variance of that estimate (standard error squared). */
export interface ArmEstimate {
  mean: number;
  varianceOfMean: number;
}

function assertArm(name: string, arm: ArmEstimate): void {
  assertFinite(`${name}.mean`, arm.mean);
  assertNonNegative(`${name}.varianceOfMean`, arm.varianceOfMean);
}

/**
 * Absolute lift treat - control with a Wald (normal) interval. For proportions prefer `newcombeInterval`.
 *
 * @example
 * absoluteLift({ mean: 1.2, varianceOfMean: 0.01 }, { mean: 1, varianceOfMean: 0.01 }); // 0.2 +/- 0.277
 */
export function absoluteLift(treat: ArmEstimate, control: ArmEstimate, alpha: number = DEFAULT_ALPHA): Interval {
  assertArm('treat', treat);
  assertArm('control', control);
  assertOpenUnit('alpha', alpha);
  const estimate = treat.mean - control.mean;
  const half = normalQuantileUpper(alpha / 2) * Math.sqrt(treat.varianceOfMean + control.varianceOfMean);
  return { estimate, lower: estimate - half, upper: estimate + half };
}

/**
 * Relative lift treat / control - 1 with a delta-method interval:
 * Var(T / C) ~ Var(T) / C^2 + T^2 Var(C) / C^4 (independent arms). Symmetric around the estimate, so for
 * small or noisy control means prefer `relativeLiftFieller`. Throws if the control mean is 0.
 *
 * @example
 * relativeLiftDelta({ mean: 0.1514, varianceOfMean: 6.0e-6 }, { mean: 0.1062, varianceOfMean: 4.4e-6 }); // ~0.426
 */
export function relativeLiftDelta(treat: ArmEstimate, control: ArmEstimate, alpha: number = DEFAULT_ALPHA): Interval {
  assertArm('treat', treat);
  assertArm('control', control);
  assertOpenUnit('alpha', alpha);
  if (control.mean === 0) throw new RangeError('control.mean must be non-zero for a relative lift');
  const ratio = treat.mean / control.mean;
  const c2 = control.mean * control.mean;
  const se = Math.sqrt(treat.varianceOfMean / c2 + (ratio * ratio * control.varianceOfMean) / c2);
  const half = normalQuantileUpper(alpha / 2) * se;
  return { estimate: ratio - 1, lower: ratio - 1 - half, upper: ratio - 1 + half };
}

/**
 * Relative lift treat / control - 1 with Fieller's interval for a ratio of independent normal means:
 * the set of rho with (T - rho C)^2 <= z^2 (Var T + rho^2 Var C). Asymmetric, and honest when C is noisy:
 * when the control mean is not significantly non-zero the set is unbounded and we return (-Infinity, Infinity).
 *
 * @example
 * relativeLiftFieller({ mean: 12, varianceOfMean: 1 }, { mean: 10, varianceOfMean: 1 }); // 0.2, (-0.068, 0.564)
 */
export function relativeLiftFieller(treat: ArmEstimate, control: ArmEstimate, alpha: number = DEFAULT_ALPHA): Interval {
  assertArm('treat', treat);
  assertArm('control', control);
  assertOpenUnit('alpha', alpha);
  if (control.mean === 0) throw new RangeError('control.mean must be non-zero for a relative lift');
  const z2 = normalQuantileUpper(alpha / 2) ** 2;
  const t = treat.mean;
  const c = control.mean;
  const a = c * c - z2 * control.varianceOfMean; // > 0 iff control mean is significant
  const b = t * c;
  const discriminant = b * b - a * (t * t - z2 * treat.varianceOfMean);
  const estimate = t / c - 1;
  if (a <= 0 || discriminant < 0) return { estimate, lower: -Infinity, upper: Infinity };
  const root = Math.sqrt(discriminant);
  return { estimate, lower: (b - root) / a - 1, upper: (b + root) / a - 1 };
}

/**
 * Sampling variance of a proportion estimate, p (1 - p) / n.
 *
 * @example
 * proportionVarianceOfMean(10, 100); // 0.0009
 */
export function proportionVarianceOfMean(successes: number, trials: number): number {
  const p = successes / trials;
  return (p * (1 - p)) / trials;
}
