import { mulberry32 } from '@stormops/stats';
import { causalmlQini } from '@stormops/uplift';
import { describe, expect, it } from 'vitest';
import { upliftAccuracy } from './pilot.accuracy.ts';
import type { ScoreBucket } from './pilot.schema.ts';

/** Per-unit data with a real uplift signal, and its 100 ntile buckets built as the SQL side will. */
function simulate(n: number, seed: number) {
  const random = mulberry32(seed);
  const score = new Float64Array(n);
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    score[i] = random() * 0.3;
    t[i] = random() < 0.8 ? 1 : 0;
    y[i] = random() < 0.08 + (t[i] ? score[i]! : 0) ? 1 : 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const buckets: ScoreBucket[] = [];
  for (let b = 0; b < 100; b++) {
    const rows = order.slice((b * n) / 100, ((b + 1) * n) / 100);
    const arm = (tv: number) => {
      const r = rows.filter((i) => t[i] === tv);
      return { n: r.length, conversions: r.filter((i) => y[i] === 1).length };
    };
    const mean = rows.reduce((s, i) => s + score[i]!, 0) / rows.length;
    buckets.push({ bucket: b + 1, predicted_uplift_mean: mean, treat: arm(1), hold: arm(0) });
  }
  return { score, y, t, buckets };
}

describe('Qini from 100 buckets approximates the per-unit Qini', () => {
  it.each([11, 12, 13])('within 0.01 of causalml normalized Qini (seed %i)', (seed) => {
    const d = simulate(20_000, seed);
    const exact = causalmlQini(d.y, d.score, d.t);
    const approx = upliftAccuracy(d.buckets, 0.05)!.qini_coefficient!;
    expect(exact).toBeGreaterThan(0.05); // a real signal, so the comparison means something
    expect(Math.abs(approx - exact)).toBeLessThan(0.01);
  });

  it('a random score gives a coefficient near 0', () => {
    const d = simulate(20_000, 5);
    const shuffled = d.buckets.map((b, i, all) => ({
      ...b,
      ...{ treat: all[(i * 37) % 100]!.treat, hold: all[(i * 37) % 100]!.hold },
    }));
    expect(Math.abs(upliftAccuracy(shuffled, 0.05)!.qini_coefficient!)).toBeLessThan(0.1);
  });
});
