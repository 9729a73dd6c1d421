/**
 * @stormops/stats: pure statistics for proving incremental lift. No I/O, no dependencies.
 * See ../CONTEXT.md for a map of the files.
 */
export * from './constants.ts';
export { logGamma, incompleteGamma, type Tails } from './special/gamma.ts';
export { logBeta, incompleteBeta } from './special/beta.ts';
export { normalPdf, normalCdf, normalSf, normalQuantile, normalQuantileUpper } from './distributions/normal.ts';
export { studentTLogPdf, studentTCdf, studentTSf, studentTQuantile } from './distributions/student-t.ts';
export {
  chiSquareLogPdf,
  chiSquareCdf,
  chiSquareSf,
  chiSquareQuantile,
  chiSquareQuantileUpper,
} from './distributions/chi-square.ts';
export { mulberry32, randomInt, randomNormal, randomBinomial, type Random } from './random.ts';
export {
  wilsonInterval,
  newcombeInterval,
  twoProportionZTest,
  type Interval,
  type ZTestResult,
} from './proportions.ts';
export { fisherExactTest, logChoose, type FisherResult } from './fisher.ts';
export { RunningMoments, summarizeSums, welchTTest, type MeanSummary, type WelchResult } from './welch.ts';
export {
  absoluteLift,
  relativeLiftDelta,
  relativeLiftFieller,
  proportionVarianceOfMean,
  type ArmEstimate,
} from './lift.ts';
export { srmTest, srmTestK, type SrmResult, type SrmKResult, type SrmOptions } from './srm.ts';
export {
  normalMixtureHalfWidth,
  alwaysValidPValue,
  confidenceSequence,
  proportionsConfidenceSequence,
  meansConfidenceSequence,
  mixingVarianceForHorizon,
  type SequentialOptions,
  type SequentialResult,
} from './sequential.ts';
export {
  powerTwoProportions,
  requiredSampleSize,
  minimumDetectableEffect,
  type PowerInput,
  type SampleSizeInput,
  type SampleSize,
  type MdeInput,
} from './power.ts';
export {
  bootstrapRatioInterval,
  bootstrapTwoSampleInterval,
  sortedQuantile,
  type BootstrapOptions,
  type BootstrapInterval,
} from './bootstrap.ts';
export { holmAdjust, benjaminiHochbergAdjust } from './multiple-testing.ts';
export { analyzeTwoArms, type ArmCounts, type AnalyzeOptions, type ArmReport, type TwoArmAnalysis } from './analyze.ts';
