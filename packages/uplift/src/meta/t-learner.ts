/** T-learner: separate outcome models per arm; uplift = mu1(x) - mu0(x). */
import type { Dataset } from '../data/dataset.ts';
import { envelope, type FeatureInput, type ModelEnvelope, type UpliftModel } from '../model.ts';
import type { NumArray } from '../validate.ts';
import {
  armRows,
  baseFromJSON,
  fitBasePair,
  prepareData,
  type BaseLearnerSpec,
  type BaseModel,
  type BaseModelJSON,
  type OutcomeType,
} from './base-learner.ts';
import { checkFitInputs } from './check.ts';

/** Options of the T-learner. */
export interface TLearnerOptions {
  learner?: BaseLearnerSpec;
  outcome?: OutcomeType;
}

export interface TLearnerJSON extends ModelEnvelope {
  kind: 't-learner';
  outcome: OutcomeType;
  mu0: BaseModelJSON;
  mu1: BaseModelJSON;
}

/** A fitted T-learner. */
export class TLearner implements UpliftModel {
  readonly kind = 't-learner';
  constructor(
    readonly outcome: OutcomeType,
    readonly mu0: BaseModel,
    readonly mu1: BaseModel,
  ) {}

  predictUplift(X: FeatureInput): Float64Array {
    const a = this.mu1.predict(X);
    const b = this.mu0.predict(X);
    for (let i = 0; i < a.length; i++) a[i] = a[i]! - b[i]!;
    return a;
  }

  toJSON(): TLearnerJSON {
    return {
      ...envelope('t-learner'),
      kind: 't-learner',
      outcome: this.outcome,
      mu0: this.mu0.toJSON(),
      mu1: this.mu1.toJSON(),
    };
  }

  static fromJSON(j: TLearnerJSON): TLearner {
    return new TLearner(j.outcome, baseFromJSON(j.mu0), baseFromJSON(j.mu1));
  }
}

/**
 * Fits a T-learner.
 *
 * @example
 * const model = fitTLearner(ds, y, treatment, { learner: { type: 'gbdt', params: { nEstimators: 200 } } });
 */
export function fitTLearner(ds: Dataset, y: NumArray, treatment: NumArray, opts: TLearnerOptions = {}): TLearner {
  const outcome = opts.outcome ?? 'binary';
  checkFitInputs(ds, y, treatment, outcome);
  const spec = opts.learner ?? { type: 'gbdt' };
  const data = prepareData(ds, spec.type === 'gbdt' ? spec.params?.maxBins : undefined);
  const { treated, control } = armRows(treatment);
  const [mu0, mu1] = fitBasePair(spec, data, y, control, treated, outcome);
  return new TLearner(outcome, mu0, mu1);
}
