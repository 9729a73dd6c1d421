/**
 * Growth of one gradient-boosting tree on binned features: per-node gradient histograms, the sibling
 * histogram by subtraction, best-first (largest gain) leaf expansion bounded by maxLeaves and maxDepth.
 */
import type { BinnedDataset, FeatureBins } from '../data/binning.ts';
import { leftBinTable, partitionRows } from './partition.ts';
import { TreeBuilder, type FlatTree, type SplitSpec } from './flat-tree.ts';

/** Tree-shape parameters of gradient boosting. */
export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  l2: number;
  minGainToSplit: number;
  learningRate: number;
  /** True when every hessian is 1 (squared error): histograms then skip the hessian pass. */
  unitHessian?: boolean;
}

interface Candidate {
  gain: number;
  feature: number;
  bin: number;
  leftCats: number[] | null;
  missingLeft: boolean;
}

interface OpenLeaf {
  id: number;
  start: number;
  end: number;
  pStart: number;
  pEnd: number;
  depth: number;
  hist: Float64Array;
  g: number;
  h: number;
  best: Candidate | null;
}

/** Histogram offsets: feature j occupies [off[j], off[j+1]) with 3 slots (grad, hess, count) per bin. */
export function histOffsets(layout: FeatureBins[]): Int32Array {
  const off = new Int32Array(layout.length + 1);
  for (let j = 0; j < layout.length; j++) off[j + 1] = off[j]! + (layout[j]!.missingBin + 1) * 3;
  return off;
}

/** Gradient/hessian gathered in node order, so the per-feature loops read them sequentially. */
const scratch = { g: new Float64Array(0), h: new Float64Array(0), rows: new Int32Array(0) };

function buildHist(
  data: BinnedDataset,
  off: Int32Array,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  unitHess: boolean,
): Float64Array {
  if (unitHess) return buildHistUnitHess(data, off, rows, start, end, g);
  const hist = new Float64Array(off[off.length - 1]!);
  const m = end - start;
  const gg = gathered(rows, start, end, g, h);
  const hh = scratch.h;
  const nF = data.bins.length;
  let j = 0;
  // Four features per pass: each row's index, gradient and hessian are loaded once for four updates.
  for (; j + 4 <= nF; j += 4) {
    const b0 = data.bins[j]!;
    const b1 = data.bins[j + 1]!;
    const b2 = data.bins[j + 2]!;
    const b3 = data.bins[j + 3]!;
    const o0 = off[j]!;
    const o1 = off[j + 1]!;
    const o2 = off[j + 2]!;
    const o3 = off[j + 3]!;
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      const gi = gg[i]!;
      const hi = hh[i]!;
      addBin(hist, o0 + b0[r]! * 3, gi, hi);
      addBin(hist, o1 + b1[r]! * 3, gi, hi);
      addBin(hist, o2 + b2[r]! * 3, gi, hi);
      addBin(hist, o3 + b3[r]! * 3, gi, hi);
    }
  }
  for (; j < nF; j++) {
    const b = data.bins[j]!;
    const o = off[j]!;
    for (let i = 0; i < m; i++) addBin(hist, o + b[rows[start + i]!]! * 3, gg[i]!, hh[i]!);
  }
  return hist;
}

/** Squared error: every hessian is 1, so only gradient and count are accumulated (hessian := count). */
function buildHistUnitHess(
  data: BinnedDataset,
  off: Int32Array,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
): Float64Array {
  const hist = new Float64Array(off[off.length - 1]!);
  const gg = gathered(rows, start, end, g, null);
  const m = end - start;
  const nF = data.bins.length;
  let j = 0;
  for (; j + 4 <= nF; j += 4) {
    const [b0, b1, b2, b3] = [data.bins[j]!, data.bins[j + 1]!, data.bins[j + 2]!, data.bins[j + 3]!];
    const [o0, o1, o2, o3] = [off[j]!, off[j + 1]!, off[j + 2]!, off[j + 3]!];
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      const gi = gg[i]!;
      addGrad(hist, o0 + b0[r]! * 3, gi);
      addGrad(hist, o1 + b1[r]! * 3, gi);
      addGrad(hist, o2 + b2[r]! * 3, gi);
      addGrad(hist, o3 + b3[r]! * 3, gi);
    }
  }
  for (; j < nF; j++) {
    const b = data.bins[j]!;
    const o = off[j]!;
    for (let i = 0; i < m; i++) addGrad(hist, o + b[rows[start + i]!]! * 3, gg[i]!);
  }
  for (let k = 0; k < hist.length; k += 3) hist[k + 1] = hist[k + 2]!;
  return hist;
}

function addGrad(hist: Float64Array, k: number, g: number): void {
  hist[k] = hist[k]! + g;
  hist[k + 2] = hist[k + 2]! + 1;
}

/** Copies g (and h when given) of rows[start..end) into contiguous scratch buffers; returns the g buffer. */
function gathered(rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array | null): Float64Array {
  const m = end - start;
  if (scratch.g.length < m) {
    scratch.g = new Float64Array(m);
    scratch.h = new Float64Array(m);
  }
  const gg = scratch.g;
  const hh = scratch.h;
  for (let i = 0; i < m; i++) {
    const r = rows[start + i]!;
    gg[i] = g[r]!;
    if (h) hh[i] = h[r]!;
  }
  return gg;
}

function scratchRows(n: number): Int32Array {
  if (scratch.rows.length < n) scratch.rows = new Int32Array(n);
  return scratch.rows;
}

function addBin(hist: Float64Array, k: number, g: number, h: number): void {
  hist[k] = hist[k]! + g;
  hist[k + 1] = hist[k + 1]! + h;
  hist[k + 2] = hist[k + 2]! + 1;
}

function score(g: number, h: number, l2: number): number {
  return (g * g) / (h + l2);
}

/** Best split of one feature from its histogram slice; bins visited in `order` (value bins only). */
function scanFeature(
  hist: Float64Array,
  o: number,
  order: ArrayLike<number>,
  missingBin: number,
  G: number,
  H: number,
  C: number,
  p: GrowParams,
): Candidate | null {
  const parent = score(G, H, p.l2);
  const gm = hist[o + missingBin * 3]!;
  const hm = hist[o + missingBin * 3 + 1]!;
  const cm = hist[o + missingBin * 3 + 2]!;
  let best: Candidate | null = null;
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (let k = 0; k + 1 < order.length; k++) {
    const b = order[k]!;
    gl += hist[o + b * 3]!;
    hl += hist[o + b * 3 + 1]!;
    cl += hist[o + b * 3 + 2]!;
    for (let ml = 0; ml < (cm > 0 ? 2 : 1); ml++) {
      const GL = gl + ml * gm;
      const HL = hl + ml * hm;
      const CL = cl + ml * cm;
      if (CL < p.minSamplesLeaf || C - CL < p.minSamplesLeaf) continue;
      if (HL < p.minChildWeight || H - HL < p.minChildWeight) continue;
      const gain = score(GL, HL, p.l2) + score(G - GL, H - HL, p.l2) - parent;
      if (gain > (best?.gain ?? p.minGainToSplit))
        best = { gain, feature: -1, bin: k, leftCats: null, missingLeft: ml === 1 };
    }
  }
  return best;
}

function bestSplit(
  hist: Float64Array,
  off: Int32Array,
  layout: FeatureBins[],
  G: number,
  H: number,
  C: number,
  p: GrowParams,
): Candidate | null {
  let best: Candidate | null = null;
  for (let j = 0; j < layout.length; j++) {
    const l = layout[j]!;
    const o = off[j]!;
    const order = valueBinOrder(hist, o, l, p.l2);
    const c = scanFeature(hist, o, order, l.missingBin, G, H, C, p);
    if (c && c.gain > (best?.gain ?? -Infinity)) {
      c.feature = j;
      if (l.kind === 'categorical') c.leftCats = Array.from(order.subarray(0, c.bin + 1)).sort((a, b) => a - b);
      else c.bin = order[c.bin]!;
      best = c;
    }
  }
  return best;
}

/** Numeric: bins in value order. Categorical: non-empty categories sorted by grad / (hess + l2). */
const IDENTITY = Int32Array.from({ length: 256 }, (_, b) => b);

function valueBinOrder(hist: Float64Array, o: number, l: FeatureBins, l2: number): Int32Array {
  if (l.kind === 'numeric') return IDENTITY.subarray(0, l.nValueBins);
  const cats: number[] = [];
  for (let b = 0; b < l.nValueBins; b++) if (hist[o + b * 3 + 2]! > 0) cats.push(b);
  const ratio = (b: number): number => hist[o + b * 3]! / (hist[o + b * 3 + 1]! + l2);
  return Int32Array.from(cats.sort((a, b) => ratio(a) - ratio(b) || a - b));
}

/** Result of growing a tree: the tree, leaf values per row range, and gain per feature. */
export interface GrownTree {
  tree: FlatTree;
  /**
   * For each leaf: its range [start, end) in `rows`, its range [pStart, pEnd) in `passengers`, and its value,
   * so training, out-of-bag and validation scores are updated without traversing the tree.
   */
  leaves: { start: number; end: number; pStart: number; pEnd: number; value: number }[];
  gainByFeature: Float64Array;
}

interface GrowState {
  data: BinnedDataset;
  rows: Int32Array;
  passengers: Int32Array;
  g: Float64Array;
  h: Float64Array;
  p: GrowParams;
  off: Int32Array;
  builder: TreeBuilder;
  gainByFeature: Float64Array;
}

/**
 * Grows one tree from the histograms of rows[0..n) (reordered in place). `passengers` (out-of-bag and
 * validation rows) follow the same splits without contributing to the histograms.
 *
 * @example
 * const { tree } = growGbdtTree(binned, rows, new Int32Array(0), grad, hess, params);
 */
export function growGbdtTree(
  data: BinnedDataset,
  rows: Int32Array,
  passengers: Int32Array,
  g: Float64Array,
  h: Float64Array,
  p: GrowParams,
): GrownTree {
  const st: GrowState = {
    data,
    rows,
    passengers,
    g,
    h,
    p,
    off: histOffsets(data.layout),
    builder: new TreeBuilder(),
    gainByFeature: new Float64Array(data.layout.length),
  };
  const rootHist = buildHist(data, st.off, rows, 0, rows.length, g, h, p.unitHessian ?? false);
  const open: OpenLeaf[] = [makeLeaf(st, st.builder.addLeaf(), [0, rows.length, 0, passengers.length], 0, rootHist)];
  while (open.length > 0 && open.length < p.maxLeaves) {
    let k = -1;
    for (let i = 0; i < open.length; i++)
      if (open[i]!.best && (k < 0 || open[i]!.best!.gain > open[k]!.best!.gain)) k = i;
    if (k < 0) break;
    open.push(...splitLeaf(st, open.splice(k, 1)[0]!));
  }
  const leaves: GrownTree['leaves'] = [];
  for (const leaf of open) {
    const value = (-leaf.g / (leaf.h + p.l2)) * p.learningRate;
    st.builder.setValue(leaf.id, value);
    leaves.push({ start: leaf.start, end: leaf.end, pStart: leaf.pStart, pEnd: leaf.pEnd, value });
  }
  return { tree: st.builder.finish(), leaves, gainByFeature: st.gainByFeature };
}

/** A new open leaf over [start, end) / [pStart, pEnd), with its best split already searched. */
function makeLeaf(
  st: GrowState,
  id: number,
  range: [number, number, number, number],
  depth: number,
  hist: Float64Array,
): OpenLeaf {
  const [start, end, pStart, pEnd] = range;
  let G = 0;
  let H = 0;
  const o = st.off[0]!;
  for (let b = 0; b <= st.data.layout[0]!.missingBin; b++) {
    G += hist[o + b * 3]!;
    H += hist[o + b * 3 + 1]!;
  }
  const leaf: OpenLeaf = { id, start, end, pStart, pEnd, depth, hist, g: G, h: H, best: null };
  if (depth < st.p.maxDepth && end - start >= 2 * st.p.minSamplesLeaf)
    leaf.best = bestSplit(hist, st.off, st.data.layout, G, H, end - start, st.p);
  return leaf;
}

/** Applies a leaf's best split: partitions rows and passengers, builds the smaller child's histogram. */
function splitLeaf(st: GrowState, leaf: OpenLeaf): [OpenLeaf, OpenLeaf] {
  const { data, rows, passengers, p } = st;
  const c = leaf.best!;
  const l = data.layout[c.feature]!;
  const table = leftBinTable(l, c.bin, c.leftCats, c.missingLeft);
  const scratchBuf = scratchRows(Math.max(rows.length, passengers.length));
  const mid = partitionRows(rows, leaf.start, leaf.end, data.bins[c.feature]!, table, scratchBuf);
  const pMid = partitionRows(passengers, leaf.pStart, leaf.pEnd, data.bins[c.feature]!, table, scratchBuf);
  st.gainByFeature[c.feature] = st.gainByFeature[c.feature]! + c.gain;
  const spec: SplitSpec = {
    feature: c.feature,
    threshold: l.kind === 'numeric' ? edgeOf(l, c.bin) : 0,
    missingLeft: c.missingLeft,
    leftCats: c.leftCats,
  };
  const [li, ri] = st.builder.split(leaf.id, spec);
  const leftSmaller = mid - leaf.start <= leaf.end - mid;
  const unit = p.unitHessian ?? false;
  const small = leftSmaller
    ? buildHist(data, st.off, rows, leaf.start, mid, st.g, st.h, unit)
    : buildHist(data, st.off, rows, mid, leaf.end, st.g, st.h, unit);
  const large = leaf.hist;
  for (let i = 0; i < large.length; i++) large[i] = large[i]! - small[i]!;
  return [
    makeLeaf(st, li, [leaf.start, mid, leaf.pStart, pMid], leaf.depth + 1, leftSmaller ? small : large),
    makeLeaf(st, ri, [mid, leaf.end, pMid, leaf.pEnd], leaf.depth + 1, leftSmaller ? large : small),
  ];
}

/** Raw threshold of a numeric split after bin `b`: the bin's upper edge (the last value bin has none). */
function edgeOf(l: FeatureBins, b: number): number {
  return b < l.edges.length ? l.edges[b]! : Number.MAX_VALUE;
}
