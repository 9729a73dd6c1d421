import { describe, expect, it } from 'vitest';
import { RunningMoments, summarizeSums, welchTTest } from './welch.ts';

// R's `sleep` data (Cushny & Peebles): extra hours of sleep for drug 1 (group 1) and drug 2 (group 2).
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

function sums(xs: number[]): { n: number; sum: number; sumSq: number } {
  let sum = 0;
  let sumSq = 0;
  for (const x of xs) {
    sum += x;
    sumSq += x * x;
  }
  return { n: xs.length, sum, sumSq };
}

describe('welchTTest', () => {
  it("reproduces R's t.test(extra ~ group, data = sleep)", () => {
    // R: t = -1.8608, df = 17.776, p-value = 0.07939, 95% CI -3.3654832 0.2054832 (group 1 - group 2).
    // scipy 1.17.1 ttest_ind(g2, g1, equal_var=False): t 1.8608134674868526, df 17.776473516178488,
    // p 0.0793941401873583, CI (-0.20548323071171137, 3.3654832307117104).
    const a = sums(group2);
    const b = sums(group1);
    const r = welchTTest(summarizeSums(a.n, a.sum, a.sumSq), summarizeSums(b.n, b.sum, b.sumSq));
    expect(r.difference).toBeCloseTo(1.58, 12);
    expect(r.t).toBeCloseTo(1.8608134674868526, 10);
    expect(r.df).toBeCloseTo(17.776473516178488, 10);
    expect(r.pValue).toBeCloseTo(0.0793941401873583, 10);
    expect(r.lower).toBeCloseTo(-0.20548323071171137, 9);
    expect(r.upper).toBeCloseTo(3.3654832307117104, 9);
  });

  it('is antisymmetric in the arms', () => {
    const x = { n: 10, mean: 0.75, variance: 3.2005555555555554 };
    const y = { n: 10, mean: 2.33, variance: 4.009 };
    const r = welchTTest(x, y);
    expect(r.t).toBeCloseTo(-1.8608134674868526, 10);
    expect(r.lower).toBeCloseTo(-3.3654832307117104, 9);
  });

  it('handles constant samples', () => {
    expect(welchTTest({ n: 3, mean: 1, variance: 0 }, { n: 4, mean: 1, variance: 0 }).pValue).toBe(1);
    expect(welchTTest({ n: 3, mean: 2, variance: 0 }, { n: 4, mean: 1, variance: 0 }).pValue).toBe(0);
  });

  it('summarizes sums', () => {
    expect(summarizeSums(3, 6, 14)).toEqual({ n: 3, mean: 2, variance: 1 });
    expect(summarizeSums(10, 7.5, 34.43).variance).toBeCloseTo(3.2005555555555554, 12); // var(sleep group 1)
  });

  it('validates arguments', () => {
    expect(() => summarizeSums(1, 1, 1)).toThrow(/n must be at least 2/);
    expect(() => summarizeSums(-3, 1, 1)).toThrow(/\bn\b/);
    expect(() => welchTTest({ n: 5, mean: 1, variance: -1 }, { n: 5, mean: 1, variance: 1 })).toThrow(/treat.variance/);
    expect(() => welchTTest({ n: 5, mean: 1, variance: 1 }, { n: 5, mean: 1, variance: 1 }, 0)).toThrow(/alpha/);
  });
});

describe('RunningMoments', () => {
  // Values near 1e8 with a spread of about 0.29 and a true difference of 0.03: the one-pass sumSq - sum * mean
  // keeps none of the variance's digits here. scipy 1.17.1 on the same doubles:
  // ttest_ind(t, c, equal_var=False): t 3.3406363666533547, p 0.0008435339661927914, df 3997.999999506221;
  // var(t, ddof=1) 0.08335597159440054, var(c, ddof=1) 0.08335782434333014.
  const phi = 0.6180339887498949;
  const frac = (x: number): number => x - Math.floor(x);
  const control = new RunningMoments();
  const treat = new RunningMoments();
  for (let i = 1; i <= 2000; i++) {
    control.add(1e8 + frac(i * phi));
    treat.add(1e8 + 0.03 + frac(i * phi + 0.25));
  }

  it('keeps the variance of values far from zero (scipy)', () => {
    expect(treat.summary().variance).toBeCloseTo(0.08335597159440054, 6);
    expect(control.summary().variance).toBeCloseTo(0.08335782434333014, 6);
  });

  it("gives Welch's test on values near 1e8 as scipy does", () => {
    const r = welchTTest(treat.summary(), control.summary());
    expect(r.t).toBeCloseTo(3.3406363666533547, 4);
    expect(r.pValue).toBeCloseTo(0.0008435339661927914, 6);
    expect(r.df).toBeCloseTo(3997.999999506221, 2);
  });

  it('needs two values', () => {
    const m = new RunningMoments();
    m.add(1);
    expect(() => m.summary()).toThrow(/at least 2/);
  });
});
