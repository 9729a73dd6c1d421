/**
 * A node's gradient histogram: (grad, hess, count) per bin of each feature, summed over the node's rows in node
 * order by the WebAssembly kernel (five features per pass), and subtracted from the parent's to give the sibling.
 * This is what a worker thread runs ('gbdt-setup' registers a fit's heap, 'gbdt-hist' sums a share of the
 * features); gbdt-grow.ts decides which node's histogram to build and on how many threads.
 */
import type { FeatureBins } from '../data/binning.ts';
import { kernelOn, type HeapLayout, type Kernel } from './gbdt-heap.ts';

/** Histogram offsets: feature j occupies [off[j], off[j+1]) with 3 slots (grad, hess, count) per bin. */
export function histOffsets(layout: FeatureBins[]): Int32Array {
  const off = new Int32Array(layout.length + 1);
  for (let j = 0; j < layout.length; j++) off[j + 1] = off[j]! + (layout[j]!.missingBin + 1) * 3;
  return off;
}

/** What a node histogram needs: sent to each worker once per fit. */
export interface HistBuffers {
  memory: WebAssembly.Memory;
  at: HeapLayout;
  nRows: number;
  off: Int32Array;
  /** Shared counter of feature chunks handed out for the current node (work sharing). */
  next: Int32Array;
}

/** A thread's view of a fit: the buffers, the kernel on their memory, and the arena as doubles. */
export interface HistThread {
  bufs: HistBuffers;
  kernel: Kernel;
  arena: Float64Array;
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
  /** Features per chunk when threads take chunks from the shared counter. */
  chunk: number;
}

/** A thread's view of the buffers: the kernel instantiated on their memory. */
export function histThread(bufs: HistBuffers): HistThread {
  const arena = new Float64Array(
    bufs.memory.buffer,
    bufs.at.arena,
    (bufs.memory.buffer.byteLength - bufs.at.arena) >> 3,
  );
  return { bufs, kernel: kernelOn(bufs.memory), arena };
}

let registered: { id: number; thread: HistThread } | null = null;

export function histSetupTask(t: HistSetupTask): void {
  registered = { id: t.id, thread: histThread(t.bufs) };
}

/** A worker's 'gbdt-hist': the node numbers from the task, the heap from the last setup. */
export function histTask(t: HistTask): void {
  if (!registered || registered.id !== t.id) throw new Error(`gbdt-hist for fit ${t.id} without its setup`);
  histShare(registered.thread, t);
}

/**
 * Takes chunks of `t.chunk` features from the shared counter until none is left (every thread, the caller
 * included), so a slower thread simply takes fewer; each feature is still summed whole by one thread, in row order.
 */
export function histShare(th: HistThread, t: HistTask): void {
  for (;;) {
    const lo = t.fLo + Atomics.add(th.bufs.next, 0, 1) * t.chunk;
    if (lo >= t.fHi) return;
    histFeatures(th, t.start, t.m, t.base, t.parentBase, lo, Math.min(t.fHi, lo + t.chunk));
  }
}

/**
 * Fills the histogram slice of features [fLo, fHi) of the node's rows rows[start..start+m) (their gradients at
 * gh[start..start+m)), five features per kernel pass and then one at a time; then subtracts it from the
 * parent's slice when `parentBase` >= 0.
 */
export function histFeatures(
  th: HistThread,
  start: number,
  m: number,
  base: number,
  parentBase: number,
  fLo: number,
  fHi: number,
): void {
  const { kernel, arena } = th;
  const { at, nRows, off } = th.bufs;
  const from = base + off[fLo]!;
  const to = base + off[fHi]!;
  arena.fill(0, from, to);
  const rows = at.rows + 4 * start;
  const gh = at.gh + 16 * start;
  const hist = (j: number): number => at.arena + 8 * (base + off[j]!);
  let j = fLo;
  for (; j + 5 <= fHi; j += 5) {
    kernel.hist5(rows, m, gh, at.codes + j * nRows, nRows, hist(j), hist(j + 1), hist(j + 2), hist(j + 3), hist(j + 4));
  }
  for (; j < fHi; j++) kernel.hist1(rows, m, gh, at.codes + j * nRows, hist(j));
  if (parentBase >= 0) kernel.subtract(at.arena + 8 * (parentBase + off[fLo]!), at.arena + 8 * from, to - from);
}
