/**
 * How many threads the uplift engine uses (training, binning, scoring). One by default, so the library alone
 * never starts a thread; the server and the CLI set it from STORMOPS_THREADS (all cores unless limited).
 * Results do not depend on the setting: work is split by feature, tree or row range and combined in a fixed order.
 */
import { availableParallelism } from 'node:os';

/** Upper bound on the setting (a typo like 1000 is refused rather than starting 1000 threads). */
export const MAX_THREADS = 64;

let threads = 1;

/**
 * Parses a thread setting: 'auto' (all cores) or an integer in 1..MAX_THREADS; anything else throws naming `name`.
 *
 * @example
 * parseThreads('auto'); // availableParallelism()
 * parseThreads('2');    // 2
 */
export function parseThreads(value: string | number, name = 'threads'): number {
  const s = String(value).trim();
  if (s === 'auto') return Math.min(MAX_THREADS, availableParallelism());
  if (!/^[0-9]+$/.test(s) || Number(s) < 1 || Number(s) > MAX_THREADS) {
    throw new RangeError(`${name} must be 'auto' or an integer from 1 to ${MAX_THREADS}, got '${s}'`);
  }
  return Number(s);
}

/**
 * Sets the number of threads (including the calling one) for later fits and predictions.
 *
 * @example
 * setUpliftThreads('auto');
 */
export function setUpliftThreads(n: number | 'auto'): number {
  threads = parseThreads(n);
  return threads;
}

/** The current thread setting. */
export function upliftThreads(): number {
  return threads;
}

/**
 * Runs `fn` with the thread setting temporarily at `n` (used when the calling thread is one of several
 * running independent fits side by side).
 */
export function withThreads<T>(n: number, fn: () => T): T {
  const saved = threads;
  threads = n;
  try {
    return fn();
  } finally {
    threads = saved;
  }
}
