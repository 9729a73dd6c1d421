import { describe, expect, it } from 'vitest';
import { createDataset, numericFeature } from '../data/dataset.ts';
import { createRng } from '../random.ts';
import { makeSyntheticUplift } from '../synthetic.ts';
import { fitSLearner } from './s-learner.ts';
import { fitTLearner } from './t-learner.ts';
import { fitXLearner } from './x-learner.ts';

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('meta-learners on a continuous outcome (job value)', () => {
  // y = 100 + 20 x1 + t * (30 + 25 x0) + N(0, 10^2): true uplift 30 + 25 x0
  const n = 20_000;
  const rng = createRng(11);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const t = new Uint8Array(n);
  const y = new Float64Array(n);
  const tau = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.normal();
    x1[i] = rng.normal();
    t[i] = rng.int(2);
    tau[i] = 30 + 25 * x0[i]!;
    y[i] = 100 + 20 * x1[i]! + t[i]! * tau[i]! + 10 * rng.normal();
  }
  const ds = createDataset([numericFeature('x0', x0), numericFeature('x1', x1)]);
  const gb = { nEstimators: 200, maxLeaves: 8, learningRate: 0.1 };

  for (const [name, fit] of [
    ['S', () => fitSLearner(ds, y, t, { outcome: 'continuous', learner: { type: 'gbdt', params: gb } })],
    ['T', () => fitTLearner(ds, y, t, { outcome: 'continuous', learner: { type: 'gbdt', params: gb } })],
    ['X', () => fitXLearner(ds, y, t, { outcome: 'continuous', learner: { type: 'gbdt', params: gb } })],
  ] as const) {
    it(`${name}-learner recovers the effect (correlation > 0.95, mean within 2)`, () => {
      const u = fit().predictUplift(ds);
      expect(correlation(u, tau)).toBeGreaterThan(0.95);
      expect(u.reduce((a, b) => a + b, 0) / n).toBeCloseTo(30, 0);
    });
  }
  it('rejects a logistic base learner for a continuous outcome, and a single arm', () => {
    expect(() => fitTLearner(ds, y, t, { outcome: 'continuous', learner: { type: 'logistic' } })).toThrow(TypeError);
    expect(() => fitTLearner(ds, y, new Uint8Array(n))).toThrow(/both arms/);
    expect(() => fitXLearner(ds, y, t, { outcome: 'continuous', propensity: { type: 'known', value: 1 } })).toThrow(
      /propensity/,
    );
  });
});

describe('X-learner propensity', () => {
  it('estimated propensity is close to the randomization share', () => {
    const { ds, y, treatment } = makeSyntheticUplift(8_000, 3, 5);
    const m = fitXLearner(ds, y, treatment, { learner: { type: 'logistic' }, propensity: { type: 'logistic' } });
    const e = typeof m.propensity === 'number' ? null : m.propensity.predict(ds);
    expect(e).not.toBeNull();
    for (const v of e!) expect(Math.abs(v - 0.5)).toBeLessThan(0.1);
  });
});
