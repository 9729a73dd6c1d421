/**
 * Fitting an uplift model by learner name, with an honest holdout: the model is fitted on one part of the data and
 * judged on the rest with scikit-uplift's metrics, so the registry's holdout metrics say how it ranks unseen homes.
 */
import {
  fitSLearner,
  fitTLearner,
  fitUpliftForest,
  fitXLearner,
  qiniAucScore,
  selectRows,
  trainTestSplit,
  upliftAtK,
  upliftAucScore,
  type Dataset,
  type UpliftModel,
} from '@stormops/uplift';
import { AppError } from '../../errors.ts';
import { qiniPoints, type QiniPoints } from './qini-points.ts';

import { LEARNERS } from './model-names.ts';

export { LEARNERS };
export type LearnerName = (typeof LEARNERS)[number];

export interface TrainingData {
  dataset: Dataset;
  /** 1 converted, 0 not. */
  outcome: Float64Array;
  /** 1 treat (knocked), 0 hold. */
  treatment: Float64Array;
}

export interface HoldoutMetrics {
  n_train: number;
  n_holdout: number;
  qini_auc_score: number;
  uplift_auc_score: number;
  uplift_at_30: number;
  treat_rate_train: number;
  /** The hold-out Qini curve, at most 51 points (qini-points.ts); absent on models trained before it was kept. */
  qini_curve?: QiniPoints;
}

export interface ScoreReference {
  n: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  /** Deciles of predicted uplift on the training rows (10%..90%): PSI bins for drift checks. */
  deciles: number[];
  /** Percentiles 1..99: the reference distribution for KS and Wasserstein drift tests. */
  percentiles: number[];
}

export function fitLearner(
  name: LearnerName,
  data: Omit<TrainingData, 'dataset'> & { dataset: Dataset },
  seed: number,
  params: Record<string, unknown>,
): UpliftModel {
  const { dataset, outcome, treatment } = data;
  switch (name) {
    case 't-learner':
      return fitTLearner(dataset, outcome, treatment, { learner: { type: 'gbdt', params: { seed, ...params } } });
    case 'x-learner':
      return fitXLearner(dataset, outcome, treatment, {
        learner: { type: 'gbdt', params: { seed, ...params } },
        propensity: { type: 'known' },
      });
    case 's-learner':
      return fitSLearner(dataset, outcome, treatment, { learner: { type: 'gbdt', params: { seed, ...params } } });
    case 'uplift-forest':
      return fitUpliftForest(dataset, outcome, treatment, { seed, ...params });
  }
}

function pick(arr: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = arr[idx[i] as number] as number;
  return out;
}

function checkArms(treatment: Float64Array, outcome: Float64Array): void {
  let treated = 0;
  for (let i = 0; i < treatment.length; i++) {
    if (treatment[i] === 1) treated++;
    const y = outcome[i];
    if (y !== 0 && y !== 1)
      throw new AppError('VALIDATION', `outcome of training row ${i + 1} is ${y}: outcomes must be 0 or 1`);
  }
  const held = treatment.length - treated;
  if (treated < 20 || held < 20) {
    throw new AppError(
      'VALIDATION',
      `training needs at least 20 treated and 20 held-out homes with outcomes; got ${treated} treated, ${held} held out`,
    );
  }
}

/** Fits on (1 - holdoutShare) of the rows, measures on the rest; returns the model, its metrics and score reference. */
export function trainWithHoldout(
  name: LearnerName,
  data: TrainingData,
  opts: { seed: number; holdoutShare: number; params: Record<string, unknown> },
): { model: UpliftModel; metrics: HoldoutMetrics; reference: ScoreReference } {
  checkArms(data.treatment, data.outcome);
  const { train, test } = trainTestSplit(data.dataset.nRows, opts.holdoutShare, opts.seed);
  const trainData = {
    dataset: selectRows(data.dataset, train),
    outcome: pick(data.outcome, train),
    treatment: pick(data.treatment, train),
  };
  const model = fitLearner(name, trainData, opts.seed, opts.params);
  const yTest = pick(data.outcome, test);
  const tTest = pick(data.treatment, test);
  const predicted = model.predictUplift(selectRows(data.dataset, test));
  const metrics: HoldoutMetrics = {
    n_train: train.length,
    n_holdout: test.length,
    qini_auc_score: qiniAucScore(yTest, predicted, tTest),
    uplift_auc_score: upliftAucScore(yTest, predicted, tTest),
    uplift_at_30: upliftAtK(yTest, predicted, tTest, 'overall', 0.3),
    treat_rate_train: trainData.treatment.reduce((a, b) => a + b, 0) / train.length,
    qini_curve: qiniPoints(yTest, predicted, tTest),
  };
  return { model, metrics, reference: scoreReference(model.predictUplift(data.dataset)) };
}

export function scoreReference(scores: Float64Array): ScoreReference {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (sorted[i] as number) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((sorted[i] as number) - mean) ** 2;
  const q = (p: number) => sorted[Math.min(n - 1, Math.floor(p * n))] as number;
  return {
    n,
    mean,
    stddev: Math.sqrt(ss / Math.max(n - 1, 1)),
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    deciles: Array.from({ length: 9 }, (_, k) => q((k + 1) / 10)),
    percentiles: Array.from({ length: 99 }, (_, k) => q((k + 1) / 100)),
  };
}
