import { describe, expect, it } from 'vitest';
import { createDataset, numericFeature, categoricalFeature } from '../data/dataset.ts';
import { createRng } from '../random.ts';
import { fitGbdt } from './gbdt.ts';
import { fitLogistic } from './logistic.ts';

function logisticData(n: number, seed: number): { ds: ReturnType<typeof createDataset>; y: Uint8Array } {
  const rng = createRng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const noise = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.normal();
    b[i] = rng.normal() * 3 + 10;
    noise[i] = rng.normal();
    const z = -0.5 + 1.5 * a[i]! - 0.4 * (b[i]! - 10);
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { ds: createDataset([numericFeature('a', a), numericFeature('b', b), numericFeature('noise', noise)]), y };
}

describe('logistic regression (IRLS)', () => {
  it('recovers coefficients of a logistic model', () => {
    const { ds, y } = logisticData(50_000, 1);
    const m = fitLogistic(ds, y, { l2: 0 });
    // coef is per standardized column: raw coef = coef / scale
    const raw = Array.from(m.coef, (c, j) => c / m.scale[j]!);
    expect(raw[0]).toBeCloseTo(1.5, 1);
    expect(raw[1]).toBeCloseTo(-0.4, 1);
    expect(Math.abs(raw[2]!)).toBeLessThan(0.05);
  });
  it('one-hot encodes categoricals and rejects a non-binary target', () => {
    const ds = createDataset([categoricalFeature('c', ['a', 'b', 'a', 'b', 'a', 'b'])]);
    const p = fitLogistic(ds, [1, 0, 1, 0, 0, 0], { l2: 0.1 }).predict(ds);
    expect(p[0]!).toBeGreaterThan(p[1]!);
    expect(() => fitLogistic(ds, [2, 0, 1, 0, 0, 0])).toThrow(/y must be binary/);
  });
});

describe('gradient boosting', () => {
  const { ds, y } = logisticData(20_000, 2);
  it('beats the constant model on log-loss and ranks features by gain', () => {
    const m = fitGbdt(ds, y, { nEstimators: 50 });
    const p = m.predict(ds);
    let ll = 0;
    let base = 0;
    let mean = 0;
    for (let i = 0; i < y.length; i++) mean += y[i]! / y.length;
    for (let i = 0; i < y.length; i++) {
      ll -= y[i]! * Math.log(p[i]!) + (1 - y[i]!) * Math.log(1 - p[i]!);
      base -= y[i]! * Math.log(mean) + (1 - y[i]!) * Math.log(1 - mean);
    }
    expect(ll).toBeLessThan(base * 0.85);
    expect(m.featureImportance[0]!).toBeGreaterThan(m.featureImportance[2]!);
    expect(m.featureImportance[1]!).toBeGreaterThan(m.featureImportance[2]!);
  });
  it('is deterministic given the seed', () => {
    const a = JSON.stringify(fitGbdt(ds, y, { nEstimators: 10, seed: 5 }).toJSON());
    const b = JSON.stringify(fitGbdt(ds, y, { nEstimators: 10, seed: 5 }).toJSON());
    expect(a).toBe(b);
  });
  it('stops early when validation loss stops improving', () => {
    const m = fitGbdt(ds, y, { nEstimators: 500, learningRate: 0.5, earlyStoppingRounds: 5 });
    expect(m.trees.length).toBeLessThan(500);
  });
  it('fits squared error and respects depth and leaf limits', () => {
    const target = Float64Array.from(ds.features[0]!.values, (v) => 3 * v + 1);
    const m = fitGbdt(ds, target, { loss: 'squared', nEstimators: 100, maxDepth: 2, validationFraction: 0 });
    const p = m.predict(ds);
    let mse = 0;
    for (let i = 0; i < p.length; i++) mse += (p[i]! - target[i]!) ** 2 / p.length;
    expect(mse).toBeLessThan(0.05);
    for (const t of m.trees) expect(t.feature.length).toBeLessThanOrEqual(7);
  });
  it('names bad parameters', () => {
    expect(() => fitGbdt(ds, y, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => fitGbdt(ds, y.subarray(1))).toThrow(/y has length/);
  });
});
