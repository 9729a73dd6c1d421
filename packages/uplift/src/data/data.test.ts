import { describe, expect, it } from 'vitest';
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
