import { describe, expect, it } from 'vitest';
import { fisherExactTest, logChoose } from './fisher.ts';

/** Exact two-sided Fisher p-value with BigInt binomials: an independent check of the log-space code. */
function exactFisher(a: number, b: number, c: number, d: number): number {
  const choose = (n: number, k: number): bigint => {
    let r = 1n;
    for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
    return r;
  };
  const [r1, r2, c1] = [a + b, c + d, a + c];
  const weight = (x: number): bigint => choose(r1, x) * choose(r2, c1 - x);
  const observed = weight(a);
  let extreme = 0n;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(c1, r1); x++) if (weight(x) <= observed) extreme += weight(x);
  const total = choose(r1 + r2, c1);
  return Number((extreme * 10n ** 18n) / total) / 1e18;
}

describe('fisherExactTest', () => {
  it("reproduces R's TeaTasting example: p = 34/70", () => {
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857; exactly (1 + 16 + 16 + 1) / 70.
    expect(fisherExactTest(3, 1, 1, 3).pValue).toBeCloseTo(34 / 70, 12);
  });

  it('matches scipy.stats.fisher_exact', () => {
    // scipy 1.17.1 fisher_exact([[1, 9], [11, 3]]) = 0.0027594561852200836 (Wikipedia's dieting example)
    expect(fisherExactTest(1, 9, 11, 3).pValue).toBeCloseTo(0.0027594561852200836, 12);
    expect(fisherExactTest(1, 9, 11, 3).sampleOddsRatio).toBeCloseTo(3 / 99, 14);
    // fisher_exact([[2, 7], [8, 2]]) = 0.02301413756522116; ([[10, 20], [30, 40]]) = 0.5044757698516285
    expect(fisherExactTest(2, 7, 8, 2).pValue).toBeCloseTo(0.02301413756522116, 12);
    expect(fisherExactTest(10, 20, 30, 40).pValue).toBeCloseTo(0.5044757698516285, 12);
  });

  it('agrees with exact BigInt combinatorics on a grid of small tables', () => {
    for (const [a, b, c, d] of [
      [0, 5, 5, 0],
      [7, 2, 3, 9],
      [12, 40, 3, 51],
      [0, 0, 4, 6],
      [25, 25, 25, 25],
    ] as const) {
      expect(fisherExactTest(a, b, c, d).pValue).toBeCloseTo(exactFisher(a, b, c, d), 12);
    }
  });

  it('handles large margins in log space', () => {
    // scipy fisher_exact([[300, 9700], [220, 9780]]) = 0.00043742975636254007
    const p = fisherExactTest(300, 9700, 220, 9780).pValue;
    expect(Math.abs(p / 0.00043742975636254007 - 1)).toBeLessThan(1e-9);
    expect(Math.exp(logChoose(50, 25))).toBeCloseTo(126410606437752, -2);
  });

  it('validates arguments', () => {
    expect(() => fisherExactTest(-1, 2, 3, 4)).toThrow(/a must be a non-negative integer/);
    expect(() => fisherExactTest(1, 2.5, 3, 4)).toThrow(/\bb\b/);
  });
});
