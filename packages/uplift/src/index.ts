/** @stormops/uplift: uplift modelling over typed arrays (metrics, datasets, learners, forests, serialization). */
export * from './metrics/index.ts';
export { createRng, shuffle, sampleWithoutReplacement, trainTestSplit, type Rng } from './random.ts';
export type { NumArray } from './validate.ts';
export {
  createDataset,
  numericFeature,
  categoricalFeature,
  schemaOf,
  selectRows,
  take,
  columnsOf,
  oneHotColumns,
  type Dataset,
  type Feature,
  type FeatureSchema,
} from './data/dataset.ts';
export {
  fitBins,
  applyBins,
  binDataset,
  binOf,
  MAX_BINS,
  BIN_SAMPLE,
  type FeatureBins,
  type BinnedDataset,
} from './data/binning.ts';
export { sortFloat64 } from './data/sort-float64.ts';
export {
  fitGbdt,
  fitGbdtBinned,
  GbdtModel,
  GBDT_DEFAULTS,
  type GbdtParams,
  type GbdtLoss,
  type GbdtJSON,
} from './learners/gbdt.ts';
export {
  fitLogistic,
  LogisticModel,
  LOGISTIC_DEFAULTS,
  type LogisticParams,
  type LogisticJSON,
} from './learners/logistic.ts';
export type { BaseLearnerSpec, OutcomeType } from './meta/base-learner.ts';
export { fitSLearner, SLearner, type SLearnerOptions, type SLearnerJSON } from './meta/s-learner.ts';
export { fitTLearner, TLearner, type TLearnerOptions, type TLearnerJSON } from './meta/t-learner.ts';
export {
  fitXLearner,
  XLearner,
  type XLearnerOptions,
  type XLearnerJSON,
  type PropensitySpec,
} from './meta/x-learner.ts';
export { divergence, type UpliftCriterion } from './forest/criteria.ts';
export {
  fitUpliftForest,
  fitUpliftForestBinned,
  UpliftForest,
  FOREST_DEFAULTS,
  type UpliftForestParams,
  type UpliftForestJSON,
} from './forest/uplift-forest.ts';
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  type UpliftModel,
  type UpliftModelKind,
  type FeatureInput,
  type ModelEnvelope,
} from './model.ts';
export { loadModel, type UpliftModelJSON } from './serialize.ts';
export { setUpliftThreads, upliftThreads, parseThreads, MAX_THREADS } from './parallel/threads.ts';
export { makeSyntheticUplift, type SyntheticUplift } from './synthetic.ts';
