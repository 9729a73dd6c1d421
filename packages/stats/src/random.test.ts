import { describe, expect, it } from 'vitest';
import { chiSquareSf } from './distributions/chi-square.ts';
import { mulberry32, randomBinomial, randomInt, randomNormal } from './random.ts';

describe('mulberry32', () => {
  it('is deterministic by seed and in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const c = mulberry32(124);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("matches Tommy Ettinger's reference C algorithm evaluated with exact uint32 BigInt arithmetic", () => {
    // Guards the Math.imul / signed-shift subtleties of the JavaScript port.
    const ref = (seed: number): number => {
      const m = (x: bigint): bigint => x & 0xffffffffn;
      const mul = (x: bigint, y: bigint): bigint => m(x * y);
      let t = m(BigInt(seed) + 0x6d2b79f5n);
      t = mul(t ^ (t >> 15n), t | 1n);
      t = m(t ^ m(t + mul(t ^ (t >> 7n), t | 61n)));
      return Number(t ^ (t >> 14n)) / 4294967296;
    };
    expect(mulberry32(0)()).toBe(ref(0));
    expect(mulberry32(987654321)()).toBe(ref(987654321));
  });

  it('is uniform by a chi-square test over 20 bins', () => {
    const random = mulberry32(5);
    const bins = new Float64Array(20);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const k = randomInt(random, 20);
      bins[k] = (bins[k] ?? 0) + 1;
    }
    let stat = 0;
    for (const count of bins) stat += (count - n / 20) ** 2 / (n / 20);
    expect(chiSquareSf(stat, 19)).toBeGreaterThan(0.001);
  });

  it('gives normal and binomial deviates with the right moments', () => {
    const random = mulberry32(11);
    let [s, ss] = [0, 0];
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const z = randomNormal(random);
      s += z;
      ss += z * z;
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(ss / n).toBeCloseTo(1, 1);
    let total = 0;
    for (let i = 0; i < 1000; i++) total += randomBinomial(random, 100, 0.2);
    expect(total / 1000).toBeCloseTo(20, 0);
  });
});
