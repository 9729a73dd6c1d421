import { describe, expect, it } from 'vitest';
import { newcombeInterval, twoProportionZTest, wilsonInterval } from './proportions.ts';
import { mulberry32, randomBinomial } from './random.ts';

describe('wilsonInterval', () => {
  it('matches Newcombe (1998a) worked example 81/263 and scipy', () => {
    // Newcombe RG, Stat Med 1998;17:857-872, Table I, method 3 (score, no CC): 81/263 -> 0.2553 to 0.3662.
    // scipy 1.17.1 binomtest(81, 263).proportion_ci(method='wilson') = (0.2552885198782742, 0.36620957698280004).
    const ci = wilsonInterval(81, 263);
    expect(ci.estimate).toBeCloseTo(81 / 263, 15);
    expect(ci.lower).toBeCloseTo(0.2552885198782742, 10);
    expect(ci.upper).toBeCloseTo(0.36620957698280004, 10);
    expect(ci.lower).toBeCloseTo(0.2553, 4);
    expect(ci.upper).toBeCloseTo(0.3662, 4);
  });

  it('matches scipy for small and boundary counts', () => {
    // scipy binomtest(k, n).proportion_ci(method='wilson')
    const a = wilsonInterval(15, 148);
    expect(a.lower).toBeCloseTo(0.06238639953073629, 10);
    expect(a.upper).toBeCloseTo(0.16048724172330803, 10);
    const b = wilsonInterval(1, 29);
    expect(b.lower).toBeCloseTo(0.006113214292762667, 10);
    expect(b.upper).toBeCloseTo(0.17175521879320282, 10);
    // Closed form at x = 0: upper = z^2 / (n + z^2).
    const z2 = 1.959963984540054 ** 2;
    expect(wilsonInterval(0, 20)).toEqual({
      estimate: 0,
      lower: 0,
      upper: expect.closeTo(z2 / (20 + z2), 12) as number,
    });
    expect(wilsonInterval(10, 10).upper).toBe(1);
  });

  it('covers close to 95% by simulation (seeded)', () => {
    const random = mulberry32(2024);
    const p = 0.12;
    const n = 80;
    const runs = 4000;
    let covered = 0;
    for (let i = 0; i < runs; i++) {
      const ci = wilsonInterval(randomBinomial(random, n, p), n);
      if (ci.lower <= p && p <= ci.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it('validates arguments', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(/successes \(5\) must not exceed trials/);
    expect(() => wilsonInterval(-1, 4)).toThrow(/successes/);
    expect(() => wilsonInterval(1, 0)).toThrow(/trials/);
    expect(() => wilsonInterval(1, 4, 1.2)).toThrow(/alpha/);
  });
});

describe('newcombeInterval (method 10)', () => {
  // Newcombe RG. Interval estimation for the difference between independent proportions: comparison of eleven
  // methods. Stat Med 1998;17:873-890, Table II, method 10 (hybrid score, no CC), given to 4 decimals.
  const table2: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339], // (a) difference 0.2
    [9, 10, 3, 10, 0.1705, 0.809], // (b)
    [6, 7, 2, 7, 0.0582, 0.8062], // (c)
    [5, 56, 0, 29, -0.0381, 0.1926], // (d)
    [0, 10, 0, 20, -0.1611, 0.2775], // (e)
    [0, 10, 0, 10, -0.2775, 0.2775], // (f)
    [10, 10, 0, 20, 0.6791, 1], // (g)
    [10, 10, 0, 10, 0.6075, 1], // (h)
  ];
  it.each(table2)('%i/%i vs %i/%i -> %f to %f', (x1, n1, x2, n2, lo, hi) => {
    const ci = newcombeInterval(x1, n1, x2, n2);
    expect(ci.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 14);
    expect(ci.lower).toBeCloseTo(lo, 4);
    expect(ci.upper).toBeCloseTo(hi, 4);
  });

  it('equals the method 10 formula over scipy Wilson limits to 10 decimals', () => {
    // scipy binomtest(56, 70) / (48, 80) Wilson limits: (0.6918335550374693, 0.8769526075163704), (0.490454650051604, 0.7003817240412907)
    const lower = 0.2 - Math.hypot(0.8 - 0.6918335550374693, 0.7003817240412907 - 0.6);
    const upper = 0.2 + Math.hypot(0.8769526075163704 - 0.8, 0.6 - 0.490454650051604);
    const ci = newcombeInterval(56, 70, 48, 80);
    expect(ci.lower).toBeCloseTo(lower, 10);
    expect(ci.upper).toBeCloseTo(upper, 10);
  });

  it('validates arguments', () => {
    expect(() => newcombeInterval(3, 2, 1, 2)).toThrow(/successes1/);
    expect(() => newcombeInterval(1, 2, 1, -2)).toThrow(/trials2/);
  });
});

describe('twoProportionZTest', () => {
  it('z^2 equals Pearson chi-square without continuity correction', () => {
    // scipy.stats.chi2_contingency([[56, 14], [48, 32]], correction=False): statistic 7.023411371237456,
    // p 0.008045081368196585 (= R prop.test(c(56, 48), c(70, 80), correct = FALSE)).
    const r = twoProportionZTest(56, 70, 48, 80);
    expect(r.difference).toBeCloseTo(0.2, 14);
    expect(r.z * r.z).toBeCloseTo(7.023411371237456, 10);
    expect(r.pValue).toBeCloseTo(0.008045081368196585, 12);
  });

  it('keeps precision for a tiny p-value (Hillstrom visit, Womens vs No E-Mail)', () => {
    // scipy chi2_contingency([[3238, 18149], [2262, 19044]], correction=False): 194.57964095303822, p 3.1824031593347586e-44
    const r = twoProportionZTest(3238, 21387, 2262, 21306);
    expect(r.z * r.z).toBeCloseTo(194.57964095303822, 8);
    expect(Math.abs(r.pValue / 3.1824031593347586e-44 - 1)).toBeLessThan(1e-9);
  });

  it('returns p = 1 when there is no variation', () => {
    expect(twoProportionZTest(0, 10, 0, 12)).toEqual({ difference: 0, z: 0, pValue: 1 });
  });
});
