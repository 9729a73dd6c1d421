/** Uplift evaluation metrics: sklift 0.5.1 definitions, causalml-style scores and calibration. */
export { skliftOrder } from './order.ts';
export {
  upliftCurve,
  qiniCurve,
  perfectUpliftCurve,
  perfectQiniCurve,
  auc,
  pairwiseSum,
  type Curve,
} from './curves.ts';
export { upliftAucScore, qiniAucScore } from './scores.ts';
export { upliftAtK, type AtKStrategy } from './at-k.ts';
export {
  responseRateByPercentile,
  upliftByPercentile,
  weightedAverageUplift,
  type ResponseRates,
  type PercentileTable,
} from './percentile.ts';
export { causalmlAuuc, causalmlQini } from './causalml.ts';
export { upliftCalibration, type CalibrationTable } from './calibration.ts';
