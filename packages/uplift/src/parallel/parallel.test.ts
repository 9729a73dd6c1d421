import { afterEach, describe, expect, it } from 'vitest';
import { applyBins, binDataset, fitBins } from '../data/binning.ts';
import { sortFloat64 } from '../data/sort-float64.ts';
import { fitUpliftForest } from '../forest/uplift-forest.ts';
import { fitGbdt } from '../learners/gbdt.ts';
import { fitTLearner } from '../meta/t-learner.ts';
import { fitXLearner } from '../meta/x-learner.ts';
import { createRng } from '../random.ts';
import { makeSyntheticUplift } from '../synthetic.ts';
import { parseThreads, setUpliftThreads } from './threads.ts';

// Large enough that every parallel path runs: binning (>= 2^20 values), node histograms (>= 2^16 cells),
// prediction (>= 2 x 32,768 rows).
const { ds, y, treatment } = makeSyntheticUplift(70_000, 15, 11);

function both<T>(f: () => T): [T, T] {
  setUpliftThreads(1);
  const one = f();
  setUpliftThreads(2);
  const two = f();
  return [one, two];
}

describe('threads: the same models and predictions with 1 and 2 threads', () => {
  afterEach(() => setUpliftThreads(1));

  it('bins identically (and as fitBins + applyBins)', () => {
    const [a, b] = both(() => binDataset(ds));
    expect(Buffer.from(b.codes).equals(Buffer.from(a.codes))).toBe(true);
    expect(b.layout).toEqual(a.layout);
    const ref = applyBins(ds, fitBins(ds));
    expect(Buffer.from(ref.codes).equals(Buffer.from(a.codes))).toBe(true);
  });

  it('boosted trees: same model bytes, same predictions', () => {
    const [a, b] = both(() => fitGbdt(ds, y, { nEstimators: 15, subsample: 0.8 }));
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    const [pa, pb] = both(() => a.predict(ds));
    expect(Buffer.from(pb.buffer).equals(Buffer.from(pa.buffer))).toBe(true);
  });

  it('boosted trees on every row: gradients and score updates shared out too (>= 2^16 rows)', () => {
    for (const loss of ['logloss', 'squared'] as const) {
      const [a, b] = both(() => fitGbdt(ds, y, { loss, nEstimators: 8, validationFraction: 0, subsample: 1 }));
      expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    }
  });

  it('T- and X-learners (arms side by side) and the uplift forest (trees in parallel)', () => {
    const learner = { type: 'gbdt' as const, params: { nEstimators: 10 } };
    const [t1, t2] = both(() => fitTLearner(ds, y, treatment, { learner }));
    expect(JSON.stringify(t2.toJSON())).toBe(JSON.stringify(t1.toJSON()));
    const [x1, x2] = both(() => fitXLearner(ds, y, treatment, { learner }));
    expect(JSON.stringify(x2.toJSON())).toBe(JSON.stringify(x1.toJSON()));
    const [f1, f2] = both(() => fitUpliftForest(ds, y, treatment, { nEstimators: 5, maxFeatures: 5 }));
    expect(JSON.stringify(f2.toJSON())).toBe(JSON.stringify(f1.toJSON()));
    const [u1, u2] = both(() => f1.predictUplift(ds));
    expect(Array.from(u2)).toEqual(Array.from(u1));
  });
});

describe('thread setting', () => {
  it("accepts 'auto' and 1..64, refuses anything else naming the setting", () => {
    expect(parseThreads('2')).toBe(2);
    expect(parseThreads('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '65', '1.5', 'two', '', '-1'])
      expect(() => parseThreads(bad, 'STORMOPS_THREADS')).toThrow(/STORMOPS_THREADS must be 'auto' or an integer/);
  });
});

describe('sortFloat64', () => {
  it('sorts like Float64Array.prototype.sort, -0 before +0 and close values included', () => {
    const rng = createRng(5);
    const v = Float64Array.from({ length: 5_000 }, (_, i) =>
      i % 7 === 0 ? 1 + rng.next() * 1e-9 : i % 11 === 0 ? (i % 2 ? -0 : 0) : rng.normal() * 10 ** rng.int(6),
    );
    const want = Float64Array.from(v).sort();
    const got = sortFloat64(Float64Array.from(v));
    expect(Object.is(got[0], want[0])).toBe(true);
    expect(Array.from(got).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual(
      Array.from(want).map((x) => (Object.is(x, -0) ? '-0' : x)),
    );
  });
  it('sorts larger samples (its memory grows), infinities, and values sharing their high digits', () => {
    const rng = createRng(6);
    for (const v of [
      Float64Array.from({ length: 200_000 }, (_, i) =>
        i % 1000 === 0 ? (i % 2 ? Infinity : -Infinity) : rng.normal(),
      ),
      Float64Array.from({ length: 3_000 }, () => 1 + rng.next() * 1e-6),
      Float64Array.from({ length: 3_000 }, () => -rng.int(3)),
      // Distinct values sharing their high word (large IDs): runs sorted by the low word.
      Float64Array.from({ length: 50_000 }, () => 1e15 + rng.int(1e8)),
      Float64Array.from({ length: 5_000 }, (_, i) => (i % 2 ? -1 : 1) * (1e15 + rng.int(1e8))),
      // Many short runs, each needing many moves: ordered run by run by insertion.
      Float64Array.from({ length: 50_000 }, () => 1e15 + rng.int(1000) * 2 ** 31 + rng.int(64)),
    ]) {
      expect(Array.from(sortFloat64(Float64Array.from(v)))).toEqual(Array.from(Float64Array.from(v).sort()));
    }
  });
});
