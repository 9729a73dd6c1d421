/**
 * Hillstrom (Womens E-Mail vs No E-Mail, outcome visit): uplift@30% (sklift 'overall') on random 50/50
 * train/test splits, mean over 5 seeds, must reach 0.066. Takes about 10-15 s on one core (two learners x
 * 5 fits on ~21k rows), well under the 60 s test timeout. The margin is small (0.070-0.074 measured): the
 * bar is close to what this data supports; the tests are seeded, hence deterministic.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectRows, take, type Dataset } from '../data/dataset.ts';
import { fitUpliftForest } from '../forest/uplift-forest.ts';
import { fitTLearner } from '../meta/t-learner.ts';
import { upliftAtK } from '../metrics/at-k.ts';
import type { UpliftModel } from '../model.ts';
import { createRng, trainTestSplit } from '../random.ts';
import { parseHillstrom, splitCsvLine } from './hillstrom-data.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const csv = `${DATA}hillstrom.csv`;
const SEEDS = [1, 2, 3, 4, 5];

type Fit = (ds: Dataset, y: Float64Array, t: Float64Array) => UpliftModel;

function meanUpliftAt30(fit: Fit | 'random'): number {
  const { ds, y, treatment } = parseHillstrom(readFileSync(csv, 'utf8'));
  let sum = 0;
  for (const seed of SEEDS) {
    const { train, test } = trainTestSplit(ds.nRows, 0.5, seed);
    let u: Float64Array;
    if (fit === 'random') {
      const rng = createRng(seed);
      u = Float64Array.from(test, () => rng.next());
    } else {
      u = fit(selectRows(ds, train), take(y, train), take(treatment, train)).predictUplift(selectRows(ds, test));
    }
    sum += upliftAtK(take(y, test), u, take(treatment, test), 'overall', 0.3);
  }
  return sum / SEEDS.length;
}

describe('Hillstrom CSV parsing', () => {
  it('keeps quoted commas inside a field', () => {
    expect(splitCsvLine('5,"6) $750 - $1,000",828.42')).toEqual(['5', '6) $750 - $1,000', '828.42']);
  });
  it.skipIf(!DATA)('keeps the Womens and No E-Mail arms (21,387 + 21,306 rows)', () => {
    const { ds, treatment } = parseHillstrom(readFileSync(csv, 'utf8'));
    expect(ds.nRows).toBe(42_693);
    expect(treatment.reduce((a, b) => a + b, 0)).toBe(21_387);
  });
});

describe.skipIf(!DATA)('Hillstrom uplift@30% (mean of 5 random 50/50 splits)', () => {
  it('T-learner with logistic regression >= 0.066 (measured 0.0700)', () => {
    expect(
      meanUpliftAt30((ds, y, t) => fitTLearner(ds, y, t, { learner: { type: 'logistic' } })),
    ).toBeGreaterThanOrEqual(0.066);
  });
  it('uplift forest (ED) >= 0.066 (measured 0.0735)', () => {
    const fit: Fit = (ds, y, t) =>
      fitUpliftForest(ds, y, t, {
        criterion: 'ED',
        nEstimators: 100,
        maxDepth: 5,
        maxFeatures: 3,
        minSamplesLeaf: 200,
        minSamplesTreatment: 50,
      });
    expect(meanUpliftAt30(fit)).toBeGreaterThanOrEqual(0.066);
  });
  it('a random score stays near the average effect (~0.045), below the bar', () => {
    expect(meanUpliftAt30('random')).toBeLessThan(0.066);
  });
});
