/** Calibration of predicted uplift: mean prediction vs observed uplift (rate_T - rate_C) per predicted decile. */
import { assertBinary, assertPositiveInt, assertSameLength, type NumArray } from '../validate.ts';
import { skliftOrder } from './order.ts';

/** Per bin (highest predicted uplift first): sizes, mean prediction, observed uplift. */
export interface CalibrationTable {
  nTreatment: Float64Array;
  nControl: Float64Array;
  predicted: Float64Array;
  observed: Float64Array;
  /** Size-weighted mean |predicted - observed| over bins where both arms are present. */
  meanAbsError: number;
}

/**
 * Splits rows into `bins` equal groups by predicted uplift (sklift order, `np.array_split` sizes) and
 * compares the mean prediction with the observed difference in response rates. `yTrue` may be continuous.
 *
 * @example
 * const cal = upliftCalibration(yTrue, predicted, treatment); // deciles
 */
export function upliftCalibration(yTrue: NumArray, uplift: NumArray, treatment: NumArray, bins = 10): CalibrationTable {
  const n = assertSameLength({ yTrue, uplift, treatment });
  assertBinary('treatment', treatment);
  assertPositiveInt('bins', bins);
  if (bins > n) throw new RangeError(`bins=${bins} exceeds the number of rows ${n}`);
  const order = skliftOrder(uplift);
  const out: CalibrationTable = {
    nTreatment: new Float64Array(bins),
    nControl: new Float64Array(bins),
    predicted: new Float64Array(bins),
    observed: new Float64Array(bins),
    meanAbsError: 0,
  };
  const base = Math.floor(n / bins);
  const extra = n % bins;
  let start = 0;
  let errSum = 0;
  let errN = 0;
  for (let b = 0; b < bins; b++) {
    const end = start + base + (b < extra ? 1 : 0);
    let nT = 0;
    let sT = 0;
    let sC = 0;
    let sp = 0;
    for (let i = start; i < end; i++) {
      const r = order[i]!;
      sp += uplift[r]!;
      if (treatment[r] === 1) {
        nT++;
        sT += yTrue[r]!;
      } else sC += yTrue[r]!;
    }
    const nC = end - start - nT;
    out.nTreatment[b] = nT;
    out.nControl[b] = nC;
    out.predicted[b] = sp / (end - start);
    out.observed[b] = sT / nT - sC / nC;
    if (nT > 0 && nC > 0) {
      errSum += (end - start) * Math.abs(out.predicted[b]! - out.observed[b]!);
      errN += end - start;
    }
    start = end;
  }
  out.meanAbsError = errSum / errN;
  return out;
}
