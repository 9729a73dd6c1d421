/**
 * The per-node work of growing a boosted tree, as every thread runs it: partitioning a node's rows for a split,
 * then summing (grad, hess, count) per bin of the chosen child over its rows by the WebAssembly kernel (five
 * features per pass), and subtracting it from the parent's histogram to give the sibling.
 *
 * A tree's rows are kept in SEGMENTS contiguous segments of the row buffer, so a node is one row range per
 * segment. Threads take segments from a shared counter to partition them, wait for all, then take chunks of
 * features to sum; each feature is summed whole by one thread, segment by segment in row order. So the result is
 * the same on any number of threads. A worker registers a fit's heap once ('gbdt-setup'); 'gbdt-node' tasks
 * carry numbers only. gbdt-grow.ts decides which node to split and on how many threads.
 */
import type { FeatureBins } from '../data/binning.ts';
import { FitSlot } from '../parallel/fit-session.ts';
import { kernelOn, type HeapLayout, type Kernel } from './gbdt-heap.ts';

/** Segments of the row buffer (a constant, not the thread count, so results do not depend on threads). */
export const SEGMENTS = 8;

/** Histogram offsets: feature j occupies [off[j], off[j+1]) with 3 slots (grad, hess, count) per bin. */
export function histOffsets(layout: FeatureBins[]): Int32Array {
  const off = new Int32Array(layout.length + 1);
  for (let j = 0; j < layout.length; j++) off[j + 1] = off[j]! + (layout[j]!.missingBin + 1) * 3;
  return off;
}

/** What node work needs besides the task's numbers: sent to each worker once per fit. */
export interface HistBuffers {
  memory: WebAssembly.Memory;
  at: HeapLayout;
  nRows: number;
  off: Int32Array;
  /** Shared counters of the current task: [segments taken, segments partitioned, feature chunks taken]. */
  next: Int32Array;
  /** Where each segment's partition ended (rows before it went left), per segment. */
  mids: Int32Array;
}

/** A thread's view of a fit: the buffers and the kernel on their memory. */
export interface HistThread {
  bufs: HistBuffers;
  kernel: Kernel;
}

/** Registers a fit's buffers in a worker under `id`. */
export interface HistSetupTask {
  kind: 'gbdt-setup';
  id: number;
  bufs: HistBuffers;
}

/** Drops a finished fit's buffers in a worker, so its memory can be freed. */
export interface HistReleaseTask {
  kind: 'gbdt-release';
  id: number;
}

/**
 * One node step: when `col` >= 0, partition the node (`ranges`: [start, end) per segment) by the split whose
 * goes-left table is in the heap, on the feature whose codes start at byte `col`, then build the histogram of
 * child `side` (0 left, 1 right); when `col` < 0, build the histogram of the node itself. The histogram goes to
 * arena[base..] and is subtracted from arena[parentBase..] when parentBase >= 0.
 */
export interface NodeTask {
  kind: 'gbdt-node';
  id: number;
  ranges: number[];
  col: number;
  side: number;
  base: number;
  parentBase: number;
  nF: number;
  /** Features per chunk taken from the shared counter (five: the kernel's widest pass). */
  chunk: number;
}

export function histThread(bufs: HistBuffers): HistThread {
  return { bufs, kernel: kernelOn(bufs.memory) };
}

const slot = new FitSlot<HistThread>('gbdt-node');

export function histSetupTask(t: HistSetupTask): void {
  slot.set(t.id, histThread(t.bufs));
}

export function histReleaseTask(t: HistReleaseTask): void {
  slot.drop(t.id);
}

/** A worker's 'gbdt-node': the numbers from the task, the heap from the last setup. */
export function nodeTask(t: NodeTask): void {
  nodeWork(slot.get(t.id), t);
}

/** The ranges of child `side` of a node partitioned at `mids`. */
export function childRanges(ranges: number[], mids: ArrayLike<number>, side: number): number[] {
  const out = new Array<number>(ranges.length);
  for (let k = 0; k < ranges.length; k += 2) {
    const mid = mids[k >> 1]!;
    out[k] = side === 0 ? ranges[k]! : mid;
    out[k + 1] = side === 0 ? mid : ranges[k + 1]!;
  }
  return out;
}

/** This thread's share of a node step (the counters were reset by the caller). */
export function nodeWork(th: HistThread, t: NodeTask): void {
  const { kernel } = th;
  const { at, next, mids } = th.bufs;
  let ranges = t.ranges;
  if (t.col >= 0) {
    const nSeg = ranges.length >> 1;
    for (;;) {
      const k = Atomics.add(next, 0, 1);
      if (k >= nSeg) break;
      const s = ranges[2 * k]!;
      const n = ranges[2 * k + 1]! - s;
      const left = kernel.partition(
        at.rows + 4 * s,
        at.gh + 16 * s,
        n,
        t.col,
        at.table,
        at.scratchRows + 4 * s,
        at.scratchGh + 16 * s,
      );
      Atomics.store(mids, k, s + left);
      Atomics.add(next, 1, 1);
      Atomics.notify(next, 1);
    }
    // Every segment must be partitioned before any histogram; the others' partitions are short.
    waitForPartitions(next, nSeg);
    ranges = childRanges(ranges, mids, t.side);
  }
  for (;;) {
    const lo = Atomics.add(next, 2, 1) * t.chunk;
    if (lo >= t.nF) return;
    histFeatures(th, ranges, t.base, t.parentBase, lo, Math.min(t.nF, lo + t.chunk));
  }
}

/** Polls before sleeping on the counter (a segment takes well under a millisecond). */
const BARRIER_SPIN = 5_000_000;
/** A thread that has not partitioned its segment in this long is taken as lost. */
const BARRIER_TIMEOUT_MS = 60_000;

/** Waits until `nSeg` segments are partitioned: spins, then sleeps a millisecond at a time, then gives up. */
function waitForPartitions(next: Int32Array, nSeg: number): void {
  for (let k = 0; k < BARRIER_SPIN; k++) if (Atomics.load(next, 1) >= nSeg) return;
  const t0 = Date.now();
  for (let done = Atomics.load(next, 1); done < nSeg; done = Atomics.load(next, 1)) {
    if (Date.now() - t0 > BARRIER_TIMEOUT_MS) throw new Error(`${nSeg - done} row segments were never partitioned`);
    Atomics.wait(next, 1, done, 1);
  }
}

/**
 * Fills the histogram slice of features [fLo, fHi) over the rows in `ranges` (their gradients beside them),
 * five features per kernel pass and then one at a time, segment by segment; then subtracts it from the parent's
 * slice when `parentBase` >= 0.
 */
function histFeatures(
  th: HistThread,
  ranges: number[],
  base: number,
  parentBase: number,
  fLo: number,
  fHi: number,
): void {
  const { kernel } = th;
  const { at, nRows, off } = th.bufs;
  const from = at.arena + 8 * (base + off[fLo]!);
  const to = at.arena + 8 * (base + off[fHi]!);
  new Float64Array(th.bufs.memory.buffer, from, (to - from) >> 3).fill(0);
  const hist = (j: number): number => at.arena + 8 * (base + off[j]!);
  let j = fLo;
  for (; j + 5 <= fHi; j += 5) {
    const codes = at.codes + j * nRows;
    const [o0, o1, o2, o3, o4] = [hist(j), hist(j + 1), hist(j + 2), hist(j + 3), hist(j + 4)];
    for (let k = 0; k < ranges.length; k += 2) {
      const s = ranges[k]!;
      kernel.hist5(at.rows + 4 * s, ranges[k + 1]! - s, at.gh + 16 * s, codes, nRows, o0, o1, o2, o3, o4);
    }
  }
  for (; j < fHi; j++) {
    const o = hist(j);
    for (let k = 0; k < ranges.length; k += 2) {
      const s = ranges[k]!;
      kernel.hist1(at.rows + 4 * s, ranges[k + 1]! - s, at.gh + 16 * s, at.codes + j * nRows, o);
    }
  }
  if (parentBase >= 0) kernel.subtract(at.arena + 8 * (parentBase + off[fLo]!), from, (to - from) >> 3);
}
