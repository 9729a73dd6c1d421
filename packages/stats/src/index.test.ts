import { describe, expect, it } from 'vitest';
import * as stats from './index.ts';

describe('@stormops/stats entry point', () => {
  it('exports the public API', () => {
    for (const name of [
      'normalCdf',
      'normalSf',
      'normalQuantile',
      'studentTCdf',
      'studentTSf',
      'studentTQuantile',
      'chiSquareCdf',
      'chiSquareSf',
      'chiSquareQuantile',
      'wilsonInterval',
      'newcombeInterval',
      'twoProportionZTest',
      'fisherExactTest',
      'welchTTest',
      'summarizeSums',
      'relativeLiftDelta',
      'relativeLiftFieller',
      'absoluteLift',
      'srmTest',
      'confidenceSequence',
      'proportionsConfidenceSequence',
      'meansConfidenceSequence',
      'mixingVarianceForHorizon',
      'powerTwoProportions',
      'requiredSampleSize',
      'minimumDetectableEffect',
      'bootstrapRatioInterval',
      'bootstrapTwoSampleInterval',
      'holmAdjust',
      'benjaminiHochbergAdjust',
      'mulberry32',
      'analyzeTwoArms',
    ]) {
      expect(typeof (stats as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(stats.DEFAULT_ALPHA).toBe(0.05);
    expect(stats.SRM_P_THRESHOLD).toBe(0.001);
    expect(stats.SRM_MIN_UNITS_PER_ARM).toBe(8);
  });
});
