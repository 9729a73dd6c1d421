/**
 * Percentile bootstrap intervals for ratio statistics such as ROI, where no simple variance formula is trusted.
 * Deterministic by seed (mulberry32), so re-running an analysis reproduces the same interval.
 */
import { DEFAULT_ALPHA, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED } from './constants.ts';
import type { Interval } from './proportions.ts';
import { mulberry32, type Random } from './random.ts';
import { assertFinite, assertOpenUnit, assertPositiveCount } from './validate.ts';

/** Options shared by the bootstrap functions. */
export interface BootstrapOptions {
  /** Number of resamples (default 10,000). */
  resamples?: number;
  alpha?: number;
  /** PRNG seed (default DEFAULT_BOOTSTRAP_SEED). */
  seed?: number;
}

/** Bootstrap interval plus the number of resamples whose statistic was finite (others are dropped). */
export interface BootstrapInterval extends Interval {
  resamples: number;
}

/**
 * Quantile of already-sorted values by linear interpolation (R's default type 7).
 *
 * @example
 * sortedQuantile(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (h - lo) * (b - a);
}

/**
 * Percentile bootstrap interval for sum(numerators) / sum(denominators) over paired units, e.g. ROI =
 * incremental revenue / canvassing cost per territory. Units are resampled with replacement.
 *
 * @example
 * bootstrapRatioInterval([120, 80, 300], [100, 100, 100], { resamples: 2000, seed: 1 }); // estimate 1.6667
 */
export function bootstrapRatioInterval(
  numerators: ArrayLike<number>,
  denominators: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const n = numerators.length;
  if (denominators.length !== n) throw new RangeError('denominators must have the same length as numerators');
  assertPositiveCount('numerators.length', n);
  const { resamples, alpha, random } = resolveOptions(options);
  const num = Float64Array.from(numerators);
  const den = Float64Array.from(denominators);
  for (let i = 0; i < n; i++) {
    assertFinite(`numerators[${i}]`, num[i] ?? NaN);
    assertFinite(`denominators[${i}]`, den[i] ?? NaN);
  }
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sumNum = 0;
    let sumDen = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      sumNum += num[j] ?? 0;
      sumDen += den[j] ?? 0;
    }
    stats[r] = sumNum / sumDen;
  }
  return percentileInterval(sum(num) / sum(den), stats, alpha);
}

/**
 * Percentile bootstrap interval for a statistic of two independent arms' means, e.g. relative lift
 * (t, c) => t / c - 1 or ROI (t, c) => (t - c) * units / cost. Each arm is resampled separately.
 *
 * @example
 * bootstrapTwoSampleInterval([3, 5, 4], [2, 3, 1], (t, c) => t / c - 1, { seed: 7 }); // estimate 1
 */
export function bootstrapTwoSampleInterval(
  treat: ArrayLike<number>,
  control: ArrayLike<number>,
  statistic: (treatMean: number, controlMean: number) => number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  assertPositiveCount('treat.length', treat.length);
  assertPositiveCount('control.length', control.length);
  const { resamples, alpha, random } = resolveOptions(options);
  const t = Float64Array.from(treat);
  const c = Float64Array.from(control);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    stats[r] = statistic(resampleMean(t, random), resampleMean(c, random));
  }
  return percentileInterval(statistic(sum(t) / t.length, sum(c) / c.length), stats, alpha);
}

function resolveOptions(options: BootstrapOptions): { resamples: number; alpha: number; random: Random } {
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  assertPositiveCount('options.resamples', resamples);
  assertOpenUnit('options.alpha', alpha);
  return { resamples, alpha, random: mulberry32(options.seed ?? DEFAULT_BOOTSTRAP_SEED) };
}

function resampleMean(values: Float64Array, random: Random): number {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[Math.floor(random() * n)] ?? 0;
  return total / n;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] ?? 0;
  return total;
}

/** Drops non-finite resamples (e.g. a zero denominator), sorts, and reads the alpha/2 and 1 - alpha/2 quantiles. */
function percentileInterval(estimate: number, stats: Float64Array, alpha: number): BootstrapInterval {
  const finite = stats.filter((v) => Number.isFinite(v)).sort();
  return {
    estimate,
    lower: sortedQuantile(finite, alpha / 2),
    upper: sortedQuantile(finite, 1 - alpha / 2),
    resamples: finite.length,
  };
}
