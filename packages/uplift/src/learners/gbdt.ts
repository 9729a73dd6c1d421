/**
 * Histogram gradient-boosted trees for log-loss (binary 0/1 targets) and squared error, with L2 leaf
 * regularization, best-first growth, early stopping on a seeded validation split and gain importance.
 */
import { binDataset, type BinnedDataset } from '../data/binning.ts';
import { asColumns, schemaOf, type Dataset, type FeatureSchema } from '../data/dataset.ts';
import { createRng, shuffle, type Rng } from '../random.ts';
import { addForestPrediction, fromJSONTree, treeToJSON, type FlatTree, type TreeJSON } from '../trees/flat-tree.ts';
import { runParallel } from '../parallel/pool.ts';
import { upliftThreads, withThreads } from '../parallel/threads.ts';
import { createGrowContext, growGbdtTree, type GrowParams } from '../trees/gbdt-grow.ts';
import { endFitSession } from '../parallel/fit-session.ts';
import { addToScores, createFitRows, fitGradients, fitScores } from './gbdt-rows.ts';
import type { NumArray } from '../validate.ts';

/** Loss: 'logloss' for 0/1 targets (predicts probabilities), 'squared' for continuous targets. */
export type GbdtLoss = 'logloss' | 'squared';

/** Boosting parameters; every field has a default (see `GBDT_DEFAULTS`). */
export interface GbdtParams extends GrowParams {
  loss: GbdtLoss;
  nEstimators: number;
  maxBins: number;
  /** Fraction of training rows held out for early stopping (0 disables early stopping). */
  validationFraction: number;
  /** Stop after this many rounds without validation improvement. */
  earlyStoppingRounds: number;
  /** Fraction of training rows drawn (Bernoulli, seeded) to grow each tree; 1 = all rows. */
  subsample: number;
  seed: number;
}

/** Defaults, in one place. */
export const GBDT_DEFAULTS: Readonly<GbdtParams> = Object.freeze({
  loss: 'logloss',
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  minChildWeight: 1e-3,
  l2: 1,
  minGainToSplit: 0,
  maxBins: 255,
  validationFraction: 0.1,
  earlyStoppingRounds: 10,
  subsample: 1,
  seed: 1,
});

/** JSON form of a boosted model. */
export interface GbdtJSON {
  kind: 'gbdt';
  loss: GbdtLoss;
  init: number;
  schema: FeatureSchema[];
  featureImportance: number[];
  trees: TreeJSON[];
}

/** A trained boosted ensemble. */
export class GbdtModel {
  constructor(
    readonly loss: GbdtLoss,
    readonly init: number,
    readonly trees: FlatTree[],
    readonly schema: FeatureSchema[],
    /** Total split gain per feature, normalized to sum to 1. */
    readonly featureImportance: Float64Array,
  ) {}

  /** Raw scores (log-odds for logloss). */
  predictRaw(X: Dataset | ArrayLike<number>[]): Float64Array {
    const { cols, n } = asColumns(X, this.schema);
    const out = new Float64Array(n).fill(this.init);
    addForestPrediction(this.trees, cols, n, out, 1);
    return out;
  }

  /** Like `predict`, for rows `rows` of X only (out[k] belongs to rows[k]). */
  predictAt(X: Dataset | ArrayLike<number>[], rows: Int32Array): Float64Array {
    const { cols } = asColumns(X, this.schema);
    const out = new Float64Array(rows.length).fill(this.init);
    addForestPrediction(this.trees, cols, rows.length, out, 1, rows);
    if (this.loss === 'logloss') for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]!);
    return out;
  }

  /** Probabilities for logloss, values for squared error. */
  predict(X: Dataset | ArrayLike<number>[]): Float64Array {
    const raw = this.predictRaw(X);
    if (this.loss === 'logloss') for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]!);
    return raw;
  }

  toJSON(): GbdtJSON {
    return {
      kind: 'gbdt',
      loss: this.loss,
      init: this.init,
      schema: this.schema,
      featureImportance: Array.from(this.featureImportance),
      trees: this.trees.map(treeToJSON),
    };
  }

  static fromJSON(j: GbdtJSON): GbdtModel {
    if (j.kind !== 'gbdt') throw new TypeError(`expected kind 'gbdt', got ${String(j.kind)}`);
    return new GbdtModel(j.loss, j.init, j.trees.map(fromJSONTree), j.schema, Float64Array.from(j.featureImportance));
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Fits boosted trees on a dataset (optionally only on `rows`; `y` is indexed by dataset row).
 *
 * @example
 * const model = fitGbdt(ds, y, { loss: 'logloss', nEstimators: 200 });
 * const p = model.predict(ds);
 */
export function fitGbdt(ds: Dataset, y: NumArray, params: Partial<GbdtParams> = {}, rows?: Int32Array): GbdtModel {
  const p = { ...GBDT_DEFAULTS, ...params };
  const binned = binDataset(ds, p.maxBins);
  return fitGbdtBinned(binned, schemaOf(ds), y, p, rows);
}

/** Same as `fitGbdt` on an already binned dataset (meta-learners bin once and fit several models). */
export function fitGbdtBinned(
  binned: BinnedDataset,
  schema: FeatureSchema[],
  y: NumArray,
  params: Partial<GbdtParams>,
  rows?: Int32Array,
): GbdtModel {
  const p = { ...GBDT_DEFAULTS, ...params };
  checkParams(p, y, binned.nRows);
  const all = rows ? Int32Array.from(rows) : Int32Array.from({ length: binned.nRows }, (_, i) => i);
  const { train, valid } = splitValidation(all, p);
  const init = initialScore(y, train, p.loss);
  // The fit's heap (gbdt-heap.ts) holds each round's bag and gradients where the histogram kernel reads them;
  // scores F, and for the log loss exp(-F) per row in E, are shared so the threads update them (gbdt-rows.ts).
  // E is kept up to date by one multiply per row and leaf (exp(-(F + v)) = exp(-F) * exp(-v)) instead of an exp
  // per row and round, and recomputed exactly every EXP_REFRESH rounds.
  const ctx = createGrowContext(binned, p.maxLeaves, upliftThreads());
  const fr = createFitRows(ctx, y, init, p.loss === 'logloss');
  const { F, E } = fr;
  const trees: FlatTree[] = [];
  const gains: Float64Array[] = [];
  let bestLoss = valid.length ? lossOf(y, F, valid, p.loss) : Infinity;
  let bestIter = 0;
  const rng = createRng(p.seed ^ 0x5bd1e995);
  const bag = ctx.heap.rows;
  const passengers = new Int32Array(train.length + valid.length);
  try {
    for (let it = 0; it < p.nEstimators; it++) {
      const { nBag, nOob } = drawBag(train, p.subsample, rng, bag, passengers);
      passengers.set(valid, nOob);
      const riders = passengers.subarray(0, nOob + valid.length);
      if (p.loss === 'logloss' && it % EXP_REFRESH === 0) for (let r = 0; r < E.length; r++) E[r] = Math.exp(-F[r]!);
      fitGradients(fr, nBag);
      const grown = growGbdtTree(ctx, nBag, riders, p);
      fitScores(fr, grown.leaves, nBag);
      for (const leaf of grown.leaves) addToScores(F, E, riders, leaf.pStart, leaf.pEnd, leaf.value);
      gains.push(grown.gainByFeature);
      trees.push(grown.tree);
      if (valid.length === 0) continue;
      const l = lossOf(y, F, valid, p.loss);
      if (l < bestLoss - 1e-12) {
        bestLoss = l;
        bestIter = it + 1;
      } else if (it + 1 - bestIter >= p.earlyStoppingRounds) break;
    }
  } finally {
    endFitSession(ctx.session);
    endFitSession(fr.session);
  }
  const kept = valid.length ? trees.slice(0, bestIter) : trees;
  const gain = new Float64Array(schema.length);
  for (let t = 0; t < kept.length; t++) for (let j = 0; j < gain.length; j++) gain[j] = gain[j]! + gains[t]![j]!;
  let total = 0;
  for (let j = 0; j < gain.length; j++) total += gain[j]!;
  if (total > 0) for (let j = 0; j < gain.length; j++) gain[j] = gain[j]! / total;
  return new GbdtModel(p.loss, init, kept, schema, gain);
}

/** Splits training rows into this round's bag (kept in index order) and the rest. */
function drawBag(
  train: Int32Array,
  subsample: number,
  rng: Rng,
  bag: Int32Array,
  oob: Int32Array,
): { nBag: number; nOob: number } {
  if (subsample >= 1) {
    bag.set(train);
    return { nBag: train.length, nOob: 0 };
  }
  let nBag = 0;
  let nOob = 0;
  for (let i = 0; i < train.length; i++) {
    if (rng.next() < subsample) bag[nBag++] = train[i]!;
    else oob[nOob++] = train[i]!;
  }
  return { nBag, nOob };
}

/** Rounds between exact recomputations of exp(-F) (bounds the drift of the running products). */
const EXP_REFRESH = 16;

function checkParams(p: GbdtParams, y: NumArray, n: number): void {
  if (y.length !== n) throw new RangeError(`y has length ${y.length} but X has ${n} rows`);
  if (p.loss !== 'logloss' && p.loss !== 'squared')
    throw new TypeError(`loss must be 'logloss' or 'squared', got ${String(p.loss)}`);
  if (!(p.learningRate > 0)) throw new RangeError(`learningRate must be > 0, got ${p.learningRate}`);
  if (!(p.subsample > 0 && p.subsample <= 1)) throw new RangeError(`subsample must be in (0, 1], got ${p.subsample}`);
  if (!(p.validationFraction >= 0 && p.validationFraction < 1)) {
    throw new RangeError(`validationFraction must be in [0, 1), got ${p.validationFraction}`);
  }
  for (const k of ['nEstimators', 'maxDepth', 'maxLeaves', 'minSamplesLeaf'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${p[k]}`);
  }
}

function splitValidation(all: Int32Array, p: GbdtParams): { train: Int32Array; valid: Int32Array } {
  if (p.validationFraction === 0 || p.earlyStoppingRounds <= 0) return { train: all, valid: new Int32Array(0) };
  const shuffled = shuffle(Int32Array.from(all), createRng(p.seed));
  const nValid = Math.floor(all.length * p.validationFraction);
  return { valid: shuffled.slice(0, nValid).sort(), train: shuffled.slice(nValid).sort() };
}

function initialScore(y: NumArray, rows: Int32Array, loss: GbdtLoss): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += y[rows[i]!]!;
  const mean = s / rows.length;
  if (loss === 'squared') return mean;
  const m = Math.min(1 - 1e-6, Math.max(1e-6, mean));
  return Math.log(m / (1 - m));
}

function lossOf(y: NumArray, F: Float64Array, rows: Int32Array, loss: GbdtLoss): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const f = F[r]!;
    const yy = y[r]!;
    if (loss === 'squared') s += (f - yy) * (f - yy);
    else s += Math.log1p(Math.exp(-Math.abs(f))) + Math.max(f, 0) - yy * f;
  }
  return s / rows.length;
}

/** A whole boosted fit on a worker thread (independent fits side by side: the two arms of a T-learner). */
export interface GbdtFitTask {
  kind: 'gbdt-fit';
  binned: BinnedDataset;
  schema: FeatureSchema[];
  y: NumArray;
  params: Partial<GbdtParams>;
  rows: Int32Array | undefined;
}

export function gbdtFitTask(t: GbdtFitTask): GbdtJSON {
  return fitGbdtBinned(t.binned, t.schema, t.y, t.params, t.rows).toJSON();
}

/**
 * Fits two boosted models on the same binned data (e.g. one per arm): side by side on two threads when the
 * setting allows (each single-threaded), else one after the other. The models are the same either way.
 *
 * @example
 * const [mu0, mu1] = fitGbdtPair(binned, schema, y, params, control, treated);
 */
export function fitGbdtPair(
  binned: BinnedDataset,
  schema: FeatureSchema[],
  y: NumArray,
  params: Partial<GbdtParams>,
  rowsA: Int32Array,
  rowsB: Int32Array,
): [GbdtModel, GbdtModel] {
  if (upliftThreads() < 2) {
    return [fitGbdtBinned(binned, schema, y, params, rowsA), fitGbdtBinned(binned, schema, y, params, rowsB)];
  }
  let a: GbdtModel | null = null;
  const task: GbdtFitTask = { kind: 'gbdt-fit', binned, schema, y, params, rows: rowsB };
  const [bJson] = runParallel<GbdtJSON>(
    [task],
    () => (a = withThreads(1, () => fitGbdtBinned(binned, schema, y, params, rowsA))),
  );
  return [a!, GbdtModel.fromJSON(bJson!)];
}
