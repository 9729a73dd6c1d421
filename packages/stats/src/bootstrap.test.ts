import { describe, expect, it } from 'vitest';
import { bootstrapRatioInterval, bootstrapTwoSampleInterval, sortedQuantile } from './bootstrap.ts';
import { relativeLiftDelta } from './lift.ts';
import { mulberry32, randomNormal } from './random.ts';

describe('sortedQuantile', () => {
  it("matches R's quantile(type = 7)", () => {
    // R: quantile(1:4, c(0, 0.5, 0.9, 1)) = 1, 2.5, 3.7, 4
    const x = Float64Array.of(1, 2, 3, 4);
    expect(sortedQuantile(x, 0)).toBe(1);
    expect(sortedQuantile(x, 0.5)).toBe(2.5);
    expect(sortedQuantile(x, 0.9)).toBeCloseTo(3.7, 14);
    expect(sortedQuantile(x, 1)).toBe(4);
  });
});

function sample(seed: number, n: number, mean: number, sd: number): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * randomNormal(random);
  return out;
}

describe('bootstrapRatioInterval', () => {
  const revenue = sample(1, 400, 150, 60);
  const cost = sample(2, 400, 100, 10);

  it('is deterministic by seed and changes with the seed', () => {
    const a = bootstrapRatioInterval(revenue, cost, { resamples: 2000, seed: 42 });
    const b = bootstrapRatioInterval(revenue, cost, { resamples: 2000, seed: 42 });
    const c = bootstrapRatioInterval(revenue, cost, { resamples: 2000, seed: 43 });
    expect(a).toEqual(b);
    expect(a.lower).not.toBe(c.lower);
    expect(a.resamples).toBe(2000);
  });

  it('brackets the estimate and agrees with the delta-method ratio interval', () => {
    const r = bootstrapRatioInterval(revenue, cost, { resamples: 4000, seed: 7 });
    expect(r.lower).toBeLessThan(r.estimate);
    expect(r.upper).toBeGreaterThan(r.estimate);
    // Linearized (delta-method) se of sum(y)/sum(x): sd(y - R x) / (sqrt(n) mean(x)).
    let [sy, sx] = [0, 0];
    for (let i = 0; i < 400; i++) [sy, sx] = [sy + (revenue[i] ?? 0), sx + (cost[i] ?? 0)];
    const ratio = sy / sx;
    let ss = 0;
    for (let i = 0; i < 400; i++) ss += ((revenue[i] ?? 0) - ratio * (cost[i] ?? 0)) ** 2;
    const se = Math.sqrt(ss / 399) / (Math.sqrt(400) * (sx / 400));
    expect((r.upper - r.lower) / (2 * 1.959963984540054 * se)).toBeCloseTo(1, 1);
  });

  it('validates inputs', () => {
    expect(() => bootstrapRatioInterval([1, 2], [1])).toThrow(/same length/);
    expect(() => bootstrapRatioInterval([], [])).toThrow(/numerators.length/);
    expect(() => bootstrapRatioInterval([1, Number.NaN], [1, 1])).toThrow(/numerators\[1\]/);
    expect(() => bootstrapRatioInterval([1], [1], { resamples: 0 })).toThrow(/resamples/);
  });
});

describe('bootstrapTwoSampleInterval', () => {
  it('approximates the delta-method interval for a relative lift', () => {
    const treat = sample(3, 2000, 12, 4);
    const control = sample(4, 2000, 10, 4);
    const boot = bootstrapTwoSampleInterval(treat, control, (t, c) => t / c - 1, { resamples: 3000, seed: 5 });
    const mean = (x: Float64Array): number => x.reduce((a, b) => a + b, 0) / x.length;
    const varOfMean = (x: Float64Array): number => {
      const m = mean(x);
      return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1) / x.length;
    };
    const delta = relativeLiftDelta(
      { mean: mean(treat), varianceOfMean: varOfMean(treat) },
      { mean: mean(control), varianceOfMean: varOfMean(control) },
    );
    expect(boot.estimate).toBeCloseTo(delta.estimate, 12);
    expect(boot.lower).toBeCloseTo(delta.lower, 2);
    expect(boot.upper).toBeCloseTo(delta.upper, 2);
  });
});
