/**
 * Base learners used inside the meta-learners: boosted trees or logistic regression, chosen by a spec.
 * The dataset is binned once per meta-learner (`prepareData`) and shared by its base models.
 */
import { binDataset, type BinnedDataset } from '../data/binning.ts';
import { schemaOf, type Dataset, type FeatureSchema } from '../data/dataset.ts';
import {
  fitGbdtBinned,
  fitGbdtPair,
  GbdtModel,
  GBDT_DEFAULTS,
  type GbdtJSON,
  type GbdtParams,
} from '../learners/gbdt.ts';
import { fitLogistic, LogisticModel, type LogisticJSON, type LogisticParams } from '../learners/logistic.ts';
import type { NumArray } from '../validate.ts';

/** Which model to fit for a nuisance function. */
export type BaseLearnerSpec =
  { type: 'gbdt'; params?: Partial<GbdtParams> } | { type: 'logistic'; params?: Partial<LogisticParams> };

/** Outcome type: binary 0/1 conversion or a continuous value (e.g. job dollars). */
export type OutcomeType = 'binary' | 'continuous';

/** A fitted base model. */
export type BaseModel = GbdtModel | LogisticModel;
export type BaseModelJSON = GbdtJSON | LogisticJSON;

/** Dataset plus its binned form, shared by the base learners of one meta-learner. */
export interface PreparedData {
  ds: Dataset;
  binned: BinnedDataset;
  schema: FeatureSchema[];
}

/** Bins `ds` once (max bins taken from the gbdt spec, default 255). */
export function prepareData(ds: Dataset, maxBins = GBDT_DEFAULTS.maxBins): PreparedData {
  return { ds, binned: binDataset(ds, maxBins), schema: schemaOf(ds) };
}

/**
 * Fits the base model of `spec` on `rows` of the prepared data, for a binary or continuous target.
 *
 * @example
 * const mu1 = fitBase({ type: 'gbdt' }, data, y, treatedRows, 'binary');
 */
export function fitBase(
  spec: BaseLearnerSpec,
  data: PreparedData,
  y: NumArray,
  rows: Int32Array,
  outcome: OutcomeType,
): BaseModel {
  if (spec.type === 'gbdt') {
    const loss = outcome === 'binary' ? 'logloss' : 'squared';
    return fitGbdtBinned(data.binned, data.schema, y, { ...spec.params, loss }, rows);
  }
  if (spec.type === 'logistic') {
    if (outcome !== 'binary')
      throw new TypeError('a logistic base learner needs a binary outcome; use gbdt for continuous targets');
    return fitLogistic(data.ds, y, spec.params, rows);
  }
  throw new TypeError(`unknown base learner type ${String((spec as { type: unknown }).type)}`);
}

/**
 * Fits the base models of `spec` on rowsA and on rowsB (boosted trees side by side on two threads when allowed).
 *
 * @example
 * const [mu0, mu1] = fitBasePair({ type: 'gbdt' }, data, y, control, treated, 'binary');
 */
export function fitBasePair(
  spec: BaseLearnerSpec,
  data: PreparedData,
  y: NumArray,
  rowsA: Int32Array,
  rowsB: Int32Array,
  outcome: OutcomeType,
): [BaseModel, BaseModel] {
  if (spec.type !== 'gbdt') return [fitBase(spec, data, y, rowsA, outcome), fitBase(spec, data, y, rowsB, outcome)];
  const loss = outcome === 'binary' ? 'logloss' : 'squared';
  return fitGbdtPair(data.binned, data.schema, y, { ...spec.params, loss }, rowsA, rowsB);
}

export function baseFromJSON(j: BaseModelJSON): BaseModel {
  if (j.kind === 'gbdt') return GbdtModel.fromJSON(j);
  if (j.kind === 'logistic') return LogisticModel.fromJSON(j);
  throw new TypeError(`unknown base model kind ${String((j as { kind: unknown }).kind)}`);
}

/** Row indices of each arm. */
export function armRows(treatment: NumArray): { treated: Int32Array; control: Int32Array } {
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < treatment.length; i++) (treatment[i] === 1 ? t : c).push(i);
  return { treated: Int32Array.from(t), control: Int32Array.from(c) };
}
