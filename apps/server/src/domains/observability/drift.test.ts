import { describe, expect, it } from 'vitest';
import { scoreReference } from '../models/training.ts';
import { drift, ksTest, normedWasserstein, psi, referenceCdf, referenceQuantile } from './drift.ts';

/** A seeded stream of normal draws (Box-Muller over mulberry32). */
function normals(n: number, mean: number, sd: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from(
    { length: n },
    () => mean + sd * Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u()),
  );
}

describe('uplift drift', () => {
  const ref = scoreReference(normals(50_000, 0.2, 0.05, 1));

  it('PSI is 0 for a sample spread exactly over the reference deciles, and follows the formula', () => {
    const even = Float64Array.from({ length: 1000 }, (_, i) => referenceQuantile(ref, (i + 0.5) / 1000));
    expect(psi(even, ref.deciles)).toBeCloseTo(0, 2);
    // All mass in the top bin: (1 - 0.1) ln(10) + 9 (1e-4 - 0.1) ln(1e-3).
    const top = new Float64Array(100).fill(ref.max + 1);
    expect(psi(top, ref.deciles)).toBeCloseTo(0.9 * Math.log(10) + 9 * (1e-4 - 0.1) * Math.log(1e-3), 10);
  });

  it('reference CDF and quantile invert each other', () => {
    for (const u of [0.013, 0.25, 0.5, 0.77, 0.999])
      expect(referenceCdf(ref, referenceQuantile(ref, u))).toBeCloseTo(u, 9);
  });

  it('finds no drift in a fresh sample of the same distribution, small or large', () => {
    for (const n of [300, 20_000]) {
      const r = drift(normals(n, 0.2, 0.05, 7 + n), ref);
      expect(r.drift_detected, `n=${n}`).toBe(false);
      expect(r.psi).toBeLessThan(0.1);
    }
    expect(drift(normals(300, 0.2, 0.05, 3), ref).test.method).toBe('ks');
    expect(drift(normals(5000, 0.2, 0.05, 3), ref).test.method).toBe('wasserstein');
  });

  it('detects a synthetic shift in scores with every method', () => {
    const small = drift(normals(300, 0.26, 0.05, 11), ref);
    expect(small).toMatchObject({ drift_detected: true, psi_level: 'alert' });
    expect(ksTest(normals(300, 0.26, 0.05, 11), ref).p_value).toBeLessThan(1e-6);
    const large = normals(20_000, 0.215, 0.05, 12); // a shift of 0.3 sd: Wasserstein ~0.3
    expect(normedWasserstein(large, ref)).toBeCloseTo(0.3, 1);
    expect(drift(large, ref).drift_detected).toBe(true);
  });
});
