/**
 * Sample-ratio mismatch (SRM) check: did the randomizer actually send the intended share of units to control?
 * A mismatch usually means a bug (lost events, bad assignment), and invalidates the lift estimate.
 */
import { DEFAULT_CONTROL_SHARE, SRM_MIN_UNITS_PER_ARM, SRM_P_THRESHOLD } from './constants.ts';
import { chiSquareSf } from './distributions/chi-square.ts';
import { assertCount, assertOpenUnit, assertPositiveCount } from './validate.ts';

/** Outcome of the SRM check. */
export interface SrmResult {
  chiSquare: number;
  pValue: number;
  flagged: boolean;
  expectedControlShare: number;
  /** Why the result is what it is, for display; null when the test ran and did not flag. */
  reason: string | null;
}

/** Thresholds for the SRM check (defaults in constants.ts). */
export interface SrmOptions {
  /** Flag when p < threshold (default SRM_P_THRESHOLD = 0.001). */
  threshold?: number;
  /** Require at least this many units in each arm before flagging (default SRM_MIN_UNITS_PER_ARM = 8). */
  minUnitsPerArm?: number;
}

/** Outcome of the SRM check over k arms. */
export interface SrmKResult {
  chiSquare: number;
  df: number;
  pValue: number;
  flagged: boolean;
  expectedShares: number[];
  reason: string | null;
}

/**
 * Sample-ratio mismatch over k arms (or k policy batches): Pearson chi-square goodness-of-fit of the observed counts
 * against the intended shares, k - 1 degrees of freedom. Shares must be positive and sum to 1. Same thresholds as
 * `srmTest`: flags when p < 0.001 and every arm has at least 8 units.
 *
 * @example
 * srmTestK([1000, 1100, 900], [1 / 3, 1 / 3, 1 / 3]).pValue; // 4.54e-5 (scipy.stats.chisquare)
 */
export function srmTestK(
  counts: readonly number[],
  expectedShares: readonly number[],
  options: SrmOptions = {},
): SrmKResult {
  if (counts.length < 2) throw new RangeError(`counts needs at least 2 arms, got ${counts.length}`);
  if (expectedShares.length !== counts.length) {
    throw new RangeError(`expectedShares has ${expectedShares.length} entries for ${counts.length} arms`);
  }
  counts.forEach((c, i) => assertCount(`counts[${i}]`, c));
  expectedShares.forEach((s, i) => assertOpenUnit(`expectedShares[${i}]`, s));
  const shareSum = expectedShares.reduce((a, b) => a + b, 0);
  if (Math.abs(shareSum - 1) > 1e-9) throw new RangeError(`expectedShares must sum to 1, got ${shareSum}`);
  const threshold = options.threshold ?? SRM_P_THRESHOLD;
  const minUnits = options.minUnitsPerArm ?? SRM_MIN_UNITS_PER_ARM;
  assertOpenUnit('options.threshold', threshold);
  assertPositiveCount('options.minUnitsPerArm', minUnits);
  const total = counts.reduce((a, b) => a + b, 0);
  let chiSquare = 0;
  if (total > 0) {
    for (let i = 0; i < counts.length; i++) {
      const expected = total * (expectedShares[i] as number);
      chiSquare += ((counts[i] as number) - expected) ** 2 / expected;
    }
  }
  const df = counts.length - 1;
  const pValue = chiSquareSf(chiSquare, df);
  const base = { chiSquare, df, pValue, expectedShares: [...expectedShares] };
  if (counts.some((c) => c < minUnits)) {
    return { ...base, flagged: false, reason: `not tested: each arm needs at least ${minUnits} units` };
  }
  if (pValue < threshold) {
    return { ...base, flagged: true, reason: `sample ratio mismatch: p = ${pValue.toPrecision(3)} < ${threshold}` };
  }
  return { ...base, flagged: false, reason: null };
}

/**
 * Pearson chi-square goodness-of-fit test (1 df) of the arm sizes against the intended control share.
 * Flags when p < 0.001 and each arm has at least 8 units; with fewer units it never flags and says why.
 *
 * @example
 * srmTest(21387, 21306).flagged; // false (p = 0.70)
 */
export function srmTest(
  nTreat: number,
  nControl: number,
  expectedControlShare: number = DEFAULT_CONTROL_SHARE,
  options: SrmOptions = {},
): SrmResult {
  assertCount('nTreat', nTreat);
  assertCount('nControl', nControl);
  assertOpenUnit('expectedControlShare', expectedControlShare);
  const k = srmTestK([nTreat, nControl], [1 - expectedControlShare, expectedControlShare], options);
  return { chiSquare: k.chiSquare, pValue: k.pValue, flagged: k.flagged, expectedControlShare, reason: k.reason };
}
