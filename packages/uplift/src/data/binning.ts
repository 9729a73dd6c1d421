/**
 * Binning for histogram trees. Each feature maps to `Uint8Array` bin codes: numeric values to at most
 * `maxBins - 1` quantile bins, categorical codes to one bin per category, and missing (NaN) to the last
 * bin `missingBin = nBins - 1`. Split thresholds are kept as raw values (upper bin edges), so trained trees
 * predict on raw columns without re-binning.
 */
import type { Dataset } from './dataset.ts';

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

/** A binned dataset: one Uint8Array of codes per feature. */
export interface BinnedDataset {
  nRows: number;
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
  const sorted = buf.subarray(0, m).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= maxValueBins) {
    const e = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < e.length; i++) e[i] = (distinct[i]! + distinct[i + 1]!) / 2;
    return e;
  }
  const edges: number[] = [];
  for (let b = 1; b < maxValueBins; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / maxValueBins))]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  if (edges[edges.length - 1] === distinct[distinct.length - 1]) edges.pop();
  return Float64Array.from(edges);
}

/**
 * Learns the bin layout of every feature.
 *
 * @example
 * const layout = fitBins(train); const binned = applyBins(train, layout);
 */
export function fitBins(ds: Dataset, maxBins = MAX_BINS): FeatureBins[] {
  if (!Number.isInteger(maxBins) || maxBins < 3 || maxBins > MAX_BINS) {
    throw new RangeError(`maxBins must be an integer in [3, ${MAX_BINS}], got ${maxBins}`);
  }
  return ds.features.map((f): FeatureBins => {
    if (f.kind === 'categorical') {
      const k = f.categories?.length ?? 0;
      if (k > maxBins - 1)
        throw new RangeError(`feature ${f.name} has ${k} categories; at most ${maxBins - 1} are supported`);
      return { kind: 'categorical', edges: new Float64Array(0), nValueBins: k, missingBin: k };
    }
    const edges = numericEdges(f.values, maxBins - 1);
    return { kind: 'numeric', edges, nValueBins: edges.length + 1, missingBin: edges.length + 1 };
  });
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
  const bins = ds.features.map((f, j) => binColumn(f.values, layout[j]!));
  return { nRows: ds.nRows, bins, layout };
}

function binColumn(values: Float64Array, l: FeatureBins): Uint8Array {
  const out = new Uint8Array(values.length);
  if (l.kind === 'categorical') {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      out[i] = x !== x || x >= l.nValueBins ? l.missingBin : x;
    }
    return out;
  }
  // Branch-light search over edges padded with +Infinity to 256 entries: 8 fixed halvings.
  const e = new Float64Array(256).fill(Infinity);
  e.set(l.edges);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      out[i] = l.missingBin;
      continue;
    }
    let pos = 0;
    if (x > e[pos + 127]!) pos += 128;
    if (x > e[pos + 63]!) pos += 64;
    if (x > e[pos + 31]!) pos += 32;
    if (x > e[pos + 15]!) pos += 16;
    if (x > e[pos + 7]!) pos += 8;
    if (x > e[pos + 3]!) pos += 4;
    if (x > e[pos + 1]!) pos += 2;
    if (x > e[pos]!) pos += 1;
    out[i] = pos;
  }
  return out;
}
