/**
 * A synchronous worker pool over shared memory: the calling thread hands one task to each of up to `threads - 1`
 * workers (a message plus an Atomics wake-up), runs its own share, then blocks on Atomics until every worker has
 * answered and reads the answers with `receiveMessageOnPort`. So the fitting API stays synchronous. Workers are
 * started once, kept for later calls and unref'd (they never keep a process alive).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MAX_THREADS } from './threads.ts';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** Control words per worker in the shared control block: [task sequence, answered sequence]. */
const STRIDE = 16;
const SEQ = 0;
const DONE = 1;
/** Set to 1 by a worker that could not load (worker-boot.mjs). */
const FAILED = 2;
/** Polls of a worker's answer before sleeping on it (a wake-up costs tens to hundreds of microseconds). */
const SPIN = 2_000;
/** A worker that has not answered in this long is taken as lost. */
const TASK_TIMEOUT_MS = 30 * 60_000;

interface Slot {
  worker: Worker;
  port: MessagePort;
  seq: number;
}

/** A task for a worker: `kind` names a handler in tasks.ts. */
export interface Task {
  kind: string;
}

/** Room for every worker the setting allows (MAX_THREADS - 1), so the block never needs to grow. */
const ctrl = new Int32Array(new SharedArrayBuffer(4 * STRIDE * MAX_THREADS));
const slots: Slot[] = [];

/**
 * The worker's entry: the bundled `uplift-worker.js` next to the running bundle, or (running from the TypeScript
 * sources under tsx or vitest) a bootstrap that registers tsx and loads worker.ts.
 */
function workerUrl(): URL {
  if (!import.meta.url.endsWith('.ts')) {
    for (const rel of ['./uplift-worker.js', '../uplift-worker.js']) {
      const u = new URL(rel, import.meta.url);
      if (existsSync(fileURLToPath(u))) return u;
    }
  }
  return new URL('./worker-boot.mjs', import.meta.url);
}

function ensureWorkers(n: number): void {
  if (n >= MAX_THREADS) throw new RangeError(`at most ${MAX_THREADS - 1} uplift workers, asked for ${n}`);
  while (slots.length < n) {
    const index = slots.length;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerUrl(), {
      workerData: { ctrl, index, stride: STRIDE, port: port2 },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    slots.push({ worker, port: port1, seq: 0 });
  }
}

/**
 * Runs `tasks[i]` on worker i (undefined entries skip a worker) while the caller runs `own()`; returns the workers'
 * results in order (undefined for skipped ones) once all have answered. A worker's error is rethrown here.
 *
 * @example
 * const [r1] = runParallel([{ kind: 'bin-columns', ... }], () => binColumns(...));
 */
export function runParallel<R, T extends Task = Task>(
  tasks: (T | undefined)[],
  own: () => void,
  transfer?: (t: T) => ArrayBuffer[],
): R[] {
  ensureWorkers(tasks.length);
  const sent: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (!t) continue;
    const s = slots[i]!;
    s.port.postMessage(t, transfer ? transfer(t) : []);
    s.seq++;
    Atomics.store(ctrl, i * STRIDE + SEQ, s.seq);
    Atomics.notify(ctrl, i * STRIDE + SEQ);
    sent.push(i);
  }
  let ownError: unknown = null;
  try {
    own();
  } catch (e) {
    ownError = e;
  }
  const out: R[] = new Array<R>(tasks.length);
  let workerError: Error | null = null;
  for (const i of sent) {
    const s = slots[i]!;
    const at = i * STRIDE + DONE;
    const t0 = Date.now();
    for (let k = 0; k < SPIN && Atomics.load(ctrl, at) !== s.seq; k++);
    for (let done = Atomics.load(ctrl, at); done !== s.seq; done = Atomics.load(ctrl, at)) {
      if (Atomics.load(ctrl, i * STRIDE + FAILED) === 1) throw new Error(`uplift worker ${i} failed to start`);
      // Sleeps only while the word still holds the value just seen: an answer stored after that read wakes at
      // once (waiting on a fresh read could miss the worker's notify and sleep the whole timeout).
      Atomics.wait(ctrl, at, done, 1000);
      if (Date.now() - t0 > TASK_TIMEOUT_MS) throw new Error(`uplift worker ${i} did not answer`);
    }
    const m = receiveMessageOnPort(s.port)?.message as { ok: boolean; result?: R; error?: string } | undefined;
    if (!m) workerError ??= new Error(`uplift worker ${i} answered without a message`);
    else if (!m.ok) workerError ??= new Error(`uplift worker ${i}: ${m.error}`);
    else out[i] = m.result as R;
  }
  if (ownError) throw ownError;
  if (workerError) throw workerError;
  return out;
}

/** Allocates a Float64Array that workers can read and write. */
export function sharedF64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n)), 0, n);
}

export function sharedI32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)), 0, n);
}

export function sharedU8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n);
}

/** The array itself when it is backed by shared memory, else a shared copy. */
export function asShared<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const C = a.constructor as new (buf: SharedArrayBuffer, off: number, n: number) => T;
  const c = new C(new SharedArrayBuffer(Math.max(1, a.byteLength)), 0, a.length);
  c.set(a as never);
  return c;
}
