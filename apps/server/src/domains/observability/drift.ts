/**
 * Drift of predicted uplift against the distribution the model produced on its training data, with Evidently's
 * conventions: PSI over the reference deciles (warn at 0.1, alert at 0.25); for small samples (<= 1,000) a one-sample
 * Kolmogorov-Smirnov test against the reference (drift when p < 0.05); for larger ones the Wasserstein distance normed
 * by the reference standard deviation (drift at >= 0.1). The reference is kept as percentiles, not raw scores.
 */
import type { ScoreReference } from '../models/training.ts';

export const PSI_WARN = 0.1;
export const PSI_ALERT = 0.25;
export const KS_MAX_N = 1000;
export const KS_ALPHA = 0.05;
export const WASSERSTEIN_THRESHOLD = 0.1;
const EPSILON = 1e-4;

/** What a model predicted on its training data (kept with the model; see models/training.ts). */
export type Reference = ScoreReference;

/** Population stability index of `scores` over the reference deciles (each reference bin holds 10%). */
export function psi(scores: Float64Array, deciles: readonly number[]): number {
  const bins = deciles.length + 1;
  const counts = new Float64Array(bins);
  for (const s of scores) {
    let b = 0;
    while (b < deciles.length && s > (deciles[b] as number)) b++;
    counts[b]! += 1;
  }
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const actual = Math.max((counts[b] as number) / scores.length, EPSILON);
    const expected = 1 / bins;
    total += (actual - expected) * Math.log(actual / expected);
  }
  return total;
}

/** The reference's quantile function: linear between min, the 99 percentiles and max. */
export function referenceQuantile(ref: Reference, u: number): number {
  const knots = [ref.min, ...ref.percentiles, ref.max];
  const x = Math.min(Math.max(u, 0), 1) * (knots.length - 1);
  const i = Math.min(Math.floor(x), knots.length - 2);
  const a = knots[i] as number;
  const b = knots[i + 1] as number;
  return a + (b - a) * (x - i);
}

/** The reference's CDF at x, the inverse of referenceQuantile. */
export function referenceCdf(ref: Reference, x: number): number {
  const knots = [ref.min, ...ref.percentiles, ref.max];
  if (x <= (knots[0] as number)) return 0;
  if (x >= (knots[knots.length - 1] as number)) return 1;
  let i = 0;
  while (i < knots.length - 2 && x >= (knots[i + 1] as number)) i++;
  const a = knots[i] as number;
  const b = knots[i + 1] as number;
  return (i + (b > a ? (x - a) / (b - a) : 0)) / (knots.length - 1);
}

/** Kolmogorov distribution upper tail Q(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2). */
function kolmogorovQ(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 ? 1 : -1) * term;
    if (term < 1e-12) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** One-sample KS statistic and asymptotic p-value (Stephens' small-sample correction). */
export function ksTest(scores: Float64Array, ref: Reference): { statistic: number; p_value: number } {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = referenceCdf(ref, sorted[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sqrtN = Math.sqrt(n);
  return { statistic: d, p_value: kolmogorovQ((sqrtN + 0.12 + 0.11 / sqrtN) * d) };
}

/** Wasserstein-1 distance between the sample and the reference, divided by the reference standard deviation. */
export function normedWasserstein(scores: Float64Array, ref: Reference): number {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((sorted[i] as number) - referenceQuantile(ref, (i + 0.5) / n));
  return sum / n / Math.max(ref.stddev, 1e-12);
}

export interface DriftResult {
  psi: number;
  psi_level: 'ok' | 'warning' | 'alert';
  test: { method: 'ks'; statistic: number; p_value: number } | { method: 'wasserstein'; distance: number };
  drift_detected: boolean;
}

export function drift(scores: Float64Array, ref: Reference): DriftResult {
  const p = psi(scores, ref.deciles);
  const level = p >= PSI_ALERT ? 'alert' : p >= PSI_WARN ? 'warning' : 'ok';
  if (scores.length <= KS_MAX_N) {
    const ks = ksTest(scores, ref);
    return {
      psi: p,
      psi_level: level,
      test: { method: 'ks', ...ks },
      drift_detected: level === 'alert' || ks.p_value < KS_ALPHA,
    };
  }
  const w = normedWasserstein(scores, ref);
  return {
    psi: p,
    psi_level: level,
    test: { method: 'wasserstein', distance: w },
    drift_detected: level === 'alert' || w >= WASSERSTEIN_THRESHOLD,
  };
}
