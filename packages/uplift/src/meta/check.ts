/** Input checks shared by the meta-learners. */
import type { Dataset } from '../data/dataset.ts';
import { assertBinary, assertTwoArms, type NumArray } from '../validate.ts';
import type { OutcomeType } from './base-learner.ts';

export function checkFitInputs(ds: Dataset, y: NumArray, treatment: NumArray, outcome: OutcomeType): void {
  if (y.length !== ds.nRows) throw new RangeError(`y has length ${y.length} but X has ${ds.nRows} rows`);
  if (treatment.length !== ds.nRows)
    throw new RangeError(`treatment has length ${treatment.length} but X has ${ds.nRows} rows`);
  assertTwoArms('treatment', treatment);
  if (outcome === 'binary') assertBinary('y', y);
  else if (outcome !== 'continuous')
    throw new TypeError(`outcome must be 'binary' or 'continuous', got ${String(outcome)}`);
}
