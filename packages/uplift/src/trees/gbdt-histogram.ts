/**
 * A node's gradient histogram: (grad, hess, count) per bin of each feature, summed over the node's rows in node
 * order, five features per pass, and subtracted from the parent's to give the sibling. This is what a worker thread
 * runs ('gbdt-setup' registers a fit's shared buffers, 'gbdt-hist' sums a share of the features); gbdt-grow.ts
 * decides which node's histogram to build and on how many threads.
 */
import type { FeatureBins } from '../data/binning.ts';

/** Histogram offsets: feature j occupies [off[j], off[j+1]) with 3 slots (grad, hess, count) per bin. */
export function histOffsets(layout: FeatureBins[]): Int32Array {
  const off = new Int32Array(layout.length + 1);
  for (let j = 0; j < layout.length; j++) off[j + 1] = off[j]! + (layout[j]!.missingBin + 1) * 3;
  return off;
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
export function histShare(b: HistBuffers, t: HistTask): void {
  for (;;) {
    const lo = t.fLo + Atomics.add(b.next, 0, 1) * t.chunk;
    if (lo >= t.fHi) return;
    histKernel(b, { ...t, fLo: lo, fHi: Math.min(t.fHi, lo + t.chunk) });
  }
}

/**
 * Fills the histogram slice of features [fLo, fHi): (grad, hess, count) per bin, rows in node order, five
 * features per pass so each row's index and gradients are loaded once for five updates (then two, then one for
 * the rest). With unit hessians only gradients and counts are summed (hess := count). Then subtracts it from the
 * parent's slice when asked. The unit and general loops are written out twice on purpose: one branch per node,
 * none per row (the fit's hot loop). Five per pass: 2.3-2.5 ns per update against 2.8-2.9 with four and 3.8 with
 * two (a kernel micro-benchmark on 200k rows, random node subsets); `npm run bench uplift` measures the fit.
 */
export function histKernel(b: HistBuffers, t: HistTask): void {
  const { codes, nRows, off, rows, gh, arena: hist } = b;
  const { start, m, base, fLo, fHi } = t;
  const from = base + off[fLo]!;
  const to = base + off[fHi]!;
  hist.fill(0, from, to);
  let j = fLo;
  if (t.unit) {
    for (; j + 5 <= fHi; j += 5) {
      const c0 = j * nRows;
      const c1 = c0 + nRows;
      const c2 = c1 + nRows;
      const c3 = c2 + nRows;
      const c4 = c3 + nRows;
      const o0 = base + off[j]!;
      const o1 = base + off[j + 1]!;
      const o2 = base + off[j + 2]!;
      const o3 = base + off[j + 3]!;
      const o4 = base + off[j + 4]!;
      for (let i = 0; i < m; i++) {
        const r = rows[start + i]!;
        const gi = gh[i]!;
        addGrad(hist, o0 + codes[c0 + r]! * 3, gi);
        addGrad(hist, o1 + codes[c1 + r]! * 3, gi);
        addGrad(hist, o2 + codes[c2 + r]! * 3, gi);
        addGrad(hist, o3 + codes[c3 + r]! * 3, gi);
        addGrad(hist, o4 + codes[c4 + r]! * 3, gi);
      }
    }
    for (; j + 2 <= fHi; j += 2) {
      const c0 = j * nRows;
      const c1 = c0 + nRows;
      const o0 = base + off[j]!;
      const o1 = base + off[j + 1]!;
      for (let i = 0; i < m; i++) {
        const r = rows[start + i]!;
        const gi = gh[i]!;
        addGrad(hist, o0 + codes[c0 + r]! * 3, gi);
        addGrad(hist, o1 + codes[c1 + r]! * 3, gi);
      }
    }
    for (; j < fHi; j++) {
      const c = j * nRows;
      const o = base + off[j]!;
      for (let i = 0; i < m; i++) addGrad(hist, o + codes[c + rows[start + i]!]! * 3, gh[i]!);
    }
    for (let k = from; k < to; k += 3) hist[k + 1] = hist[k + 2]!;
  } else {
    for (; j + 5 <= fHi; j += 5) {
      const c0 = j * nRows;
      const c1 = c0 + nRows;
      const c2 = c1 + nRows;
      const c3 = c2 + nRows;
      const c4 = c3 + nRows;
      const o0 = base + off[j]!;
      const o1 = base + off[j + 1]!;
      const o2 = base + off[j + 2]!;
      const o3 = base + off[j + 3]!;
      const o4 = base + off[j + 4]!;
      for (let i = 0; i < m; i++) {
        const r = rows[start + i]!;
        const gi = gh[2 * i]!;
        const hi = gh[2 * i + 1]!;
        addBin(hist, o0 + codes[c0 + r]! * 3, gi, hi);
        addBin(hist, o1 + codes[c1 + r]! * 3, gi, hi);
        addBin(hist, o2 + codes[c2 + r]! * 3, gi, hi);
        addBin(hist, o3 + codes[c3 + r]! * 3, gi, hi);
        addBin(hist, o4 + codes[c4 + r]! * 3, gi, hi);
      }
    }
    for (; j + 2 <= fHi; j += 2) {
      const c0 = j * nRows;
      const c1 = c0 + nRows;
      const o0 = base + off[j]!;
      const o1 = base + off[j + 1]!;
      for (let i = 0; i < m; i++) {
        const r = rows[start + i]!;
        const gi = gh[2 * i]!;
        const hi = gh[2 * i + 1]!;
        addBin(hist, o0 + codes[c0 + r]! * 3, gi, hi);
        addBin(hist, o1 + codes[c1 + r]! * 3, gi, hi);
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

function addGrad(hist: Float64Array, k: number, g: number): void {
  hist[k] = hist[k]! + g;
  hist[k + 2] = hist[k + 2]! + 1;
}

function addBin(hist: Float64Array, k: number, g: number, h: number): void {
  hist[k] = hist[k]! + g;
  hist[k + 1] = hist[k + 1]! + h;
  hist[k + 2] = hist[k + 2]! + 1;
}
