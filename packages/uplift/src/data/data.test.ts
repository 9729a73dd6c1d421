import { describe, expect, it } from 'vitest';
import { createRng } from '../random.ts';
import { binByBuckets } from './bin-buckets.ts';
import { applyBins, binOf, fitBins, numericEdges } from './binning.ts';
import { categoricalFeature, createDataset, numericFeature, oneHotColumns, schemaOf, selectRows } from './dataset.ts';

describe('dataset', () => {
  it('encodes categoricals as codes with a category list; unknown labels are missing', () => {
    const f = categoricalFeature('channel', ['Web', 'Phone', 'Web', 'Fax'], ['Phone', 'Web']);
    expect(Array.from(f.values)).toEqual([1, 0, 1, NaN]);
    expect(categoricalFeature('c', ['b', 'a', null]).categories).toEqual(['a', 'b']);
  });
  it('checks lengths and codes, naming the feature', () => {
    expect(() => createDataset([numericFeature('a', [1, 2]), numericFeature('b', [1])])).toThrow(
      /feature b has 1 rows/,
    );
    expect(() =>
      createDataset([{ name: 'c', kind: 'categorical', values: Float64Array.of(0, 3), categories: ['x', 'y'] }]),
    ).toThrow(/feature c: code 3/);
  });
  it('one-hot encodes categoricals (missing -> all zero) and keeps numerics', () => {
    const ds = createDataset([numericFeature('a', [1.5, 2]), categoricalFeature('c', ['y', null], ['x', 'y'])]);
    const cols = oneHotColumns(
      ds.features.map((f) => f.values),
      schemaOf(ds),
    );
    expect(cols.map((c) => Array.from(c))).toEqual([
      [1.5, 2],
      [0, 0],
      [1, 0],
    ]);
    expect(Array.from(selectRows(ds, [1]).features[0]!.values)).toEqual([2]);
  });
});

describe('binning', () => {
  it('uses midpoints between distinct values when they fit', () => {
    // distinct 1, 2, 4 -> edges (1+2)/2 = 1.5 and (2+4)/2 = 3
    expect(Array.from(numericEdges(Float64Array.of(4, 1, 2, 2, NaN), 254))).toEqual([1.5, 3]);
  });
  it('maps values to bins, missing to the last bin, categoricals to their code', () => {
    const ds = createDataset([
      numericFeature('a', [4, 1, 2, NaN]),
      categoricalFeature('c', ['y', 'x', null, 'y'], ['x', 'y']),
    ]);
    const layout = fitBins(ds);
    const b = applyBins(ds, layout);
    expect(Array.from(b.bins[0]!)).toEqual([2, 0, 1, 3]);
    expect(layout[0]!.missingBin).toBe(3);
    expect(Array.from(b.bins[1]!)).toEqual([1, 0, 2, 1]);
    expect(binOf(1.5, Float64Array.of(1.5, 3))).toBe(0);
    expect(binOf(1.6, Float64Array.of(1.5, 3))).toBe(1);
  });
  it('caps numeric features at 254 value bins by quantiles', () => {
    const v = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const ds = createDataset([numericFeature('a', v)]);
    const layout = fitBins(ds);
    expect(layout[0]!.nValueBins).toBeLessThanOrEqual(254);
    expect(layout[0]!.nValueBins).toBeGreaterThan(200);
    const counts = new Array<number>(256).fill(0);
    for (const code of applyBins(ds, layout).bins[0]!) counts[code]!++;
    expect(Math.max(...counts)).toBeLessThan(100); // roughly 10_000 / 254 = 39 per bin
    expect(() => fitBins(ds, 300)).toThrow(/maxBins/);
  });
});

describe('bin codes by bucket table', () => {
  const rng = createRng(11);
  const normal = (): number => rng.normal();
  const shapes: Record<string, () => number> = {
    'normal around zero': normal,
    'uniform 0..1e6': () => rng.next() * 1e6,
    'log-normal (many powers of two)': () => Math.exp(3 * normal()),
    'negative log-normal': () => -Math.exp(3 * normal()),
    'integers 0..49': () => Math.floor(rng.next() * 50),
    'signed zeros, tiny and huge values': () =>
      [0, -0, 5e-324, -5e-324, 1e300, -1e300, Infinity, -Infinity, 1][rng.int(9)]! * (rng.next() < 0.5 ? 1 : 2),
    'dense cluster with outliers': () => (rng.next() < 0.99 ? 1000 + rng.next() : rng.next() * 1e9),
  };
  it('never makes a -0 edge (the table orders edges by their bits)', () => {
    const values = Float64Array.from({ length: 3000 }, (_, i) => (i < 1000 ? -0 : i - 1500));
    const edges = Array.from(numericEdges(values, 254));
    expect(edges.some((e) => e === 0)).toBe(true);
    expect(edges.some((e) => Object.is(e, -0))).toBe(false);
  });
  it('leaves edges it cannot trust to the search: a -0 edge, a descending pair, NaN', () => {
    const values = Float64Array.of(-2, -0, 0, 0.5, 3, NaN);
    for (const edges of [Float64Array.of(-1, -0, 1), Float64Array.of(-1, 2, 1), Float64Array.of(-1, NaN, 1)]) {
      expect(binByBuckets(values, edges, 4, new Uint8Array(values.length))).toBe(false);
    }
    expect(binByBuckets(values, Float64Array.of(-1, 0, 0, 1), 5, new Uint8Array(values.length))).toBe(true);
  });
  const odd = new Set(['dense cluster with outliers']);
  for (const [shape, draw] of Object.entries(shapes)) {
    it(`gives the binary search's codes: ${shape}`, () => {
      const values = Float64Array.from({ length: 20_000 }, () => (rng.next() < 0.02 ? NaN : draw()));
      const edges = numericEdges(values, 254);
      // Unseen values too: beyond the edges, between them, at them.
      const probe = Float64Array.from([
        ...values,
        ...edges,
        -Infinity,
        Infinity,
        0,
        -0,
        NaN,
        ...edges.map((e) => e * 1.5),
      ]);
      const out = new Uint8Array(probe.length);
      const missing = edges.length + 1;
      const used = binByBuckets(probe, edges, missing, out);
      const want = Array.from(probe, (x) => (x === x ? binOf(x, edges) : missing));
      // The shapes of real features get a table; the odd ones may fall back to the search (out untouched).
      expect(used).toBe(!odd.has(shape));
      if (used) expect(Array.from(out)).toEqual(want);
      else expect(out.every((c) => c === 0)).toBe(true);
    });
  }
});
