import { describe, expect, it } from 'vitest';
import { createRng, sampleWithoutReplacement, trainTestSplit } from './random.ts';

describe('seeded PRNG', () => {
  it('repeats a stream for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(sa);
    expect(c.next()).not.toBe(sa[0]);
  });
  it('is roughly uniform', () => {
    const r = createRng(1);
    let s = 0;
    for (let i = 0; i < 100_000; i++) s += r.next();
    expect(s / 100_000).toBeCloseTo(0.5, 2);
  });
  it('samples distinct indices and splits rows', () => {
    const k = sampleWithoutReplacement(100, 10, createRng(2));
    expect(new Set(k).size).toBe(10);
    const { train, test } = trainTestSplit(1000, 0.3, 1);
    expect(test.length).toBe(300);
    expect(new Set([...train, ...test]).size).toBe(1000);
    expect(() => trainTestSplit(10, 1, 1)).toThrow(/testFraction/);
  });
});
