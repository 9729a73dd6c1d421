/**
 * The uplift worker: sleeps on its control word, and on each wake-up takes one task message, runs its handler
 * (tasks.ts) and answers with the result, then marks the task done and wakes the caller.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { runTask } from './tasks.ts';

const { ctrl, index, stride, port } = workerData as {
  ctrl: Int32Array;
  index: number;
  stride: number;
  port: MessagePort;
};
const seqAt = index * stride;
const doneAt = index * stride + 1;
let seen = 0;
/** Polls before sleeping: a futex wake-up costs tens to hundreds of microseconds on a VM, and node tasks come
 * back to back (the caller partitions and searches splits in between). */
const SPIN = 2_000;
for (;;) {
  for (let k = 0; k < SPIN && Atomics.load(ctrl, seqAt) === seen; k++);
  if (Atomics.load(ctrl, seqAt) === seen) Atomics.wait(ctrl, seqAt, seen, 10_000);
  const s = Atomics.load(ctrl, seqAt);
  if (s === seen) continue;
  seen = s;
  const m = receiveMessageOnPort(port);
  try {
    const result = runTask(m?.message as never);
    port.postMessage({ ok: true, result });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
  Atomics.store(ctrl, doneAt, s);
  Atomics.notify(ctrl, doneAt);
}
