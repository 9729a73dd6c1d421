/**
 * Statistics defaults for StormOps, in one place so every analysis (API, CLI, jobs) agrees.
 * Change a default here, never inline.
 */

/** Two-sided significance level used for every confidence interval and test unless the caller overrides it. */
export const DEFAULT_ALPHA = 0.05;

/** Share of units the experiment design sends to the control (hold-out) arm. */
export const DEFAULT_CONTROL_SHARE = 0.5;

/** Sample-ratio-mismatch alarm: flag when the chi-square p-value falls below this (stricter than alpha on purpose). */
export const SRM_P_THRESHOLD = 0.001;

/** SRM is only meaningful with at least this many units in each arm; below it we never flag. */
export const SRM_MIN_UNITS_PER_ARM = 8;

/** Target power when sizing a hold-out or computing a minimum detectable effect. */
export const DEFAULT_POWER = 0.8;

/** Bootstrap resamples for percentile intervals (ROI and other ratio statistics). */
export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;

/** Seed for the bootstrap PRNG so repeated analyses of the same data give the same interval. */
export const DEFAULT_BOOTSTRAP_SEED = 20_080_501;

/** Convergence tolerance for continued fractions and series in the special functions. */
export const SPECIAL_FUNCTION_EPSILON = 1e-15;

/** Iteration cap for continued fractions and series (large shape parameters need ~sqrt(a) terms). */
export const SPECIAL_FUNCTION_MAX_ITERATIONS = 100_000;

/** Fisher's exact test: tables whose probability is within this relative factor of the observed one count as "as extreme" (R uses 1 + 1e-7). */
export const FISHER_RELATIVE_TOLERANCE = 1e-7;
