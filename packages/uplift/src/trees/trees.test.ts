import { describe, expect, it } from 'vitest';
import { createDataset, numericFeature } from '../data/dataset.ts';
import { fitGbdt } from '../learners/gbdt.ts';
import { createRng } from '../random.ts';
import { addCompiledPrediction, compileTree } from './compiled.ts';
import { addTreePrediction, TreeBuilder } from './flat-tree.ts';

describe('compiled (complete-tree) prediction layout', () => {
  it('gives exactly the generic traversal result, missing values included', () => {
    const rng = createRng(4);
    const n = 5_000;
    const cols = [0, 1, 2].map(() => Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? NaN : rng.normal())));
    const y = Float64Array.from({ length: n }, (_, i) =>
      Number.isNaN(cols[0]![i]!) ? 2 : cols[0]![i]! * cols[1]![i]!,
    );
    const ds = createDataset(cols.map((c, j) => numericFeature(`x${j}`, c)));
    const m = fitGbdt(ds, y, {
      loss: 'squared',
      nEstimators: 5,
      maxLeaves: 20,
      maxDepth: 7,
      minSamplesLeaf: 5,
      validationFraction: 0,
    });
    for (const t of m.trees) {
      const c = compileTree(t);
      expect(c).not.toBeNull();
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      addTreePrediction(t, cols, 0, n, a, 1);
      addCompiledPrediction(c!, cols, 0, n, b, 1);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });
  it('pads shallow leaves and leaves categorical trees to the generic path', () => {
    const b = new TreeBuilder();
    const root = b.addLeaf();
    const [l, r] = b.split(root, { feature: 0, threshold: 0.5, missingLeft: false, leftCats: null });
    b.setValue(l, 1);
    const [rl, rr] = b.split(r, { feature: 1, threshold: 0, missingLeft: true, leftCats: null });
    b.setValue(rl, 2);
    b.setValue(rr, 3);
    const c = compileTree(b.finish())!;
    expect(c.depth).toBe(2);
    // x0 <= 0.5 -> 1; x0 > 0.5: x1 <= 0 or missing -> 2, else 3; x0 missing -> right
    const cols = [Float64Array.of(0, 1, 1, NaN, 1), Float64Array.of(9, -1, 1, 5, NaN)];
    const out = new Float64Array(5);
    addCompiledPrediction(c, cols, 0, 5, out, 1);
    expect(Array.from(out)).toEqual([1, 2, 3, 3, 2]);
    const cat = new TreeBuilder();
    cat.split(cat.addLeaf(), { feature: 0, threshold: 0, missingLeft: false, leftCats: [1] });
    expect(compileTree(cat.finish())).toBeNull();
  });
});
