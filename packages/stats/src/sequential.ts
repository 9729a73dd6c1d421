/**
 * Always-valid inference for continuous monitoring: confidence sequences (CS) that hold simultaneously at every
 * look, so a contractor can watch the dashboard daily without inflating false positives.
 *
 * We use the two-sided normal-mixture boundary (Robbins 1970; Howard, Ramdas, McAuliffe & Sekhon 2021,
 * "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist., normal mixture with
 * intrinsic time V and mixing parameter rho), which is also the mSPRT of Johari, Pekelis & Walsh (2017) used by
 * Optimizely and Eppo. Written on the effect scale, with s = variance of the estimate at this look and
 * tau^2 = mixing variance:
 *
 *   half-width = sqrt( s (s + tau^2) / tau^2 * log( (s + tau^2) / (s alpha^2) ) )
 *
 * which is Howard et al.'s sqrt((V + rho) log((V + rho) / (rho alpha^2))) divided by n, with V = n sigma^2 and
 * rho = sigma^4 / tau^2. Validity is asymptotic (CLT) for bounded or light-tailed outcomes.
 *
 * Tuning parameter: `mixingVariance` (tau^2), the prior variance of the true effect, on the effect's own scale.
 * It must be fixed before the data are seen. Small tau^2 makes the CS tightest late in the experiment, large
 * tau^2 early; `mixingVarianceForHorizon` picks the tau^2 that makes the CS narrowest at the planned final look.
 */
import { DEFAULT_ALPHA } from './constants.ts';
import type { Interval } from './proportions.ts';
import { assertNonNegative, assertOpenUnit, assertPositive, assertPositiveCount, assertSuccesses } from './validate.ts';
import type { MeanSummary } from './welch.ts';

/** Options for a confidence sequence. */
export interface SequentialOptions {
  /** Probability that the CS ever excludes the truth, over all looks (default 0.05). */
  alpha?: number;
  /** tau^2: mixing (prior) variance of the effect, fixed in advance. See `mixingVarianceForHorizon`. */
  mixingVariance: number;
}

/** A confidence sequence at one look, plus the always-valid p-value of H0: effect = 0 at that look. */
export interface SequentialResult extends Interval {
  /** Always-valid p-value at this look; the caller keeps the running minimum across looks. */
  pValue: number;
}

/**
 * Half-width of the normal-mixture confidence sequence for an estimate whose variance is `varianceOfEstimate`.
 *
 * @example
 * normalMixtureHalfWidth(1e-4, 1e-4, 0.05); // 0.0366 (vs 0.0196 for a fixed-horizon 95% CI)
 */
export function normalMixtureHalfWidth(
  varianceOfEstimate: number,
  mixingVariance: number,
  alpha: number = DEFAULT_ALPHA,
): number {
  assertNonNegative('varianceOfEstimate', varianceOfEstimate);
  assertPositive('mixingVariance', mixingVariance);
  assertOpenUnit('alpha', alpha);
  const s = varianceOfEstimate;
  if (s === 0) return 0;
  const sum = s + mixingVariance;
  return Math.sqrt(((s * sum) / mixingVariance) * (Math.log(sum / s) - 2 * Math.log(alpha)));
}

/**
 * Always-valid p-value 1 / Lambda for H0: effect = 0, where Lambda is the mixture likelihood ratio
 * sqrt(s / (s + tau^2)) exp(tau^2 estimate^2 / (2 s (s + tau^2))) (Johari et al. 2017).
 *
 * @example
 * alwaysValidPValue(0, 1e-4, 1e-4); // 1
 */
export function alwaysValidPValue(estimate: number, varianceOfEstimate: number, mixingVariance: number): number {
  assertNonNegative('varianceOfEstimate', varianceOfEstimate);
  assertPositive('mixingVariance', mixingVariance);
  const s = varianceOfEstimate;
  if (s === 0) return estimate === 0 ? 1 : 0;
  const sum = s + mixingVariance;
  const logLambda = 0.5 * Math.log(s / sum) + (mixingVariance * estimate * estimate) / (2 * s * sum);
  return Math.min(1, Math.exp(-logLambda));
}

/**
 * Confidence sequence at one look for an asymptotically normal estimate (a difference in means or rates).
 *
 * @example
 * confidenceSequence(0.02, 1e-4, { mixingVariance: 1e-4 }); // { estimate: 0.02, lower: -0.0166, upper: 0.0566, pValue: 0.52 }
 */
export function confidenceSequence(
  estimate: number,
  varianceOfEstimate: number,
  options: SequentialOptions,
): SequentialResult {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const half = normalMixtureHalfWidth(varianceOfEstimate, options.mixingVariance, alpha);
  return {
    estimate,
    lower: estimate - half,
    upper: estimate + half,
    pValue: alwaysValidPValue(estimate, varianceOfEstimate, options.mixingVariance),
  };
}

/**
 * Confidence sequence for p_treat - p_control from running counts (unpooled Bernoulli variances; the
 * conservative bound 1/4 per unit while both arms are still all-zero or all-one).
 *
 * @example
 * proportionsConfidenceSequence(150, 1000, 110, 1000, { mixingVariance: 4e-4 });
 */
export function proportionsConfidenceSequence(
  treatConversions: number,
  treatN: number,
  controlConversions: number,
  controlN: number,
  options: SequentialOptions,
): SequentialResult {
  assertPositiveCount('treatN', treatN);
  assertSuccesses('treatConversions', treatConversions, 'treatN', treatN);
  assertPositiveCount('controlN', controlN);
  assertSuccesses('controlConversions', controlConversions, 'controlN', controlN);
  const pT = treatConversions / treatN;
  const pC = controlConversions / controlN;
  const plugIn = (pT * (1 - pT)) / treatN + (pC * (1 - pC)) / controlN;
  // Early looks with no (or only) conversions have a zero plug-in variance and would give a zero-width CS:
  // fall back to the Bernoulli maximum p(1 - p) <= 1/4 so the sequence stays conservative.
  const variance = plugIn > 0 ? plugIn : 0.25 / treatN + 0.25 / controlN;
  return confidenceSequence(pT - pC, variance, options);
}

/**
 * Confidence sequence for mean(treat) - mean(control) from running sufficient statistics.
 *
 * @example
 * meansConfidenceSequence({ n: 500, mean: 1.1, variance: 30 }, { n: 500, mean: 0.65, variance: 20 }, { mixingVariance: 0.05 });
 */
export function meansConfidenceSequence(
  treat: MeanSummary,
  control: MeanSummary,
  options: SequentialOptions,
): SequentialResult {
  assertPositiveCount('treat.n', treat.n);
  assertPositiveCount('control.n', control.n);
  assertNonNegative('treat.variance', treat.variance);
  assertNonNegative('control.variance', control.variance);
  const variance = treat.variance / treat.n + control.variance / control.n;
  return confidenceSequence(treat.mean - control.mean, variance, options);
}

/**
 * The mixing variance tau^2 that minimizes the CS half-width when the estimate's variance reaches
 * `plannedVarianceOfEstimate` (e.g. p(1-p)(1/nT + 1/nC) at the planned sample size). The optimal ratio
 * u = tau^2 / s depends only on alpha; found by golden-section search on log u.
 *
 * @example
 * mixingVarianceForHorizon(1e-4); // 8.21e-4: tau^2 / s = 8.21 for alpha = 0.05
 */
export function mixingVarianceForHorizon(plannedVarianceOfEstimate: number, alpha: number = DEFAULT_ALPHA): number {
  assertPositive('plannedVarianceOfEstimate', plannedVarianceOfEstimate);
  assertOpenUnit('alpha', alpha);
  const logAlpha2 = 2 * Math.log(alpha);
  const widthSquared = (logU: number): number => {
    const u = Math.exp(logU);
    return ((1 + u) / u) * (Math.log1p(u) - logAlpha2);
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (widthSquared(a) < widthSquared(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2) * plannedVarianceOfEstimate;
}
