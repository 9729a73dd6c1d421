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
  const threshold = options.threshold ?? SRM_P_THRESHOLD;
  const minUnits = options.minUnitsPerArm ?? SRM_MIN_UNITS_PER_ARM;
  assertOpenUnit('options.threshold', threshold);
  assertPositiveCount('options.minUnitsPerArm', minUnits);
  const total = nTreat + nControl;
  const expectedControl = total * expectedControlShare;
  const expectedTreat = total - expectedControl;
  const chiSquare =
    total === 0
      ? 0
      : (nControl - expectedControl) ** 2 / expectedControl + (nTreat - expectedTreat) ** 2 / expectedTreat;
  const pValue = chiSquareSf(chiSquare, 1);
  const base = { chiSquare, pValue, expectedControlShare };
  if (nTreat < minUnits || nControl < minUnits) {
    return { ...base, flagged: false, reason: `not tested: each arm needs at least ${minUnits} units` };
  }
  if (pValue < threshold) {
    return { ...base, flagged: true, reason: `sample ratio mismatch: p = ${pValue.toPrecision(3)} < ${threshold}` };
  }
  return { ...base, flagged: false, reason: null };
}
