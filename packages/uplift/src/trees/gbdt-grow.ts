/**
 * Growth of one gradient-boosting tree on binned features: per-node gradient histograms, the sibling
 * histogram by subtraction, best-first (largest gain) leaf expansion bounded by maxLeaves and maxDepth.
 */
import type { BinnedDataset, FeatureBins } from '../data/binning.ts';
import { featureRanges } from '../data/binning.ts';
import { runParallel, sharedF64, sharedI32 } from '../parallel/pool.ts';
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
  /** Offset of the leaf's histogram in the arena, and a view of it. */
  base: number;
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

/** Below this many (rows x features) a node's histogram is built on the calling thread alone. */
const PARALLEL_MIN_CELLS = 1 << 16;

/**
 * Buffers of one fit, sized once: ordered gradients (g, h of the node's rows, interleaved, in node order), a
 * histogram arena of maxLeaves + 2 slots, a partition scratch, and the per-thread feature ranges. The arena,
 * the ordered gradients and the row arrays are shared memory, so worker threads fill their features' slices.
 */
export interface GrowContext {
  data: BinnedDataset;
  off: Int32Array;
  histSize: number;
  gh: Float64Array;
  arena: Float64Array;
  free: number[];
  part: Int32Array;
  ranges: [number, number][];
  /** Fit id, and the row buffer the workers hold for it (sent again when it changes). */
  id: number;
  sentRows: ArrayBufferLike | null;
  sentOffset: number;
  next: Int32Array;
}

let nextContextId = 1;

/**
 * Allocates the buffers for growing trees of at most `maxLeaves` leaves over `data`, with `threads` threads.
 *
 * @example
 * const ctx = createGrowContext(binned, 31, upliftThreads());
 */
export function createGrowContext(data: BinnedDataset, maxLeaves: number, threads: number): GrowContext {
  const off = histOffsets(data.layout);
  const histSize = off[off.length - 1]!;
  const nSlots = maxLeaves + 2;
  return {
    data,
    off,
    histSize,
    gh: sharedF64(2 * data.nRows),
    arena: sharedF64(nSlots * histSize),
    free: Array.from({ length: nSlots }, (_, k) => (nSlots - 1 - k) * histSize),
    part: new Int32Array(data.nRows),
    ranges: featureRanges(data.layout.length, threads),
    id: nextContextId++,
    sentRows: null,
    sentOffset: 0,
    next: sharedI32(1),
  };
}

/** The arrays a node histogram reads and writes: sent to each worker once per fit (and when the row buffer changes). */
export interface HistBuffers {
  codes: Uint8Array;
  nRows: number;
  off: Int32Array;
  /** The whole shared row buffer (node ranges index into it). */
  rows: Int32Array;
  gh: Float64Array;
  arena: Float64Array;
  /** Shared counter of feature chunks handed out for the current node (work sharing). */
  next: Int32Array;
}

/** Registers a fit's buffers in a worker under `id`; later 'gbdt-hist' tasks carry numbers only. */
export interface HistSetupTask {
  kind: 'gbdt-setup';
  id: number;
  bufs: HistBuffers;
}

/** One thread's share of a node histogram: features [fLo, fHi) of rows[start..start+m) into arena[base..]. */
export interface HistTask {
  kind: 'gbdt-hist';
  id: number;
  start: number;
  m: number;
  base: number;
  /** Arena offset of the parent histogram to subtract this one from (sibling by subtraction), or -1. */
  parentBase: number;
  fLo: number;
  fHi: number;
  unit: boolean;
  /** Features per chunk when threads take chunks from the shared counter (0: the whole range at once). */
  chunk: number;
}

let registered: { id: number; bufs: HistBuffers } | null = null;

export function histSetupTask(t: HistSetupTask): void {
  registered = { id: t.id, bufs: t.bufs };
}

/** A worker's 'gbdt-hist': the node numbers from the task, the arrays from the last setup. */
export function histTask(t: HistTask): void {
  if (!registered || registered.id !== t.id) throw new Error(`gbdt-hist for fit ${t.id} without its setup`);
  histShare(registered.bufs, t);
}

/**
 * Takes chunks of `t.chunk` features from the shared counter until none is left (every thread, the caller
 * included), so a slower thread simply takes fewer; each feature is still summed whole by one thread, in row order.
 */
function histShare(b: HistBuffers, t: HistTask): void {
  for (;;) {
    const lo = t.fLo + Atomics.add(b.next, 0, 1) * t.chunk;
    if (lo >= t.fHi) return;
    histKernel(b, { ...t, fLo: lo, fHi: Math.min(t.fHi, lo + t.chunk) });
  }
}

/**
 * Fills the histogram slice of features [fLo, fHi): (grad, hess, count) per bin, rows in node order, four
 * features per pass so each row's index and gradients are loaded once for four updates. With unit hessians
 * only gradients and counts are summed (hess := count). Then subtracts it from the parent's slice when asked.
 */
function histKernel(b: HistBuffers, t: HistTask): void {
  const { codes, nRows, off, rows, gh, arena: hist } = b;
  const { start, m, base, fLo, fHi } = t;
  const from = base + off[fLo]!;
  const to = base + off[fHi]!;
  hist.fill(0, from, to);
  let j = fLo;
  if (t.unit) {
    for (; j + 4 <= fHi; j += 4) {
      const c0 = j * nRows;
      const c1 = c0 + nRows;
      const c2 = c1 + nRows;
      const c3 = c2 + nRows;
      const o0 = base + off[j]!;
      const o1 = base + off[j + 1]!;
      const o2 = base + off[j + 2]!;
      const o3 = base + off[j + 3]!;
      for (let i = 0; i < m; i++) {
        const r = rows[start + i]!;
        const gi = gh[i]!;
        addGrad(hist, o0 + codes[c0 + r]! * 3, gi);
        addGrad(hist, o1 + codes[c1 + r]! * 3, gi);
        addGrad(hist, o2 + codes[c2 + r]! * 3, gi);
        addGrad(hist, o3 + codes[c3 + r]! * 3, gi);
      }
    }
    for (; j < fHi; j++) {
      const c = j * nRows;
      const o = base + off[j]!;
      for (let i = 0; i < m; i++) addGrad(hist, o + codes[c + rows[start + i]!]! * 3, gh[i]!);
    }
    for (let k = from; k < to; k += 3) hist[k + 1] = hist[k + 2]!;
  } else {
    for (; j + 4 <= fHi; j += 4) {
      const c0 = j * nRows;
      const c1 = c0 + nRows;
      const c2 = c1 + nRows;
      const c3 = c2 + nRows;
      const o0 = base + off[j]!;
      const o1 = base + off[j + 1]!;
      const o2 = base + off[j + 2]!;
      const o3 = base + off[j + 3]!;
      for (let i = 0; i < m; i++) {
        const r = rows[start + i]!;
        const gi = gh[2 * i]!;
        const hi = gh[2 * i + 1]!;
        addBin(hist, o0 + codes[c0 + r]! * 3, gi, hi);
        addBin(hist, o1 + codes[c1 + r]! * 3, gi, hi);
        addBin(hist, o2 + codes[c2 + r]! * 3, gi, hi);
        addBin(hist, o3 + codes[c3 + r]! * 3, gi, hi);
      }
    }
    for (; j < fHi; j++) {
      const c = j * nRows;
      const o = base + off[j]!;
      for (let i = 0; i < m; i++) addBin(hist, o + codes[c + rows[start + i]!]! * 3, gh[2 * i]!, gh[2 * i + 1]!);
    }
  }
  if (t.parentBase >= 0) {
    const d = t.parentBase - base;
    for (let k = from; k < to; k++) hist[k + d] = hist[k + d]! - hist[k]!;
  }
}

/**
 * Builds the histogram of rows[start..end) into a fresh arena slot (and subtracts it from `parentBase`'s slot
 * when >= 0), sharing the features among the threads for large nodes. Returns the slot's offset.
 */
function buildHist(
  ctx: GrowContext,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  unit: boolean,
  parentBase: number,
): number {
  const base = ctx.free.pop()!;
  const m = end - start;
  const gh = ctx.gh;
  if (unit) for (let i = 0; i < m; i++) gh[i] = g[rows[start + i]!]!;
  else
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      gh[2 * i] = g[r]!;
      gh[2 * i + 1] = h[r]!;
    }
  const ranges = ctx.ranges;
  const nF = ctx.data.layout.length;
  const threads = ranges.length;
  const chunk = nF >= 16 * threads ? 4 : 2;
  const task: HistTask = { kind: 'gbdt-hist', id: ctx.id, start, m, base, parentBase, fLo: 0, fHi: nF, unit, chunk };
  const bufs: HistBuffers = {
    codes: ctx.data.codes,
    nRows: ctx.data.nRows,
    off: ctx.off,
    rows,
    gh,
    arena: ctx.arena,
    next: ctx.next,
  };
  if (threads < 2 || m * nF < PARALLEL_MIN_CELLS || !(rows.buffer instanceof SharedArrayBuffer)) {
    histKernel(bufs, task);
    return base;
  }
  if (ctx.sentRows !== rows.buffer || ctx.sentOffset !== rows.byteOffset) {
    const whole = new Int32Array(rows.buffer, rows.byteOffset, (rows.buffer.byteLength - rows.byteOffset) >> 2);
    const setup: HistSetupTask = { kind: 'gbdt-setup', id: ctx.id, bufs: { ...bufs, rows: whole } };
    runParallel(
      ranges.slice(1).map(() => setup),
      () => undefined,
    );
    ctx.sentRows = rows.buffer;
    ctx.sentOffset = rows.byteOffset;
  }
  Atomics.store(ctx.next, 0, 0);
  runParallel(
    ranges.slice(1).map(() => task),
    () => histShare(bufs, task),
  );
  return base;
}

function addGrad(hist: Float64Array, k: number, g: number): void {
  hist[k] = hist[k]! + g;
  hist[k + 2] = hist[k + 2]! + 1;
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
  ctx: GrowContext;
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
 * validation rows) follow the same splits without contributing to the histograms. `ctx` (from
 * `createGrowContext`) is reused across the trees of a fit; without it one is made for this tree, single-threaded.
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
  ctx: GrowContext = createGrowContext(data, p.maxLeaves, 1),
): GrownTree {
  const nSlots = ctx.arena.length / ctx.histSize;
  ctx.free = Array.from({ length: nSlots }, (_, k) => (nSlots - 1 - k) * ctx.histSize);
  const st: GrowState = {
    ctx,
    data,
    rows,
    passengers,
    g,
    h,
    p,
    off: ctx.off,
    builder: new TreeBuilder(),
    gainByFeature: new Float64Array(data.layout.length),
  };
  const rootBase = buildHist(ctx, rows, 0, rows.length, g, h, p.unitHessian ?? false, -1);
  const open: OpenLeaf[] = [makeLeaf(st, st.builder.addLeaf(), [0, rows.length, 0, passengers.length], 0, rootBase)];
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

/** A new open leaf over [start, end) / [pStart, pEnd) whose histogram sits at arena[base..], best split searched. */
function makeLeaf(
  st: GrowState,
  id: number,
  range: [number, number, number, number],
  depth: number,
  base: number,
): OpenLeaf {
  const [start, end, pStart, pEnd] = range;
  const hist = st.ctx.arena.subarray(base, base + st.ctx.histSize);
  let G = 0;
  let H = 0;
  const o = st.off[0]!;
  for (let b = 0; b <= st.data.layout[0]!.missingBin; b++) {
    G += hist[o + b * 3]!;
    H += hist[o + b * 3 + 1]!;
  }
  const leaf: OpenLeaf = { id, start, end, pStart, pEnd, depth, base, hist, g: G, h: H, best: null };
  if (depth < st.p.maxDepth && end - start >= 2 * st.p.minSamplesLeaf)
    leaf.best = bestSplit(hist, st.off, st.data.layout, G, H, end - start, st.p);
  return leaf;
}

/** Applies a leaf's best split: partitions rows and passengers, builds the smaller child's histogram. */
function splitLeaf(st: GrowState, leaf: OpenLeaf): [OpenLeaf, OpenLeaf] {
  const { data, rows, passengers, p, ctx } = st;
  const c = leaf.best!;
  const l = data.layout[c.feature]!;
  const table = leftBinTable(l, c.bin, c.leftCats, c.missingLeft);
  const mid = partitionRows(rows, leaf.start, leaf.end, data.bins[c.feature]!, table, ctx.part);
  const pMid = partitionRows(passengers, leaf.pStart, leaf.pEnd, data.bins[c.feature]!, table, ctx.part);
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
  // The smaller child's histogram is built; the larger one is the parent's minus it, in the parent's slot.
  const small = leftSmaller
    ? buildHist(ctx, rows, leaf.start, mid, st.g, st.h, unit, leaf.base)
    : buildHist(ctx, rows, mid, leaf.end, st.g, st.h, unit, leaf.base);
  const large = leaf.base;
  return [
    makeLeaf(st, li, [leaf.start, mid, leaf.pStart, pMid], leaf.depth + 1, leftSmaller ? small : large),
    makeLeaf(st, ri, [mid, leaf.end, pMid, leaf.pEnd], leaf.depth + 1, leftSmaller ? large : small),
  ];
}

/** Raw threshold of a numeric split after bin `b`: the bin's upper edge (the last value bin has none). */
function edgeOf(l: FeatureBins, b: number): number {
  return b < l.edges.length ? l.edges[b]! : Number.MAX_VALUE;
}
