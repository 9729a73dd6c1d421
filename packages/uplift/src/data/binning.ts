/**
 * Binning for histogram trees. Each feature maps to `Uint8Array` bin codes: numeric values to at most
 * `maxBins - 1` quantile bins, categorical codes to one bin per category, and missing (NaN) to the last
 * bin `missingBin = nBins - 1`. Split thresholds are kept as raw values (upper bin edges), so trained trees
 * predict on raw columns without re-binning.
 */
import { asShared, runParallel, sharedU8 } from '../parallel/pool.ts';
import { binByBuckets } from './bin-buckets.ts';
import { sortFloat64 } from './sort-float64.ts';
import { upliftThreads } from '../parallel/threads.ts';
import type { Dataset, Feature } from './dataset.ts';

/** Default and maximum number of bins including the missing bin. */
export const MAX_BINS = 255;

/** Rows sampled (every k-th row) to place quantile edges. */
export const BIN_SAMPLE = 50_000;

/** Bin layout of one feature. */
export interface FeatureBins {
  kind: 'numeric' | 'categorical';
  /** Numeric: upper edges; value bin b holds edges[b-1] < x <= edges[b] (the last value bin is open). */
  edges: Float64Array;
  /** Number of value bins (missing excluded). */
  nValueBins: number;
  /** Bin code of missing values (= nValueBins). */
  missingBin: number;
}

/** A binned dataset: codes column-major in one shared Uint8Array; `bins[j]` views feature j's column. */
export interface BinnedDataset {
  nRows: number;
  /** All codes, feature j at [j * nRows, (j + 1) * nRows); backed by a SharedArrayBuffer. */
  codes: Uint8Array;
  bins: Uint8Array[];
  layout: FeatureBins[];
}

/**
 * Quantile bin edges of numeric values: midpoints between distinct values when they fit, otherwise
 * values at evenly spaced ranks of a deterministic strided sample of about `BIN_SAMPLE` values.
 */
export function numericEdges(values: Float64Array, maxValueBins: number): Float64Array {
  const n = values.length;
  const stride = Math.max(1, Math.floor(n / BIN_SAMPLE));
  const buf = new Float64Array(Math.ceil(n / stride));
  let m = 0;
  for (let i = 0; i < n; i += stride) if (values[i] === values[i]) buf[m++] = values[i]!;
  const sorted = sortFloat64(buf.subarray(0, m));
  let nDistinct = 0;
  for (let i = 0; i < m && nDistinct <= maxValueBins; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) nDistinct++;
  if (nDistinct <= maxValueBins) {
    const distinct: number[] = [];
    for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    const e = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < e.length; i++) e[i] = (distinct[i]! + distinct[i + 1]!) / 2 + 0; // + 0: never -0 (see below)
    return e;
  }
  const edges: number[] = [];
  for (let b = 1; b < maxValueBins; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / maxValueBins))]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  if (edges[edges.length - 1] === sorted[m - 1]) edges.pop();
  // -0 becomes +0 (the same threshold), so edges order like their bit patterns (bin-buckets.ts relies on it).
  return Float64Array.from(edges, (v) => v + 0);
}

/**
 * Learns the bin layout of every feature.
 *
 * @example
 * const layout = fitBins(train); const binned = applyBins(train, layout);
 */
export function fitBins(ds: Dataset, maxBins = MAX_BINS): FeatureBins[] {
  checkMaxBins(maxBins);
  return ds.features.map((f) => featureBins(f, maxBins));
}

function checkMaxBins(maxBins: number): void {
  if (!Number.isInteger(maxBins) || maxBins < 3 || maxBins > MAX_BINS) {
    throw new RangeError(`maxBins must be an integer in [3, ${MAX_BINS}], got ${maxBins}`);
  }
}

/** Bin layout of one feature. */
export function featureBins(f: Pick<Feature, 'name' | 'kind' | 'values' | 'categories'>, maxBins: number): FeatureBins {
  if (f.kind === 'categorical') {
    const k = f.categories?.length ?? 0;
    if (k > maxBins - 1)
      throw new RangeError(`feature ${f.name} has ${k} categories; at most ${maxBins - 1} are supported`);
    return { kind: 'categorical', edges: new Float64Array(0), nValueBins: k, missingBin: k };
  }
  const edges = numericEdges(f.values, maxBins - 1);
  return { kind: 'numeric', edges, nValueBins: edges.length + 1, missingBin: edges.length + 1 };
}

/** Bin code of one numeric value: first b with x <= edges[b], else the last value bin. */
export function binOf(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Below this many values (rows x features) binning stays on the calling thread. */
const PARALLEL_MIN_VALUES = 1 << 20;

/**
 * Bins every feature of `ds` with a fitted layout.
 *
 * @example
 * const binned = applyBins(ds, fitBins(ds));
 */
export function applyBins(ds: Dataset, layout: FeatureBins[]): BinnedDataset {
  if (layout.length !== ds.features.length) {
    throw new RangeError(`layout has ${layout.length} features but ds has ${ds.features.length}`);
  }
  return binFeatures(ds, (j) => layout[j]!, MAX_BINS);
}

/**
 * Learns the layout and bins in one pass per feature (what the learners use): the same result as
 * `applyBins(ds, fitBins(ds, maxBins))`, with the features shared among the uplift threads.
 *
 * @example
 * const binned = binDataset(ds, 255);
 */
export function binDataset(ds: Dataset, maxBins = MAX_BINS): BinnedDataset {
  checkMaxBins(maxBins);
  return binFeatures(ds, null, maxBins);
}

function binFeatures(ds: Dataset, layoutOf: ((j: number) => FeatureBins) | null, maxBins: number): BinnedDataset {
  const n = ds.nRows;
  const nF = ds.features.length;
  const codes = sharedU8(n * nF);
  const layout: FeatureBins[] = new Array<FeatureBins>(nF);
  const threads = Math.min(upliftThreads(), nF);
  const ranges = featureRanges(nF, n * nF >= PARALLEL_MIN_VALUES ? threads : 1);
  const job = (lo: number, hi: number): BinTask => ({
    kind: 'bin',
    features: ds.features.slice(lo, hi).map((f) => ({ ...f, values: asShared(f.values) })),
    given: layoutOf ? Array.from({ length: hi - lo }, (_, k) => layoutOf(lo + k)) : null,
    maxBins,
    codes,
    nRows: n,
    fLo: lo,
  });
  const own = ranges[0]!;
  const results = runParallel<FeatureBins[]>(
    ranges.slice(1).map(([lo, hi]) => job(lo, hi)),
    () => {
      const mine = binTask({ ...job(own[0], own[1]), features: ds.features.slice(own[0], own[1]) });
      mine.forEach((l, k) => (layout[own[0] + k] = l));
    },
  );
  results.forEach((r, w) => r.forEach((l, k) => (layout[ranges[w + 1]![0] + k] = l)));
  const bins = Array.from({ length: nF }, (_, j) => codes.subarray(j * n, (j + 1) * n));
  return { nRows: n, codes, bins, layout };
}

/** Contiguous feature ranges, one per thread (fewer when there are fewer features). */
export function featureRanges(nF: number, threads: number): [number, number][] {
  const t = Math.max(1, Math.min(threads, nF));
  return Array.from({ length: t }, (_, k): [number, number] => [
    Math.floor((k * nF) / t),
    Math.floor(((k + 1) * nF) / t),
  ]);
}

/** One thread's share of binning: features fLo.. (layouts learned unless given), codes written in place. */
export interface BinTask {
  kind: 'bin';
  features: Pick<Feature, 'name' | 'kind' | 'values' | 'categories'>[];
  given: FeatureBins[] | null;
  maxBins: number;
  codes: Uint8Array;
  nRows: number;
  fLo: number;
}

export function binTask(t: BinTask): FeatureBins[] {
  return t.features.map((f, k) => {
    const l = t.given ? t.given[k]! : featureBins(f, t.maxBins);
    const j = t.fLo + k;
    binColumn(f.values, l, t.codes.subarray(j * t.nRows, (j + 1) * t.nRows));
    return l;
  });
}

function binColumn(values: Float64Array, l: FeatureBins, out: Uint8Array): void {
  const n = out.length;
  if (l.kind === 'categorical') {
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      out[i] = x !== x || x >= l.nValueBins ? l.missingBin : x;
    }
    return;
  }
  if (binByBuckets(values, l.edges, l.missingBin, out)) return;
  // Branch-free search over edges padded with +Infinity to 256 entries: 8 fixed halvings, each adding
  // (x > edge) << level, so random values cost no mispredicted branches. NaN compares false: fixed after.
  const e = new Float64Array(256).fill(Infinity);
  e.set(l.edges);
  const missing = l.missingBin;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    let pos = +(x > e[127]!) << 7;
    pos += +(x > e[pos + 63]!) << 6;
    pos += +(x > e[pos + 31]!) << 5;
    pos += +(x > e[pos + 15]!) << 4;
    pos += +(x > e[pos + 7]!) << 3;
    pos += +(x > e[pos + 3]!) << 2;
    pos += +(x > e[pos + 1]!) << 1;
    pos += +(x > e[pos]!);
    out[i] = x === x ? pos : missing;
  }
}
