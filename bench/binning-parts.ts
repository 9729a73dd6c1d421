/**
 * The two parts of binning timed alone, on the benchmark's shape (150,000 rows, 220 features; the same values
 * for every variant): sorting each feature's 50,000-value sample (`sortFloat64` against
 * `Float64Array.prototype.sort`), and writing bin codes (the bucket table against the branch-free binary search
 * `binOf` would do), per value, for four shapes of feature; and 50,000 distinct IDs near 1e15 sorted. `npm run bench uplift` times binning as a whole.
 *
 *   npx tsx bench/binning-parts.ts
 */
import { binByBuckets } from '../packages/uplift/src/data/bin-buckets.ts';
import { binOf, numericEdges } from '../packages/uplift/src/data/binning.ts';
import { sortFloat64 } from '../packages/uplift/src/data/sort-float64.ts';
import { createRng } from '../packages/uplift/src/random.ts';

const rng = createRng(3);
const n = 150_000;
const shapes: Record<string, () => number> = {
  'normal around zero': () => rng.normal(),
  'uniform 0..1e6': () => rng.next() * 1e6,
  'log-normal': () => Math.exp(2 * rng.normal()),
  'integers 0..49': () => rng.int(50),
};
const best = (f: () => void, runs = 5): number => {
  let b = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    f();
    b = Math.min(b, performance.now() - t);
  }
  return b;
};

const samples = Array.from({ length: 220 }, () => Float64Array.from({ length: 50_000 }, () => rng.normal() * 100));
const ours = best(() => samples.forEach((s) => sortFloat64(Float64Array.from(s))));
const builtIn = best(() => samples.forEach((s) => Float64Array.from(s).sort()), 2);
console.log(`sort 220 samples of 50,000: sortFloat64 ${ours.toFixed(0)} ms, built-in sort ${builtIn.toFixed(0)} ms`);
// Distinct values sharing their high word (IDs): ordered by the low word, not by a quadratic insertion pass.
const ids = Float64Array.from({ length: 50_000 }, () => 1e15 + rng.int(1e8));
console.log(`sort 50,000 IDs near 1e15: sortFloat64 ${best(() => sortFloat64(Float64Array.from(ids))).toFixed(1)} ms`);

for (const [shape, draw] of Object.entries(shapes)) {
  const values = Float64Array.from({ length: n }, draw);
  const edges = numericEdges(values, 254);
  const out = new Uint8Array(n);
  const table = best(() => binByBuckets(values, edges, 255, out));
  const search = best(() => {
    for (let i = 0; i < n; i++) out[i] = binOf(values[i]!, edges);
  });
  const ns = (ms: number): string => ((ms * 1e6) / n).toFixed(1);
  console.log(`bin codes, ${shape}: bucket table ${ns(table)} ns a value, binary search ${ns(search)} ns`);
}
