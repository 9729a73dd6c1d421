/**
 * One boosted fit timed alone, for measuring a change to the GBDT before and after in one session (the full
 * comparison with scikit-learn is `npm run bench uplift`): the benchmark's settings (100 trees, learning rate 0.1,
 * depth 6, 31 leaves, min leaf 20, L2 1, 255 bins, no early stopping) on synthetic uplift data, after a 5-tree
 * warm-up fit. Add `node --cpu-prof` to see where the time goes.
 *
 *   npx tsx bench/gbdt-fit.ts [rows=1000000] [threads=1] [repeats=1]
 */
import { fitGbdt, makeSyntheticUplift, setUpliftThreads, type GbdtParams } from '../packages/uplift/src/index.ts';

const [rows = 1_000_000, threads = 1, repeats = 1] = process.argv.slice(2).map(Number);
const PARAMS: Partial<GbdtParams> = {
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  l2: 1,
  maxBins: 255,
  validationFraction: 0,
};
const { ds, y } = makeSyntheticUplift(rows, 19, 7);
setUpliftThreads(threads);
fitGbdt(ds, y, { ...PARAMS, nEstimators: 5 });
for (let r = 0; r < repeats; r++) {
  const t = performance.now();
  const c0 = process.cpuUsage();
  fitGbdt(ds, y, PARAMS);
  const c = process.cpuUsage(c0);
  const wall = ((performance.now() - t) / 1000).toFixed(2);
  console.log(`${rows} rows, ${threads} thread(s): ${wall} s wall, ${((c.user + c.system) / 1e6).toFixed(2)} s CPU`);
}
