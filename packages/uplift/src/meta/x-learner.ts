/**
 * X-learner (Kunzel et al. 2019): outcome models per arm, imputed effects D1 = y - mu0(x) on treated and
 * D0 = mu1(x) - y on control, effect models tau1, tau0 (squared-error boosting), combined as
 * tau(x) = e(x) * tau0(x) + (1 - e(x)) * tau1(x) with propensity e known from randomization or estimated.
 */
import { selectRows, type Dataset } from '../data/dataset.ts';
import { LogisticModel, fitLogistic, type LogisticJSON, type LogisticParams } from '../learners/logistic.ts';
import { GbdtModel, type GbdtParams } from '../learners/gbdt.ts';
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

/** Propensity: a known constant P(treated) (randomized), or estimated by logistic regression. */
export type PropensitySpec = { type: 'known'; value?: number } | { type: 'logistic'; params?: Partial<LogisticParams> };

export interface XLearnerOptions {
  /** Outcome models mu0, mu1. */
  learner?: BaseLearnerSpec;
  /** Effect models tau0, tau1 (always squared-error boosting). */
  effectParams?: Partial<GbdtParams>;
  propensity?: PropensitySpec;
  outcome?: OutcomeType;
}

export interface XLearnerJSON extends ModelEnvelope {
  kind: 'x-learner';
  outcome: OutcomeType;
  mu0: BaseModelJSON;
  mu1: BaseModelJSON;
  tau0: BaseModelJSON;
  tau1: BaseModelJSON;
  propensity: { type: 'known'; value: number } | { type: 'logistic'; model: LogisticJSON };
}

/** A fitted X-learner. */
export class XLearner implements UpliftModel {
  readonly kind = 'x-learner';
  constructor(
    readonly outcome: OutcomeType,
    readonly models: { mu0: BaseModel; mu1: BaseModel; tau0: BaseModel; tau1: BaseModel },
    readonly propensity: number | LogisticModel,
  ) {}

  predictUplift(X: FeatureInput): Float64Array {
    const t0 = this.models.tau0.predict(X);
    const t1 = this.models.tau1.predict(X);
    const e = typeof this.propensity === 'number' ? null : this.propensity.predict(X);
    for (let i = 0; i < t0.length; i++) {
      const g = e ? e[i]! : (this.propensity as number);
      t0[i] = g * t0[i]! + (1 - g) * t1[i]!;
    }
    return t0;
  }

  toJSON(): XLearnerJSON {
    const m = this.models;
    const propensity =
      typeof this.propensity === 'number'
        ? { type: 'known' as const, value: this.propensity }
        : { type: 'logistic' as const, model: this.propensity.toJSON() };
    return {
      ...envelope('x-learner'),
      kind: 'x-learner',
      outcome: this.outcome,
      mu0: m.mu0.toJSON(),
      mu1: m.mu1.toJSON(),
      tau0: m.tau0.toJSON(),
      tau1: m.tau1.toJSON(),
      propensity,
    };
  }

  static fromJSON(j: XLearnerJSON): XLearner {
    const models = {
      mu0: baseFromJSON(j.mu0),
      mu1: baseFromJSON(j.mu1),
      tau0: baseFromJSON(j.tau0),
      tau1: baseFromJSON(j.tau1),
    };
    const e = j.propensity.type === 'known' ? j.propensity.value : LogisticModel.fromJSON(j.propensity.model);
    return new XLearner(j.outcome, models, e);
  }
}

/**
 * Fits an X-learner.
 *
 * @example
 * const model = fitXLearner(ds, y, treatment, { propensity: { type: 'known', value: 0.5 } });
 */
export function fitXLearner(ds: Dataset, y: NumArray, treatment: NumArray, opts: XLearnerOptions = {}): XLearner {
  const outcome = opts.outcome ?? 'binary';
  checkFitInputs(ds, y, treatment, outcome);
  const spec = opts.learner ?? { type: 'gbdt' };
  const data = prepareData(ds, spec.type === 'gbdt' ? spec.params?.maxBins : undefined);
  const { treated, control } = armRows(treatment);
  const [mu0, mu1] = fitBasePair(spec, data, y, control, treated, outcome);
  const d = imputedEffects(ds, y, { treated, control }, mu0, mu1);
  const effect: BaseLearnerSpec = {
    type: 'gbdt',
    params: { ...(spec.type === 'gbdt' ? spec.params : {}), ...opts.effectParams },
  };
  const [tau0, tau1] = fitBasePair(effect, data, d, control, treated, 'continuous');
  return new XLearner(outcome, { mu0, mu1, tau0, tau1 }, fitPropensity(ds, treatment, treated.length, opts.propensity));
}

/** D = y - mu0(x) for treated rows, mu1(x) - y for control rows (one array indexed by row). */
function imputedEffects(
  ds: Dataset,
  y: NumArray,
  rows: { treated: Int32Array; control: Int32Array },
  mu0: BaseModel,
  mu1: BaseModel,
): Float64Array {
  const d = new Float64Array(ds.nRows);
  const p0 = predictAt(mu0, ds, rows.treated);
  rows.treated.forEach((r, k) => (d[r] = y[r]! - p0[k]!));
  const p1 = predictAt(mu1, ds, rows.control);
  rows.control.forEach((r, k) => (d[r] = p1[k]! - y[r]!));
  return d;
}

function predictAt(model: BaseModel, ds: Dataset, rows: Int32Array): Float64Array {
  return model instanceof GbdtModel ? model.predictAt(ds, rows) : model.predict(selectRows(ds, rows));
}

function fitPropensity(
  ds: Dataset,
  treatment: NumArray,
  nTreated: number,
  spec: PropensitySpec | undefined,
): number | LogisticModel {
  if (!spec || spec.type === 'known') {
    const v = spec?.value ?? nTreated / ds.nRows;
    if (!(v > 0 && v < 1)) throw new RangeError(`propensity.value must be in (0, 1), got ${v}`);
    return v;
  }
  if (spec.type === 'logistic') return fitLogistic(ds, treatment, spec.params);
  throw new TypeError(`unknown propensity type ${String((spec as { type: unknown }).type)}`);
}
