/** The registry's Qini curve: points of scikit-uplift's curve at evenly spaced shares, ends included. */
import { describe, expect, it } from 'vitest';
import { qiniCurve } from '@stormops/uplift';
import { qiniPoints } from './qini-points.ts';

function sample(n: number, seed: number) {
  let s = seed;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const t = Float64Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0));
  const score = Float64Array.from({ length: n }, () => rnd());
  // Treated homes with a high score convert more: a real, rankable uplift.
  const y = Float64Array.from({ length: n }, (_, i) => (rnd() < 0.1 + 0.3 * t[i]! * score[i]! ? 1 : 0));
  return { y, score, t };
}

describe('qiniPoints', () => {
  it('keeps the curve whole when it is short: the same points as qiniCurve, as shares of the hold-out', () => {
    const p = qiniPoints([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], [1, 0, 1, 0]);
    expect(p).toEqual({ targeted_share: [0, 0.25, 0.75, 1], incremental: [0, 1, 2, 2] });
  });

  it('thins a long curve to at most 51 points of it, from (0, 0) to the whole hold-out, shares increasing', () => {
    const { y, score, t } = sample(20_000, 7);
    const full = qiniCurve(y, score, t);
    const p = qiniPoints(y, score, t);
    expect(p.targeted_share.length).toBeLessThanOrEqual(51);
    expect(p.targeted_share.length).toBeGreaterThan(40);
    expect(p.targeted_share[0]).toBe(0);
    expect(p.incremental[0]).toBe(0);
    expect(p.targeted_share.at(-1)).toBe(1);
    expect(p.incremental.at(-1)).toBeCloseTo(full.y[full.y.length - 1]!, 5);
    for (let i = 1; i < p.targeted_share.length; i++)
      expect(p.targeted_share[i]!).toBeGreaterThan(p.targeted_share[i - 1]!);
    // Every point lies on the full curve.
    const n = full.x[full.x.length - 1]!;
    for (let i = 0; i < p.targeted_share.length; i++) {
      const j = full.x.findIndex((x) => Math.abs(x / n - p.targeted_share[i]!) < 1e-6);
      expect(j).toBeGreaterThanOrEqual(0);
      expect(p.incremental[i]).toBeCloseTo(full.y[j]!, 5);
    }
    // A model that ranks well gains more in its first half than a random half would (the diagonal).
    const half = p.targeted_share.findIndex((x) => x >= 0.5);
    expect(p.incremental[half]!).toBeGreaterThan(p.incremental.at(-1)! * p.targeted_share[half]!);
  });
});
