/**
 * Uplift random forest: bagged uplift trees (divergence splits, per-node feature sampling); the forest's
 * uplift is the mean of the trees' leaf values pT - pC. Binary outcomes only.
 */
import { binDataset, type BinnedDataset } from '../data/binning.ts';
import { asColumns, schemaOf, type Dataset, type FeatureSchema } from '../data/dataset.ts';
import { envelope, type FeatureInput, type ModelEnvelope, type UpliftModel } from '../model.ts';
import { runParallel, sharedU8 } from '../parallel/pool.ts';
import { upliftThreads } from '../parallel/threads.ts';
import { createRng, type Rng } from '../random.ts';
import { addForestPrediction, fromJSONTree, treeToJSON, type FlatTree, type TreeJSON } from '../trees/flat-tree.ts';
import { assertBinary, assertSameLength, assertTwoArms, type NumArray } from '../validate.ts';
import { assertCriterion } from './criteria.ts';
import { growUpliftTree, type UpliftTreeParams } from './uplift-tree.ts';

/** Forest parameters (defaults in `FOREST_DEFAULTS`). */
export interface UpliftForestParams extends UpliftTreeParams {
  nEstimators: number;
  /** Sample rows with replacement for each tree. */
  bootstrap: boolean;
  maxBins: number;
  seed: number;
}

export const FOREST_DEFAULTS: Readonly<UpliftForestParams> = Object.freeze({
  criterion: 'KL',
  nEstimators: 10,
  maxDepth: 5,
  minSamplesLeaf: 100,
  minSamplesTreatment: 10,
  maxFeatures: 10,
  minGain: 0,
  bootstrap: true,
  maxBins: 255,
  seed: 1,
});

export interface UpliftForestJSON extends ModelEnvelope {
  kind: 'uplift-forest';
  schema: FeatureSchema[];
  params: UpliftForestParams;
  trees: TreeJSON[];
}

/** A fitted uplift forest. */
export class UpliftForest implements UpliftModel {
  readonly kind = 'uplift-forest';
  constructor(
    readonly trees: FlatTree[],
    readonly schema: FeatureSchema[],
    readonly params: UpliftForestParams,
  ) {}

  predictUplift(X: FeatureInput): Float64Array {
    const { cols, n } = asColumns(X, this.schema);
    const out = new Float64Array(n);
    addForestPrediction(this.trees, cols, n, out, 1 / this.trees.length);
    return out;
  }

  toJSON(): UpliftForestJSON {
    return {
      ...envelope('uplift-forest'),
      kind: 'uplift-forest',
      schema: this.schema,
      params: this.params,
      trees: this.trees.map(treeToJSON),
    };
  }

  static fromJSON(j: UpliftForestJSON): UpliftForest {
    return new UpliftForest(j.trees.map(fromJSONTree), j.schema, j.params);
  }
}

/**
 * Fits an uplift forest on raw features (bins them first).
 *
 * @example
 * const forest = fitUpliftForest(ds, y, treatment, { criterion: 'KL', nEstimators: 10, maxDepth: 5 });
 * const tau = forest.predictUplift(ds);
 */
export function fitUpliftForest(
  ds: Dataset,
  y: NumArray,
  treatment: NumArray,
  params: Partial<UpliftForestParams> = {},
): UpliftForest {
  const p = { ...FOREST_DEFAULTS, ...params };
  return fitUpliftForestBinned(binDataset(ds, p.maxBins), schemaOf(ds), y, treatment, p);
}

/**
 * Fits an uplift forest on pre-binned features (what the benchmark times).
 *
 * @example
 * const binned = applyBins(ds, fitBins(ds));
 * const forest = fitUpliftForestBinned(binned, schemaOf(ds), y, treatment, {});
 */
export function fitUpliftForestBinned(
  binned: BinnedDataset,
  schema: FeatureSchema[],
  y: NumArray,
  treatment: NumArray,
  params: Partial<UpliftForestParams>,
): UpliftForest {
  const p = { ...FOREST_DEFAULTS, ...params };
  checkParams(p);
  assertSameLength({ y, treatment });
  if (y.length !== binned.nRows) throw new RangeError(`y has length ${y.length} but X has ${binned.nRows} rows`);
  assertBinary('y', y);
  assertTwoArms('treatment', treatment);
  const n = binned.nRows;
  const code = sharedU8(n);
  for (let i = 0; i < n; i++) code[i] = (treatment[i]! << 1) | y[i]!;
  // Trees are independent (tree t draws from its own seed), so thread k grows trees k, k + T, k + 2T, ...
  // and the forest is the same whatever the thread count.
  const threads = Math.min(upliftThreads(), p.nEstimators);
  const share = (k: number): number[] => {
    const out: number[] = [];
    for (let t = k; t < p.nEstimators; t += threads) out.push(t);
    return out;
  };
  const trees: FlatTree[] = new Array<FlatTree>(p.nEstimators);
  let own: FlatTree[] = [];
  const tasks: ForestTreesTask[] = [];
  for (let k = 1; k < threads; k++) tasks.push({ kind: 'forest-trees', binned, code, params: p, trees: share(k) });
  const results = runParallel<TreeJSON[]>(tasks, () => (own = growTrees({ binned, code, params: p, trees: share(0) })));
  share(0).forEach((t, i) => (trees[t] = own[i]!));
  results.forEach((r, k) => share(k + 1).forEach((t, i) => (trees[t] = fromJSONTree(r[i]!))));
  return new UpliftForest(trees, schema, p);
}

/** Grows trees `trees` (by index) of a forest; a worker thread's share. */
export interface ForestTreesTask {
  kind: 'forest-trees';
  binned: BinnedDataset;
  code: Uint8Array;
  params: UpliftForestParams;
  trees: number[];
}

function growTrees(t: Omit<ForestTreesTask, 'kind'>): FlatTree[] {
  const rows = new Int32Array(t.binned.nRows);
  return t.trees.map((i) => {
    const rng = createRng((t.params.seed * 1_000_003 + i) | 0);
    bootstrapRows(rows, t.params.bootstrap, rng);
    return growUpliftTree({ binned: t.binned, code: t.code }, rows, t.params, rng);
  });
}

export function forestTreesTask(t: ForestTreesTask): TreeJSON[] {
  return growTrees(t).map(treeToJSON);
}

/** Fills `rows` with a bootstrap sample (drawn as counts, then listed in index order) or all rows. */
function bootstrapRows(rows: Int32Array, bootstrap: boolean, rng: Rng): void {
  const n = rows.length;
  if (!bootstrap) {
    for (let i = 0; i < n; i++) rows[i] = i;
    return;
  }
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) count[rng.int(n)]!++;
  let w = 0;
  for (let i = 0; i < n; i++) for (let c = count[i]!; c > 0; c--) rows[w++] = i;
}

function checkParams(p: UpliftForestParams): void {
  assertCriterion(p.criterion);
  for (const k of ['nEstimators', 'maxDepth', 'minSamplesLeaf', 'minSamplesTreatment'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${p[k]}`);
  }
  if (!Number.isInteger(p.maxFeatures) || p.maxFeatures < 0)
    throw new RangeError(`maxFeatures must be an integer >= 0, got ${p.maxFeatures}`);
}
