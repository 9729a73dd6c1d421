/* global URL */
// Worker entry when running from the TypeScript sources (tsx, vitest): register tsx, then load the worker.
// A worker that cannot load marks itself failed in the control block, so the caller stops waiting for it.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

try {
  register();
  await import(new URL('./worker.ts', import.meta.url).href);
} catch (e) {
  const { ctrl, index, stride } = workerData;
  Atomics.store(ctrl, index * stride + 2, 1);
  Atomics.add(ctrl, index * stride + 1, 1);
  Atomics.notify(ctrl, index * stride + 1);
  throw e;
}
