/**
 * Growth of one gradient-boosting tree on binned features: per-node gradient histograms, the sibling
 * histogram by subtraction, best-first (largest gain) leaf expansion bounded by maxLeaves and maxDepth.
 * Partitioning and histograms of large nodes are shared among the threads (gbdt-histogram.ts).
 */
import type { BinnedDataset, FeatureBins } from '../data/binning.ts';
import { createFitSession, runOnSession, type FitSession } from '../parallel/fit-session.ts';
import { sharedI32 } from '../parallel/pool.ts';
import { leftBinTable, partitionRows } from './partition.ts';
import { TreeBuilder, type FlatTree, type SplitSpec } from './flat-tree.ts';
import { createFitHeap, type FitHeap } from './gbdt-heap.ts';
import {
  childRanges,
  histOffsets,
  histThread,
  nodeWork,
  SEGMENTS,
  type HistReleaseTask,
  type HistSetupTask,
  type HistThread,
  type NodeTask,
} from './gbdt-histogram.ts';

/** Tree-shape parameters of gradient boosting. */
export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  l2: number;
  minGainToSplit: number;
  learningRate: number;
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
  /** The leaf's rows: [start, end) in each segment of the row buffer. */
  ranges: number[];
  /** Number of rows. */
  count: number;
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

/** Below this many (rows x features) a node step runs on the calling thread alone (same result either way). */
const PARALLEL_MIN_CELLS = 1 << 16;

/**
 * Buffers of one fit, sized once: the heap (gbdt-heap.ts: codes, row buffer, gradients, a histogram arena of
 * maxLeaves slots) that this thread and the workers share, and a partition scratch for the passengers.
 * The caller fills `heap.rows` with a tree's rows and `heap.gh` with their gradients.
 */
export interface GrowContext {
  data: BinnedDataset;
  off: Int32Array;
  histSize: number;
  heap: FitHeap;
  /** This thread's kernel and the buffers workers get. */
  thread: HistThread;
  free: number[];
  part: Int32Array;
  /** The workers' session (its id is the fit's; the setup sends the heap). */
  session: FitSession;
}

/**
 * Allocates the buffers for growing trees of at most `maxLeaves` leaves over `data`, with `threads` threads.
 *
 * @example
 * const ctx = createGrowContext(binned, 31, upliftThreads());
 */
export function createGrowContext(data: BinnedDataset, maxLeaves: number, threads: number): GrowContext {
  const off = histOffsets(data.layout);
  const histSize = off[off.length - 1]!;
  // One slot per leaf: a split's larger child takes over its parent's slot.
  const nSlots = maxLeaves;
  const heap = createFitHeap(data.codes, data.nRows, nSlots * histSize);
  const bufs = {
    memory: heap.memory,
    at: heap.at,
    nRows: data.nRows,
    off,
    next: sharedI32(3),
    mids: sharedI32(SEGMENTS),
  };
  const session = createFitSession(
    Math.max(1, Math.min(threads, SEGMENTS)),
    (id): HistSetupTask => ({ kind: 'gbdt-setup', id, bufs }),
    (id): HistReleaseTask => ({ kind: 'gbdt-release', id }),
  );
  return {
    data,
    off,
    histSize,
    heap,
    thread: histThread(bufs),
    free: [],
    part: new Int32Array(data.nRows),
    session,
  };
}

/**
 * Runs one node step (gbdt-histogram.ts NodeTask) into a fresh arena slot: on this thread alone for small nodes
 * (`rows`: the node's rows, the parent's for a split, since the whole parent is partitioned), shared with the
 * workers for large ones. Returns the slot's offset; a split's segment ends are in `mids`.
 */
function runNode(
  ctx: GrowContext,
  ranges: number[],
  rows: number,
  col: number,
  side: number,
  parentBase: number,
): number {
  const base = ctx.free.pop()!;
  const nF = ctx.data.layout.length;
  const { session } = ctx;
  const task: NodeTask = { kind: 'gbdt-node', id: session.id, ranges, col, side, base, parentBase, nF, chunk: 5 };
  ctx.thread.bufs.next.fill(0);
  if (session.threads < 2 || rows * nF < PARALLEL_MIN_CELLS) nodeWork(ctx.thread, task);
  else runOnSession(session, task, () => nodeWork(ctx.thread, task));
  return base;
}

function score(g: number, h: number, l2: number): number {
  return (g * g) / (h + l2);
}

/**
 * Best split of one feature from its histogram slice; bins visited in `order` (value bins only). The scan keeps
 * numbers only and makes the candidate at the end; an empty bin is skipped (its split sends the same rows as the
 * bin before it), and the scan stops once the right side would hold fewer than minSamplesLeaf rows.
 */
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
  const l2 = p.l2;
  const minLeaf = p.minSamplesLeaf;
  const minHess = p.minChildWeight;
  const parent = score(G, H, l2);
  const gm = hist[o + missingBin * 3]!;
  const hm = hist[o + missingBin * 3 + 1]!;
  const cm = hist[o + missingBin * 3 + 2]!;
  const tries = cm > 0 ? 2 : 1;
  let bestGain = p.minGainToSplit;
  let bestK = -1;
  let bestMl = 0;
  let gl = 0;
  let hl = 0;
  let cl = 0;
  const last = order.length - 1;
  for (let k = 0; k < last; k++) {
    const b = o + order[k]! * 3;
    const cb = hist[b + 2]!;
    if (cb === 0 && k > 0) continue;
    gl += hist[b]!;
    hl += hist[b + 1]!;
    cl += cb;
    if (C - cl < minLeaf) break;
    for (let ml = 0; ml < tries; ml++) {
      const GL = ml === 0 ? gl : gl + gm;
      const HL = ml === 0 ? hl : hl + hm;
      const CL = ml === 0 ? cl : cl + cm;
      if (CL < minLeaf || C - CL < minLeaf) continue;
      if (HL < minHess || H - HL < minHess) continue;
      const gain = (GL * GL) / (HL + l2) + ((G - GL) * (G - GL)) / (H - HL + l2) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        bestK = k;
        bestMl = ml;
      }
    }
  }
  return bestK < 0 ? null : { gain: bestGain, feature: -1, bin: bestK, leftCats: null, missingLeft: bestMl === 1 };
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
   * For each leaf: its ranges [start, end) in the row buffer (one per segment, flat), its range [pStart, pEnd)
   * in `passengers`, and its value, so training, out-of-bag and validation scores are updated without
   * traversing the tree.
   */
  leaves: { ranges: number[]; pStart: number; pEnd: number; value: number }[];
  gainByFeature: Float64Array;
}

interface GrowState {
  ctx: GrowContext;
  data: BinnedDataset;
  passengers: Int32Array;
  p: GrowParams;
  off: Int32Array;
  builder: TreeBuilder;
  gainByFeature: Float64Array;
}

/**
 * Grows one tree from the histograms of the first `nRows` rows of `ctx.heap.rows` (reordered in place), whose
 * gradients and hessians the caller has put beside them in `ctx.heap.gh` (gh[2i], gh[2i + 1] for rows[i]; they
 * are partitioned with the rows, so a node's gradients are read in order). `passengers` (out-of-bag and validation rows) follow the same
 * splits without contributing to the histograms. `ctx` (from `createGrowContext`) serves every tree of a fit.
 *
 * @example
 * const ctx = createGrowContext(binned, 31, 1);
 * ctx.heap.rows.set(rows); ctx.heap.gh.set(gradHessInRowOrder);
 * const { tree } = growGbdtTree(ctx, rows.length, new Int32Array(0), params);
 */
export function growGbdtTree(ctx: GrowContext, nRows: number, passengers: Int32Array, p: GrowParams): GrownTree {
  const { data } = ctx;
  const nSlots = ctx.heap.arena.length / ctx.histSize;
  ctx.free = Array.from({ length: nSlots }, (_, k) => (nSlots - 1 - k) * ctx.histSize);
  const st: GrowState = {
    ctx,
    data,
    passengers,
    p,
    off: ctx.off,
    builder: new TreeBuilder(),
    gainByFeature: new Float64Array(data.layout.length),
  };
  const root: number[] = [];
  for (let k = 0; k < SEGMENTS; k++)
    root.push(Math.floor((k * nRows) / SEGMENTS), Math.floor(((k + 1) * nRows) / SEGMENTS));
  const rootBase = runNode(ctx, root, nRows, -1, 0, -1);
  const open: OpenLeaf[] = [makeLeaf(st, st.builder.addLeaf(), root, [0, passengers.length], 0, rootBase)];
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
    leaves.push({ ranges: leaf.ranges, pStart: leaf.pStart, pEnd: leaf.pEnd, value });
  }
  return { tree: st.builder.finish(), leaves, gainByFeature: st.gainByFeature };
}

/** A new open leaf over `ranges` / [pStart, pEnd) whose histogram sits at arena[base..], best split searched. */
function makeLeaf(
  st: GrowState,
  id: number,
  ranges: number[],
  [pStart, pEnd]: [number, number],
  depth: number,
  base: number,
): OpenLeaf {
  let count = 0;
  for (let k = 0; k < ranges.length; k += 2) count += ranges[k + 1]! - ranges[k]!;
  const hist = st.ctx.heap.arena.subarray(base, base + st.ctx.histSize);
  let G = 0;
  let H = 0;
  const o = st.off[0]!;
  for (let b = 0; b <= st.data.layout[0]!.missingBin; b++) {
    G += hist[o + b * 3]!;
    H += hist[o + b * 3 + 1]!;
  }
  const leaf: OpenLeaf = { id, ranges, count, pStart, pEnd, depth, base, hist, g: G, h: H, best: null };
  if (depth < st.p.maxDepth && count >= 2 * st.p.minSamplesLeaf)
    leaf.best = bestSplit(hist, st.off, st.data.layout, G, H, count, st.p);
  return leaf;
}

/** Applies a leaf's best split: partitions rows and passengers, builds the smaller child's histogram. */
function splitLeaf(st: GrowState, leaf: OpenLeaf): [OpenLeaf, OpenLeaf] {
  const { data, passengers, ctx } = st;
  const c = leaf.best!;
  const l = data.layout[c.feature]!;
  const table = leftBinTable(l, c.bin, c.leftCats, c.missingLeft);
  ctx.heap.table.set(table);
  // The smaller child's histogram is built (its size is known from the parent's histogram); the larger one is
  // the parent's minus it, in the parent's slot.
  const nLeft = leftCount(leaf.hist, st.off[c.feature]!, table, l.missingBin);
  const side = nLeft <= leaf.count - nLeft ? 0 : 1;
  const col = ctx.heap.at.codes + c.feature * data.nRows;
  const small = runNode(ctx, leaf.ranges, Math.min(nLeft, leaf.count - nLeft), col, side, leaf.base);
  const left = childRanges(leaf.ranges, ctx.thread.bufs.mids, 0);
  const right = childRanges(leaf.ranges, ctx.thread.bufs.mids, 1);
  const pMid = partitionRows(passengers, leaf.pStart, leaf.pEnd, data.bins[c.feature]!, table, ctx.part);
  st.gainByFeature[c.feature] = st.gainByFeature[c.feature]! + c.gain;
  const spec: SplitSpec = {
    feature: c.feature,
    threshold: l.kind === 'numeric' ? edgeOf(l, c.bin) : 0,
    missingLeft: c.missingLeft,
    leftCats: c.leftCats,
  };
  const [li, ri] = st.builder.split(leaf.id, spec);
  const large = leaf.base;
  return [
    makeLeaf(st, li, left, [leaf.pStart, pMid], leaf.depth + 1, side === 0 ? small : large),
    makeLeaf(st, ri, right, [pMid, leaf.pEnd], leaf.depth + 1, side === 0 ? large : small),
  ];
}

/** Rows of a node that a split sends left: the counts of the bins its table flags, in the node's histogram. */
function leftCount(hist: Float64Array, o: number, table: Uint8Array, missingBin: number): number {
  let n = 0;
  for (let b = 0; b <= missingBin; b++) if (table[b] === 1) n += hist[o + b * 3 + 2]!;
  return n;
}

/** Raw threshold of a numeric split after bin `b`: the bin's upper edge (the last value bin has none). */
function edgeOf(l: FeatureBins, b: number): number {
  return b < l.edges.length ? l.edges[b]! : Number.MAX_VALUE;
}
