/**
 * One boosted fit timed alone, for measuring a change to the GBDT before and after in one session (the full
 * comparison with scikit-learn is `npm run bench uplift`): the scikit-learn pairs' settings (uplift-sklearn.ts
 * PARAMS) on synthetic uplift data, after a 5-tree warm-up fit. Add `node --cpu-prof` to see where the time goes.
 *
 *   npx tsx bench/gbdt-fit.ts [rows=1000000] [threads=1] [repeats=1]
 */
import { fitGbdt, makeSyntheticUplift, setUpliftThreads } from '../packages/uplift/src/index.ts';
import { PARAMS } from './uplift-sklearn.ts';

const [rows = 1_000_000, threads = 1, repeats = 1] = process.argv.slice(2).map(Number);
if (![rows, threads, repeats].every((v) => Number.isInteger(v) && v > 0)) {
  console.error('usage: npx tsx bench/gbdt-fit.ts [rows] [threads] [repeats] (positive integers)');
  process.exit(1);
}
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
