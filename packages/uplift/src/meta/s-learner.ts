/** S-learner: one outcome model with the treatment flag as a feature; uplift = mu(x, 1) - mu(x, 0). */
import { createDataset, numericFeature, type Dataset } from '../data/dataset.ts';
import { asColumns } from '../data/dataset.ts';
import { envelope, type FeatureInput, type ModelEnvelope, type UpliftModel } from '../model.ts';
import type { NumArray } from '../validate.ts';
import {
  baseFromJSON,
  fitBase,
  prepareData,
  type BaseLearnerSpec,
  type BaseModel,
  type BaseModelJSON,
  type OutcomeType,
} from './base-learner.ts';
import { checkFitInputs } from './check.ts';

export interface SLearnerOptions {
  learner?: BaseLearnerSpec;
  outcome?: OutcomeType;
}

export interface SLearnerJSON extends ModelEnvelope {
  kind: 's-learner';
  outcome: OutcomeType;
  mu: BaseModelJSON;
}

/** A fitted S-learner; its base model sees the features plus a trailing treatment column. */
export class SLearner implements UpliftModel {
  readonly kind = 's-learner';
  constructor(
    readonly outcome: OutcomeType,
    readonly mu: BaseModel,
  ) {}

  predictUplift(X: FeatureInput): Float64Array {
    const { cols, n } = asColumns(X, this.mu.schema.length - 1);
    const a = this.mu.predict([...cols, new Float64Array(n).fill(1)]);
    const b = this.mu.predict([...cols, new Float64Array(n)]);
    for (let i = 0; i < n; i++) a[i] = a[i]! - b[i]!;
    return a;
  }

  toJSON(): SLearnerJSON {
    return { ...envelope('s-learner'), kind: 's-learner', outcome: this.outcome, mu: this.mu.toJSON() };
  }

  static fromJSON(j: SLearnerJSON): SLearner {
    return new SLearner(j.outcome, baseFromJSON(j.mu));
  }
}

/**
 * Fits an S-learner.
 *
 * @example
 * const model = fitSLearner(ds, y, treatment);
 */
export function fitSLearner(ds: Dataset, y: NumArray, treatment: NumArray, opts: SLearnerOptions = {}): SLearner {
  const outcome = opts.outcome ?? 'binary';
  checkFitInputs(ds, y, treatment, outcome);
  const spec = opts.learner ?? { type: 'gbdt' };
  const withT = createDataset([...ds.features, numericFeature('__treatment', treatment)]);
  const data = prepareData(withT, spec.type === 'gbdt' ? spec.params?.maxBins : undefined);
  const all = Int32Array.from({ length: ds.nRows }, (_, i) => i);
  return new SLearner(outcome, fitBase(spec, data, y, all, outcome));
}
