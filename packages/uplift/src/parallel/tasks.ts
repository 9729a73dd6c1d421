/** Task handlers a worker runs, by kind (the calling thread runs the same functions on its own share). */
import { binTask, type BinTask } from '../data/binning.ts';

export type AnyTask = BinTask;

export function runTask(t: AnyTask): unknown {
  switch (t.kind) {
    case 'bin':
      return binTask(t);
  }
  throw new Error(`unknown uplift task ${String((t as { kind: unknown }).kind)}`);
}
