import { describe, expect, it } from 'vitest';
import { benjaminiHochbergAdjust, holmAdjust } from './multiple-testing.ts';

// Expected values worked by hand from the definitions in R's ?p.adjust and checked against
// scipy 1.17.1 scipy.stats.false_discovery_control (BH).
describe('holmAdjust', () => {
  it('matches p.adjust(p, "holm")', () => {
    // sorted p * (m - rank + 1), cumulative max, capped at 1
    expect(holmAdjust([0.01, 0.02, 0.03, 0.04, 0.05]).map((p) => Number(p.toFixed(12)))).toEqual([
      0.05, 0.08, 0.09, 0.09, 0.09,
    ]);
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.2, 0.005, 0.5, 0.049]);
    const expected = [0.06, 0.16, 0.15, 0.4, 0.035, 0.5, 0.16];
    adjusted.forEach((p, i) => expect(p).toBeCloseTo(expected[i] ?? NaN, 12));
    expect(holmAdjust([0.3, 0.6])).toEqual([0.6, 0.6]);
  });
});

describe('benjaminiHochbergAdjust', () => {
  it('matches p.adjust(p, "BH") and scipy.stats.false_discovery_control', () => {
    const a = benjaminiHochbergAdjust([0.01, 0.04, 0.03, 0.2]);
    [0.04, 0.16 / 3, 0.16 / 3, 0.2].forEach((p, i) => expect(a[i]).toBeCloseTo(p, 12));
    // scipy: [0.035, 0.0686, 0.0686, 0.23333333333333336, 0.035, 0.5, 0.0686]
    const b = benjaminiHochbergAdjust([0.01, 0.04, 0.03, 0.2, 0.005, 0.5, 0.049]);
    [0.035, 0.0686, 0.0686, 0.23333333333333336, 0.035, 0.5, 0.0686].forEach((p, i) => expect(b[i]).toBeCloseTo(p, 12));
  });

  it('never adjusts below the raw p-value and handles empty input', () => {
    const p = [0.2, 0.01, 0.7, 0.03];
    benjaminiHochbergAdjust(p).forEach((q, i) => expect(q).toBeGreaterThanOrEqual(p[i] ?? 1));
    expect(benjaminiHochbergAdjust([])).toEqual([]);
  });

  it('validates p-values', () => {
    expect(() => holmAdjust([0.1, 1.2])).toThrow(/pValues\[1\]/);
    expect(() => benjaminiHochbergAdjust([Number.NaN])).toThrow(/pValues\[0\]/);
  });
});
