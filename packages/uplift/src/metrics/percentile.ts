/**
 * `sklift.metrics.response_rate_by_percentile`, `uplift_by_percentile` and `weighted_average_uplift` (0.5.1).
 * Rows in sklift order are cut like `np.array_split(rows, bins)`: the first `n % bins` bins hold one extra row.
 */
import { assertBinary, assertPositiveInt, assertSameLength, type NumArray } from '../validate.ts';
import type { AtKStrategy } from './at-k.ts';
import { skliftOrder } from './order.ts';

/** One arm's response rate, its binomial variance rate*(1-rate)/n, and its size, per bin. */
export interface ResponseRates {
  rate: Float64Array;
  variance: Float64Array;
  size: Float64Array;
}

/** One row per bin, like sklift's DataFrame with `std=True` (std columns are square roots of the variances). */
export interface PercentileTable {
  percentile: string[];
  nTreatment: Float64Array;
  nControl: Float64Array;
  responseRateTreatment: Float64Array;
  responseRateControl: Float64Array;
  uplift: Float64Array;
  stdTreatment: Float64Array;
  stdControl: Float64Array;
  stdUplift: Float64Array;
}

function checkArgs(yTrue: NumArray, uplift: NumArray, treatment: NumArray, strategy: AtKStrategy, bins: number): void {
  const n = assertSameLength({ yTrue, uplift, treatment });
  assertBinary('treatment', treatment);
  assertBinary('yTrue', yTrue);
  assertPositiveInt('bins', bins);
  if (bins >= n) throw new RangeError(`bins=${bins} must be smaller than the number of rows ${n}`);
  if (strategy !== 'overall' && strategy !== 'by_group') {
    throw new TypeError(`strategy must be 'overall' or 'by_group', got ${String(strategy)}`);
  }
}

/** Bin boundaries of `np.array_split(length m, bins)`: bin b covers [start[b], start[b+1]). */
function splitStarts(m: number, bins: number): Int32Array {
  const starts = new Int32Array(bins + 1);
  const base = Math.floor(m / bins);
  const extra = m % bins;
  for (let b = 0; b < bins; b++) starts[b + 1] = starts[b]! + base + (b < extra ? 1 : 0);
  return starts;
}

/**
 * Response rate of one arm per uplift bin. Empty bins give NaN rates, as NumPy's mean of nothing.
 *
 * @example
 * responseRateByPercentile(yTrue, uplift, treatment, 'treatment', 'overall', 10);
 */
export function responseRateByPercentile(
  yTrue: NumArray,
  uplift: NumArray,
  treatment: NumArray,
  group: 'treatment' | 'control',
  strategy: AtKStrategy = 'overall',
  bins = 10,
): ResponseRates {
  checkArgs(yTrue, uplift, treatment, strategy, bins);
  const flag = group === 'treatment' ? 1 : 0;
  const order = skliftOrder(uplift);
  let rows = order;
  if (strategy === 'by_group') rows = order.filter((r) => treatment[r] === flag);
  const starts = splitStarts(rows.length, bins);
  const out: ResponseRates = {
    rate: new Float64Array(bins),
    variance: new Float64Array(bins),
    size: new Float64Array(bins),
  };
  for (let b = 0; b < bins; b++) {
    let cnt = 0;
    let pos = 0;
    for (let i = starts[b]!; i < starts[b + 1]!; i++) {
      const r = rows[i]!;
      if (treatment[r] !== flag) continue;
      cnt++;
      pos += yTrue[r]!;
    }
    const rate = pos / cnt;
    out.size[b] = cnt;
    out.rate[b] = rate;
    out.variance[b] = rate * ((1 - rate) / cnt);
  }
  return out;
}

/**
 * Uplift per bin of predicted uplift (`sklift.metrics.uplift_by_percentile` with `std=True`).
 * Percentile labels are sklift's strings: "0-10", "10-20", ... With `total`, a last row "total" holds the
 * whole-sample figures and, as in sklift, std columns equal to the SUM of the per-bin stds.
 *
 * @example
 * const table = upliftByPercentile(yTrue, uplift, treatment); // 10 bins, strategy 'overall'
 */
export function upliftByPercentile(
  yTrue: NumArray,
  uplift: NumArray,
  treatment: NumArray,
  strategy: AtKStrategy = 'overall',
  bins = 10,
  total = false,
): PercentileTable {
  const table = binTable(yTrue, uplift, treatment, strategy, bins);
  if (!total) return table;
  const all = binTable(yTrue, uplift, treatment, strategy, 1);
  const sum = (a: Float64Array): number => a.reduce((x, v) => x + v, 0);
  const add = (a: Float64Array, v: number): Float64Array => Float64Array.of(...a, v);
  return {
    percentile: [...table.percentile, 'total'],
    nTreatment: add(table.nTreatment, all.nTreatment[0]!),
    nControl: add(table.nControl, all.nControl[0]!),
    responseRateTreatment: add(table.responseRateTreatment, all.responseRateTreatment[0]!),
    responseRateControl: add(table.responseRateControl, all.responseRateControl[0]!),
    uplift: add(table.uplift, all.uplift[0]!),
    stdTreatment: add(table.stdTreatment, sum(table.stdTreatment)),
    stdControl: add(table.stdControl, sum(table.stdControl)),
    stdUplift: add(table.stdUplift, sum(table.stdUplift)),
  };
}

function binTable(
  yTrue: NumArray,
  uplift: NumArray,
  treatment: NumArray,
  strategy: AtKStrategy,
  bins: number,
): PercentileTable {
  const t = responseRateByPercentile(yTrue, uplift, treatment, 'treatment', strategy, bins);
  const c = responseRateByPercentile(yTrue, uplift, treatment, 'control', strategy, bins);
  const table: PercentileTable = {
    percentile: percentileLabels(bins),
    nTreatment: t.size,
    nControl: c.size,
    responseRateTreatment: t.rate,
    responseRateControl: c.rate,
    uplift: new Float64Array(bins),
    stdTreatment: t.variance.map(Math.sqrt),
    stdControl: c.variance.map(Math.sqrt),
    stdUplift: new Float64Array(bins),
  };
  for (let b = 0; b < bins; b++) {
    table.uplift[b] = t.rate[b]! - c.rate[b]!;
    table.stdUplift[b] = Math.sqrt(t.variance[b]! + c.variance[b]!);
  }
  return table;
}

/** Python's round() is banker's rounding; percentiles p*100/bins can hit .5 exactly (e.g. bins=8). */
function pyRound(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function percentileLabels(bins: number): string[] {
  const p: number[] = [];
  for (let i = 1; i <= bins; i++) p.push(pyRound((i * 100) / bins));
  const labels = [`0-${p[0]!}`];
  for (let i = 0; i + 1 < p.length; i++) labels.push(`${p[i]!}-${p[i + 1]!}`);
  return labels;
}

/**
 * Average of per-bin uplift weighted by the treated count per bin (`sklift.metrics.weighted_average_uplift`).
 *
 * @example
 * weightedAverageUplift(yTrue, uplift, treatment, 'overall', 10);
 */
export function weightedAverageUplift(
  yTrue: NumArray,
  uplift: NumArray,
  treatment: NumArray,
  strategy: AtKStrategy = 'overall',
  bins = 10,
): number {
  const table = upliftByPercentile(yTrue, uplift, treatment, strategy, bins);
  let num = 0;
  let den = 0;
  for (let b = 0; b < bins; b++) {
    num += table.nTreatment[b]! * table.uplift[b]!;
    den += table.nTreatment[b]!;
  }
  return num / den;
}
