import { describe, expect, it } from 'vitest';
import { srmTest, srmTestK } from './srm.ts';

describe('srmTest', () => {
  it('matches scipy.stats.chisquare against an even split (Hillstrom Womens vs No E-Mail arm sizes)', () => {
    // scipy 1.17.1 chisquare([21387, 21306]): statistic 0.15367858899585413, p 0.6950444648439206
    const r = srmTest(21387, 21306);
    expect(r.chiSquare).toBeCloseTo(0.15367858899585413, 12);
    expect(r.pValue).toBeCloseTo(0.6950444648439206, 12);
    expect(r.flagged).toBe(false);
    expect(r.reason).toBeNull();
  });

  it('matches scipy for a moderate imbalance and is not flagged above 0.001', () => {
    // scipy chisquare([500, 420]): statistic 6.956521739130435, p 0.008351423441556899
    const r = srmTest(500, 420);
    expect(r.chiSquare).toBeCloseTo(6.956521739130435, 12);
    expect(r.pValue).toBeCloseTo(0.008351423441556899, 12);
    expect(r.flagged).toBe(false);
  });

  it('flags a real mismatch against the intended share', () => {
    // 60/40 design but a 50/50 outcome: scipy chisquare([21387, 21306], [0.6 n, 0.4 n]) = 1745.2850818635368
    const r = srmTest(21387, 21306, 0.4);
    expect(r.chiSquare).toBeCloseTo(1745.2850818635368, 9);
    expect(r.flagged).toBe(true);
    expect(r.reason).toMatch(/sample ratio mismatch/);
  });

  it('never flags arms with fewer than 8 units, and says why', () => {
    const r = srmTest(7, 200);
    expect(r.pValue).toBeLessThan(0.001);
    expect(r.flagged).toBe(false);
    expect(r.reason).toMatch(/at least 8 units/);
    expect(srmTest(8, 200).flagged).toBe(true);
    expect(srmTest(0, 0).flagged).toBe(false);
  });

  it('respects custom thresholds', () => {
    expect(srmTest(500, 420, 0.5, { threshold: 0.01 }).flagged).toBe(true);
  });

  it('validates arguments', () => {
    expect(() => srmTest(-1, 3)).toThrow(/nTreat/);
    expect(() => srmTest(1, 3, 1)).toThrow(/expectedControlShare/);
    expect(() => srmTest(1, 3, 0.5, { threshold: 2 })).toThrow(/threshold/);
  });
});

describe('srmTestK', () => {
  it('matches scipy.stats.chisquare over three arms', () => {
    // scipy 1.17.1: chisquare([1000, 1100, 900], [1000, 1000, 1000]) -> statistic 20.0, p 4.539992976248486e-05
    const r = srmTestK([1000, 1100, 900], [1 / 3, 1 / 3, 1 / 3]);
    expect(r.chiSquare).toBeCloseTo(20, 9);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(4.539992976248486e-5, 12);
    expect(r.flagged).toBe(true);
    // chisquare([480, 260, 260], [500, 250, 250]) -> statistic 1.6, p 0.4493289641172217
    const ok = srmTestK([480, 260, 260], [0.5, 0.25, 0.25]);
    expect(ok.pValue).toBeCloseTo(0.4493289641172217, 12);
    expect(ok.flagged).toBe(false);
  });

  it('agrees with the two-arm test', () => {
    const two = srmTest(500, 420, 0.45);
    const k = srmTestK([500, 420], [0.55, 0.45]);
    expect(k.pValue).toBeCloseTo(two.pValue, 14);
    expect(k.chiSquare).toBeCloseTo(two.chiSquare, 12);
  });

  it('refuses shares that do not sum to 1 or do not match the arms', () => {
    expect(() => srmTestK([10, 10, 10], [0.5, 0.5, 0.5])).toThrow(/sum to 1/);
    expect(() => srmTestK([10, 10], [1])).toThrow(/entries/);
    expect(() => srmTestK([10], [1])).toThrow(/at least 2/);
  });
});
