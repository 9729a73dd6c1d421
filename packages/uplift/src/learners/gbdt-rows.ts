/**
 * The per-row work of a boosted fit, shared among the threads: each round's gradients and hessians (in bag
 * order, beside the bag's rows in the grower's heap) and, after the tree, the score updates of the rows it was
 * grown on. Threads take the grower's row segments from a shared counter and each row is computed by exactly
 * one thread, so the results are the same on any number of threads.
 */
import { createFitSession, FitSlot, runOnSession, type FitSession } from '../parallel/fit-session.ts';
import { sharedF64, sharedI32 } from '../parallel/pool.ts';
import type { GrowContext } from '../trees/gbdt-grow.ts';
import { SEGMENTS } from '../trees/gbdt-histogram.ts';

/** What the row work reads and writes, sent to each worker once per fit. */
export interface RowBuffers {
  /** The grower's heap, with the bag's rows at byte `rowsAt` and their (gradient, hessian) pairs at `ghAt`. */
  memory: WebAssembly.Memory;
  rowsAt: number;
  ghAt: number;
  nRows: number;
  y: Float64Array;
  F: Float64Array;
  /** exp(-F) per row for the log loss (empty for squared error). */
  E: Float64Array;
  /** Shared counter of segments taken by the current task. */
  next: Int32Array;
}

export interface RowsSetupTask {
  kind: 'gbdt-rows-setup';
  id: number;
  bufs: RowBuffers;
}

/** Drops a finished fit's row buffers in a worker, so their memory can be freed. */
export interface RowsReleaseTask {
  kind: 'gbdt-rows-release';
  id: number;
}

/**
 * 'grad': gradients of the first `n` rows of the row buffer. 'scores': add each leaf's value to its rows'
 * scores; `leaves` holds per leaf its value, then its [start, end) in each segment.
 */
export interface RowsTask {
  kind: 'gbdt-rows';
  id: number;
  op: 'grad' | 'scores';
  n: number;
  leaves: number[];
}

interface RowViews {
  bufs: RowBuffers;
  rows: Int32Array;
  gh: Float64Array;
}

function viewsOf(bufs: RowBuffers): RowViews {
  return {
    bufs,
    rows: new Int32Array(bufs.memory.buffer, bufs.rowsAt, bufs.nRows),
    gh: new Float64Array(bufs.memory.buffer, bufs.ghAt, 2 * bufs.nRows),
  };
}

const slot = new FitSlot<RowViews>('gbdt-rows');

export function rowsSetupTask(t: RowsSetupTask): void {
  slot.set(t.id, viewsOf(t.bufs));
}

export function rowsReleaseTask(t: RowsReleaseTask): void {
  slot.drop(t.id);
}

export function rowsTask(t: RowsTask): void {
  rowsWork(slot.get(t.id), t);
}

/** This thread's share of a row task: segments taken from the shared counter until none is left. */
function rowsWork(v: RowViews, t: RowsTask): void {
  for (;;) {
    const k = Atomics.add(v.bufs.next, 0, 1);
    if (k >= SEGMENTS) return;
    if (t.op === 'grad') gradients(v, Math.floor((k * t.n) / SEGMENTS), Math.floor(((k + 1) * t.n) / SEGMENTS));
    else
      for (let j = 0; j < t.leaves.length; j += 1 + 2 * SEGMENTS) {
        const at = j + 1 + 2 * k;
        addToScores(v.bufs.F, v.bufs.E, v.rows, t.leaves[at]!, t.leaves[at + 1]!, t.leaves[j]!);
      }
  }
}

/** Gradient and hessian of the rows at rows[lo..hi) into gh[2i], gh[2i + 1]; the log loss reads exp(-F) from E. */
function gradients(v: RowViews, lo: number, hi: number): void {
  const { rows, gh } = v;
  const { y, F, E } = v.bufs;
  if (E.length > 0) {
    for (let i = lo; i < hi; i++) {
      const r = rows[i]!;
      const pr = 1 / (1 + E[r]!);
      gh[2 * i] = pr - y[r]!;
      gh[2 * i + 1] = Math.max(pr * (1 - pr), 1e-16);
    }
    return;
  }
  for (let i = lo; i < hi; i++) {
    const r = rows[i]!;
    gh[2 * i] = F[r]! - y[r]!;
    gh[2 * i + 1] = 1;
  }
}

/** Adds a leaf's value to its rows' scores, and its factor exp(-v) to their exp(-F) when kept (log loss). */
export function addToScores(
  F: Float64Array,
  E: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
  v: number,
): void {
  if (E.length === 0) {
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      F[r] = F[r]! + v;
    }
    return;
  }
  const ev = Math.exp(-v);
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    F[r] = F[r]! + v;
    E[r] = E[r]! * ev;
  }
}

/** Below this many rows a row task runs on the calling thread alone (the same result either way). */
const PARALLEL_MIN_ROWS = 1 << 16;

/** A fit's row work: its shared scores and targets, and the workers' session. */
export interface FitRows {
  views: RowViews;
  F: Float64Array;
  E: Float64Array;
  session: FitSession;
}

/** Scores (all `init`), exp(-F) for the log loss, and a shared copy of the targets, over the grower's heap. */
export function createFitRows(ctx: GrowContext, y: ArrayLike<number>, init: number, logloss: boolean): FitRows {
  const n = ctx.data.nRows;
  const F = sharedF64(n).fill(init);
  const E = sharedF64(logloss ? n : 0);
  const yy = sharedF64(n);
  yy.set(y);
  const bufs: RowBuffers = {
    memory: ctx.heap.memory,
    rowsAt: ctx.heap.at.rows,
    ghAt: ctx.heap.at.gh,
    nRows: n,
    y: yy,
    F,
    E,
    next: sharedI32(1),
  };
  const session = createFitSession(
    ctx.session.threads,
    (id): RowsSetupTask => ({ kind: 'gbdt-rows-setup', id, bufs }),
    (id): RowsReleaseTask => ({ kind: 'gbdt-rows-release', id }),
  );
  return { views: viewsOf(bufs), F, E, session };
}

/** Gradients of the first `n` rows of the row buffer (the bag), in bag order. */
export function fitGradients(fr: FitRows, n: number): void {
  run(fr, { kind: 'gbdt-rows', id: fr.session.id, op: 'grad', n, leaves: [] }, n);
}

/** Adds each leaf's value to the scores of its rows in the row buffer (`ranges`: [start, end) per segment). */
export function fitScores(fr: FitRows, leaves: { ranges: number[]; value: number }[], n: number): void {
  const flat: number[] = [];
  for (const leaf of leaves) flat.push(leaf.value, ...leaf.ranges);
  run(fr, { kind: 'gbdt-rows', id: fr.session.id, op: 'scores', n, leaves: flat }, n);
}

function run(fr: FitRows, task: RowsTask, n: number): void {
  fr.views.bufs.next[0] = 0;
  if (fr.session.threads < 2 || n < PARALLEL_MIN_ROWS) rowsWork(fr.views, task);
  else runOnSession(fr.session, task, () => rowsWork(fr.views, task));
}
