import { describe, expect, it } from 'vitest';
import { selectRows, take } from './data/dataset.ts';
import { fitUpliftForest } from './forest/uplift-forest.ts';
import { fitSLearner } from './meta/s-learner.ts';
import { fitTLearner } from './meta/t-learner.ts';
import { fitXLearner } from './meta/x-learner.ts';
import type { UpliftModel } from './model.ts';
import { loadModel } from './serialize.ts';
import { makeSyntheticUplift } from './synthetic.ts';

describe('serialization round trip is bit-identical', () => {
  const { ds, y, treatment } = makeSyntheticUplift(6_000, 4, 7);
  // blank some values so missing-value routing is exercised at prediction time
  for (let i = 0; i < ds.nRows; i += 17) ds.features[0]!.values[i] = NaN;
  for (let i = 3; i < ds.nRows; i += 23) ds.features[4]!.values[i] = NaN;
  const yc = Float64Array.from(y, (v, i) => v * 100 + (i % 7)); // a continuous outcome
  const gb = { nEstimators: 20, maxLeaves: 8, minSamplesLeaf: 50 };
  const models: [string, () => UpliftModel][] = [
    ['s-learner gbdt', () => fitSLearner(ds, y, treatment, { learner: { type: 'gbdt', params: gb } })],
    ['t-learner gbdt', () => fitTLearner(ds, y, treatment, { learner: { type: 'gbdt', params: gb } })],
    ['t-learner logistic', () => fitTLearner(ds, y, treatment, { learner: { type: 'logistic' } })],
    [
      't-learner continuous',
      () => fitTLearner(ds, yc, treatment, { outcome: 'continuous', learner: { type: 'gbdt', params: gb } }),
    ],
    ['x-learner known propensity', () => fitXLearner(ds, y, treatment, { learner: { type: 'gbdt', params: gb } })],
    [
      'x-learner estimated propensity',
      () => fitXLearner(ds, y, treatment, { learner: { type: 'gbdt', params: gb }, propensity: { type: 'logistic' } }),
    ],
    ['uplift forest', () => fitUpliftForest(ds, y, treatment, { nEstimators: 5, maxFeatures: 3, minSamplesLeaf: 50 })],
  ];
  for (const [name, fit] of models) {
    it(name, () => {
      const model = fit();
      const text = JSON.stringify(model.toJSON());
      const json = JSON.parse(text) as { format: string; version: number; kind: string };
      expect(json.format).toBe('stormops-uplift-model');
      expect(json.version).toBe(1);
      const loaded = loadModel(json);
      expect(loaded.kind).toBe(model.kind);
      const a = model.predictUplift(ds);
      const b = loaded.predictUplift(ds.features.map((f) => f.values));
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(JSON.stringify(loaded.toJSON())).toBe(text);
    });
  }
  it('rejects foreign or future formats naming the field', () => {
    expect(() => loadModel({ format: 'other', version: 1, kind: 't-learner' })).toThrow(/json.format/);
    expect(() => loadModel({ format: 'stormops-uplift-model', version: 2, kind: 't-learner' })).toThrow(/json.version/);
    expect(() => loadModel({ format: 'stormops-uplift-model', version: 1, kind: 'nope' })).toThrow(/json.kind/);
    expect(() => loadModel(null)).toThrow(TypeError);
  });
  it('rejects a dataset whose features differ from the training schema', () => {
    const m = fitUpliftForest(ds, y, treatment, { nEstimators: 2, maxFeatures: 3, minSamplesLeaf: 50 });
    const renamed = { ...ds, features: ds.features.map((f, j) => (j === 1 ? { ...f, name: 'other' } : f)) };
    expect(() => m.predictUplift(renamed)).toThrow(/X feature 1/);
    expect(() => m.predictUplift(ds.features.slice(1).map((f) => f.values))).toThrow(/features but the model expects/);
  });
  it('predicts on a subset with the same values as on the full table', () => {
    const m = fitUpliftForest(ds, y, treatment, { nEstimators: 3, maxFeatures: 3, minSamplesLeaf: 50 });
    const rows = Int32Array.of(5, 1, 99);
    expect(Array.from(m.predictUplift(selectRows(ds, rows)))).toEqual(Array.from(take(m.predictUplift(ds), rows)));
  });
});
