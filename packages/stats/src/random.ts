/**
 * Small seeded PRNGs for reproducible resampling and simulation. Not cryptographic.
 */

/** A function returning uniform doubles in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, passes gjrand/PractRand at the sizes we use.
 *
 * @example
 * const rand = mulberry32(42);
 * rand(); // same value on every run and platform
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Uniform integer in [0, n) from a PRNG (n <= 2^32).
 *
 * @example
 * randomInt(mulberry32(1), 6); // a die roll in 0..5
 */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/**
 * Standard normal deviate by the Box-Muller transform (one of the pair; simple beats fast here).
 *
 * @example
 * randomNormal(mulberry32(7)); // ~N(0, 1)
 */
export function randomNormal(random: Random): number {
  const u = 1 - random(); // (0, 1], keeps log finite
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Binomial(n, p) deviate by summing Bernoulli draws (O(n); for tests and small simulations).
 *
 * @example
 * randomBinomial(mulberry32(3), 100, 0.1); // around 10
 */
export function randomBinomial(random: Random, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}
