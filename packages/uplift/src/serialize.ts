/**
 * Loading serialized uplift models. Every model's `toJSON()` writes
 * `{ format: 'stormops-uplift-model', version: 1, kind, ... }` with all floats as plain JSON numbers
 * (JSON round-trips doubles exactly), so a loaded model predicts bit-identically.
 */
import { UpliftForest, type UpliftForestJSON } from './forest/uplift-forest.ts';
import { SLearner, type SLearnerJSON } from './meta/s-learner.ts';
import { TLearner, type TLearnerJSON } from './meta/t-learner.ts';
import { XLearner, type XLearnerJSON } from './meta/x-learner.ts';
import { MODEL_FORMAT, MODEL_VERSION, type UpliftModel } from './model.ts';

/** Any serialized uplift model. */
export type UpliftModelJSON = SLearnerJSON | TLearnerJSON | XLearnerJSON | UpliftForestJSON;

/**
 * Rebuilds a model from `model.toJSON()` output (or its parsed JSON text), dispatching on `kind`.
 *
 * @example
 * const text = JSON.stringify(model.toJSON());
 * const again = loadModel(JSON.parse(text));
 * again.predictUplift(ds); // identical to model.predictUplift(ds)
 */
export function loadModel(json: unknown): UpliftModel {
  if (typeof json === 'string') return loadModel(JSON.parse(json) as unknown);
  if (json === null || typeof json !== 'object') throw new TypeError('json must be a serialized uplift model object');
  const j = json as Partial<UpliftModelJSON>;
  if (j.format !== MODEL_FORMAT) throw new TypeError(`json.format must be '${MODEL_FORMAT}', got ${String(j.format)}`);
  if (j.version !== MODEL_VERSION)
    throw new RangeError(`json.version ${String(j.version)} is not supported (expected ${MODEL_VERSION})`);
  const kind = j.kind;
  switch (kind) {
    case 's-learner':
      return SLearner.fromJSON(j as SLearnerJSON);
    case 't-learner':
      return TLearner.fromJSON(j as TLearnerJSON);
    case 'x-learner':
      return XLearner.fromJSON(j as XLearnerJSON);
    case 'uplift-forest':
      return UpliftForest.fromJSON(j as UpliftForestJSON);
    case undefined:
      throw new TypeError('json.kind is missing');
    default:
      throw new TypeError(`json.kind '${String(kind satisfies never)}' is not a known model kind`);
  }
}
