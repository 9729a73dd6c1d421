/** Task handlers a worker runs, by kind (the calling thread runs the same functions on its own share). */
import { binTask, type BinTask } from '../data/binning.ts';
import { forestTreesTask, type ForestTreesTask } from '../forest/uplift-forest.ts';
import { gbdtFitTask, type GbdtFitTask } from '../learners/gbdt.ts';
import {
  rowsReleaseTask,
  rowsSetupTask,
  rowsTask,
  type RowsReleaseTask,
  type RowsSetupTask,
  type RowsTask,
} from '../learners/gbdt-rows.ts';
import { predictTask, type PredictTask } from '../trees/flat-tree.ts';
import {
  histReleaseTask,
  histSetupTask,
  nodeTask,
  type HistReleaseTask,
  type HistSetupTask,
  type NodeTask,
} from '../trees/gbdt-histogram.ts';

export type AnyTask =
  | BinTask
  | HistSetupTask
  | HistReleaseTask
  | NodeTask
  | RowsSetupTask
  | RowsReleaseTask
  | RowsTask
  | GbdtFitTask
  | ForestTreesTask
  | PredictTask;

export function runTask(t: AnyTask): unknown {
  switch (t.kind) {
    case 'bin':
      return binTask(t);
    case 'gbdt-setup':
      return histSetupTask(t);
    case 'gbdt-release':
      return histReleaseTask(t);
    case 'gbdt-rows-release':
      return rowsReleaseTask(t);
    case 'gbdt-node':
      return nodeTask(t);
    case 'gbdt-rows-setup':
      return rowsSetupTask(t);
    case 'gbdt-rows':
      return rowsTask(t);
    case 'gbdt-fit':
      return gbdtFitTask(t);
    case 'forest-trees':
      return forestTreesTask(t);
    case 'predict':
      return predictTask(t);
  }
  throw new Error(`unknown uplift task ${String((t as { kind: unknown }).kind)}`);
}
