import { describe, expect, it } from 'vitest';
import { categoricalFeature, createDataset, numericFeature } from '../data/dataset.ts';
import { createRng } from '../random.ts';
import { divergence } from './criteria.ts';
import { fitUpliftForest } from './uplift-forest.ts';

describe('divergence criteria', () => {
  it('golden values', () => {
    // ED: 2 * (0.3 - 0.1)^2 = 0.08
    expect(divergence('ED', 0.3, 0.1)).toBeCloseTo(0.08, 12);
    // KL: 0.3 ln(0.3/0.1) + 0.7 ln(0.7/0.9) = 0.32958 - 0.17592 = 0.15366
    expect(divergence('KL', 0.3, 0.1)).toBeCloseTo(0.15366, 5);
    // Chi: 0.04/0.1 + 0.04/0.9 = 0.4 + 0.04444 = 0.44444
    expect(divergence('Chi', 0.3, 0.1)).toBeCloseTo(0.44444, 5);
    expect(divergence('KL', 0.2, 0.2)).toBe(0);
  });
});

describe('uplift forest', () => {
  // uplift only where x > 0 (numeric) and in category 'b'
  const n = 20_000;
  const rng = createRng(3);
  const x = new Float64Array(n);
  const labels: string[] = [];
  const y = new Uint8Array(n);
  const t = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 50 === 0 ? NaN : rng.normal();
    labels.push(['a', 'b', 'c'][rng.int(3)]!);
    t[i] = rng.int(2);
    const tau = (x[i]! > 0 ? 0.2 : 0) + (labels[i] === 'b' ? 0.1 : 0);
    y[i] = rng.next() < 0.1 + t[i]! * tau ? 1 : 0;
  }
  const ds = createDataset([numericFeature('x', x), categoricalFeature('seg', labels)]);

  for (const criterion of ['KL', 'ED', 'Chi'] as const) {
    it(`${criterion}: finds the numeric and categorical effects`, () => {
      const f = fitUpliftForest(ds, y, t, {
        criterion,
        nEstimators: 10,
        maxDepth: 3,
        maxFeatures: 0,
        minSamplesLeaf: 200,
      });
      const probe = [Float64Array.of(1, -1, 1, -1), Float64Array.of(1, 1, 0, 0)];
      const u = f.predictUplift(probe);
      // x>0 & b: 0.3; x<0 & b: 0.1; x>0 & a: 0.2; x<0 & a: 0
      expect(u[0]!).toBeGreaterThan(u[2]!);
      expect(u[2]!).toBeGreaterThan(u[1]!);
      expect(u[1]!).toBeGreaterThan(u[3]!);
      expect(u[0]!).toBeCloseTo(0.3, 1);
    });
  }
  it('respects min samples per arm and depth; deterministic by seed', () => {
    const a = fitUpliftForest(ds, y, t, { nEstimators: 3, maxDepth: 2, minSamplesTreatment: 3000, seed: 9 });
    for (const tree of a.trees) expect(tree.feature.length).toBeLessThanOrEqual(7);
    const b = fitUpliftForest(ds, y, t, { nEstimators: 3, maxDepth: 2, minSamplesTreatment: 3000, seed: 9 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
  });
  it('rejects a single arm and bad parameters', () => {
    expect(() => fitUpliftForest(ds, y, new Uint8Array(n).fill(1))).toThrow(/both arms/);
    expect(() => fitUpliftForest(ds, y, t, { criterion: 'XX' as 'KL' })).toThrow(/criterion/);
    expect(() => fitUpliftForest(ds, y, t, { maxDepth: 0 })).toThrow(/maxDepth/);
  });
});
