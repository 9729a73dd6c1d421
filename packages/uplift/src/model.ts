/** The common face of every uplift model, and the versioned JSON envelope they serialize to. */
import type { Dataset } from './data/dataset.ts';

/** Format tag and version written into every serialized model. */
export const MODEL_FORMAT = 'stormops-uplift-model';
export const MODEL_VERSION = 1;

/** Kinds of uplift model that `loadModel` understands. */
export type UpliftModelKind = 's-learner' | 't-learner' | 'x-learner' | 'uplift-forest';

/** Envelope shared by all serialized models; each kind adds its own fields. */
export interface ModelEnvelope {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  kind: UpliftModelKind;
}

/** Features for prediction: a dataset, or one array per feature in training order (categorical as codes). */
export type FeatureInput = Dataset | ArrayLike<number>[];

/**
 * A trained uplift model.
 *
 * @example
 * const tau = model.predictUplift(ds); // estimated P(y|treated) - P(y|control) per row
 * const copy = loadModel(JSON.parse(JSON.stringify(model.toJSON())));
 */
export interface UpliftModel {
  readonly kind: UpliftModelKind;
  predictUplift(X: FeatureInput): Float64Array;
  toJSON(): ModelEnvelope;
}

/** Writes the envelope fields. */
export function envelope(kind: UpliftModelKind): ModelEnvelope {
  return { format: MODEL_FORMAT, version: MODEL_VERSION, kind };
}
