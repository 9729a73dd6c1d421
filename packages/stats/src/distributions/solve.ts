/**
 * Safeguarded Newton root finding for the quantile functions: the tail probabilities are monotone, so a
 * bracket plus Newton (falling back to bisection whenever Newton leaves the bracket) always converges.
 */

const MAX_EXPANSIONS = 2_000;
const MAX_ITERATIONS = 300;
const RELATIVE_TOLERANCE = 1e-15;

/**
 * Root of an increasing function `f` with derivative `fPrime`, starting at `x0`, inside [`min`, `max`].
 *
 * @example
 * solveIncreasing((x) => x * x - 2, (x) => 2 * x, 1, 0, Infinity); // 1.4142135623730951
 */
export function solveIncreasing(
  f: (x: number) => number,
  fPrime: (x: number) => number,
  x0: number,
  min: number,
  max: number,
): number {
  let [lo, hi] = bracket(f, x0, min, max);
  let x = Math.min(Math.max(x0, lo), hi);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) lo = x;
    else hi = x;
    let next = x - fx / fPrime(x);
    if (!(next > lo && next < hi)) next = midpoint(lo, hi);
    if (Math.abs(next - x) <= RELATIVE_TOLERANCE * Math.abs(next) || hi - lo <= RELATIVE_TOLERANCE * Math.abs(hi)) {
      return next;
    }
    x = next;
  }
  return x;
}

/** Expands from x0 until f changes sign; returns [lo, hi] with f(lo) < 0 <= f(hi). */
function bracket(f: (x: number) => number, x0: number, min: number, max: number): [number, number] {
  let lo = min;
  let hi = max;
  const fx0 = f(x0);
  let step = Math.max(1, Math.abs(x0));
  if (fx0 < 0) {
    lo = x0;
    for (let i = 0; i < MAX_EXPANSIONS && hi === max; i++) {
      const candidate = Math.min(x0 + step, max);
      if (f(candidate) >= 0) hi = candidate;
      else lo = candidate;
      if (candidate === max) break;
      step *= 2;
    }
  } else {
    hi = x0;
    for (let i = 0; i < MAX_EXPANSIONS && lo === min; i++) {
      const candidate = Math.max(x0 - step, min);
      if (f(candidate) < 0) lo = candidate;
      else hi = candidate;
      if (candidate === min) break;
      step *= 2;
    }
  }
  return [lo, hi];
}

/** Midpoint that stays sensible across many orders of magnitude (geometric when both ends are positive). */
function midpoint(lo: number, hi: number): number {
  if (lo > 0 && hi / lo > 4) return Math.sqrt(lo * hi);
  if (hi < 0 && lo / hi > 4) return -Math.sqrt(lo * hi);
  return lo + (hi - lo) / 2;
}
