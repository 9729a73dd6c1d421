/** Timing of the pure statistics used per request (`analyzeTwoArms`) and per ROI report (bootstrap). */
import type { BenchContext, BenchFigure } from './harness.ts';
import { analyzeTwoArms, bootstrapRatioInterval, mulberry32, randomNormal } from '../packages/stats/src/index.ts';

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  // Hillstrom-sized arms (Womens E-Mail vs No E-Mail), with value sums so the Welch path runs too.
  const treat = { n: 21387, conversions: 3238, valueSum: 23038.11, valueSumSq: 4911446.5763 };
  const control = { n: 21306, conversions: 2262, valueSum: 13908.33, valueSumSq: 2870050.3621 };
  const calls = 10_000;
  analyzeTwoArms(treat, control); // warm up
  let start = performance.now();
  for (let i = 0; i < calls; i++) analyzeTwoArms(treat, control, { alpha: 0.05 + (i % 3) * 0.01 });
  const perCallUs = ((performance.now() - start) * 1000) / calls;
  ctx.log(`analyzeTwoArms: ${perCallUs.toFixed(1)} us per call over ${calls} calls`);

  // ROI bootstrap over 1,000 territories, 10,000 resamples.
  const random = mulberry32(1);
  const units = 1000;
  const revenue = new Float64Array(units);
  const cost = new Float64Array(units);
  for (let i = 0; i < units; i++) {
    revenue[i] = 1500 + 600 * randomNormal(random);
    cost[i] = 1000 + 100 * randomNormal(random);
  }
  start = performance.now();
  const roi = bootstrapRatioInterval(revenue, cost, { resamples: 10_000, seed: 7 });
  const bootstrapMs = performance.now() - start;
  ctx.log(`bootstrap ROI ${roi.estimate.toFixed(4)} [${roi.lower.toFixed(4)}, ${roi.upper.toFixed(4)}]`);

  return [
    {
      name: 'analyzeTwoArms (with value, Hillstrom-sized arms)',
      value: perCallUs,
      unit: 'us/call',
      notes: 'Newcombe CI, z-test, delta-method relative CI, SRM, Welch',
    },
    {
      name: 'bootstrap ratio interval, 10,000 resamples x 1,000 units',
      value: bootstrapMs,
      unit: 'ms',
      notes: 'mulberry32, seed 7',
    },
  ];
}
