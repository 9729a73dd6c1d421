/**
 * Seeded pseudo-random numbers. Every stochastic step in the package (bootstrap, feature sampling,
 * validation splits) draws from here so that a model is a pure function of (data, params, seed).
 */

/** A seeded generator: `next()` is uniform in [0, 1), `int(n)` uniform in {0..n-1}. */
export interface Rng {
  next(): number;
  int(n: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
}

/**
 * Mulberry32 seeded with a SplitMix32 scramble of `seed`; 32-bit state, period 2^32, ample for sampling.
 *
 * @example
 * const rng = createRng(42);
 * const u = rng.next(); // same value on every run
 */
export function createRng(seed: number): Rng {
  let s = splitMix32(seed >>> 0);
  const next = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number): number => Math.floor(next() * n),
    normal: (): number => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * In-place Fisher-Yates shuffle of an index array.
 *
 * @example
 * const idx = shuffle(Int32Array.from({ length: 5 }, (_, i) => i), createRng(1));
 */
export function shuffle<T extends Int32Array | Uint32Array>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/**
 * `k` distinct integers drawn from {0..n-1} (partial Fisher-Yates over a scratch array, which is
 * reset afterwards so it can be reused across calls without reallocation).
 */
export function sampleWithoutReplacement(n: number, k: number, rng: Rng, scratch?: Int32Array): Int32Array {
  const pool = scratch ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
    out[i] = pool[i]!;
  }
  if (scratch) for (let i = 0; i < n; i++) scratch[i] = i;
  return out;
}

/**
 * Random train/test split of row indices.
 *
 * @example
 * const { train, test } = trainTestSplit(1000, 0.5, 7);
 */
export function trainTestSplit(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  if (!(testFraction > 0 && testFraction < 1))
    throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const idx = shuffle(
    Int32Array.from({ length: n }, (_, i) => i),
    createRng(seed),
  );
  const nTest = Math.round(n * testFraction);
  return { test: idx.slice(0, nTest).sort(), train: idx.slice(nTest).sort() };
}
