/**
 * Power, sample size and minimum detectable effect for comparing two conversion rates, used to choose the
 * hold-out (control) size before a storm campaign. Normal approximation with the pooled variance under H0 and
 * unpooled under H1, the same as R's `power.prop.test` (strict = FALSE: the far rejection tail is ignored),
 * generalized to unequal arms.
 */
import { DEFAULT_ALPHA, DEFAULT_CONTROL_SHARE, DEFAULT_POWER } from './constants.ts';
import { normalCdf, normalQuantileUpper } from './distributions/normal.ts';
import { assertClosedUnit, assertOpenUnit, assertPositive } from './validate.ts';

/** Inputs for a power calculation at fixed arm sizes. */
export interface PowerInput {
  controlRate: number;
  treatRate: number;
  nTreat: number;
  nControl: number;
  alpha?: number;
}

/**
 * Power of the two-sided pooled z-test to detect treatRate vs controlRate with the given arm sizes.
 *
 * @example
 * powerTwoProportions({ controlRate: 0.5, treatRate: 0.75, nTreat: 50, nControl: 50 }); // 0.7401659 (R power.prop.test)
 */
export function powerTwoProportions(input: PowerInput): number {
  const { controlRate, treatRate, nTreat, nControl } = input;
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  assertClosedUnit('controlRate', controlRate);
  assertClosedUnit('treatRate', treatRate);
  assertPositive('nTreat', nTreat);
  assertPositive('nControl', nControl);
  assertOpenUnit('alpha', alpha);
  const pooled = (nTreat * treatRate + nControl * controlRate) / (nTreat + nControl);
  const sd0 = Math.sqrt(pooled * (1 - pooled) * (1 / nTreat + 1 / nControl));
  const sd1 = Math.sqrt((treatRate * (1 - treatRate)) / nTreat + (controlRate * (1 - controlRate)) / nControl);
  const delta = Math.abs(treatRate - controlRate);
  if (sd1 === 0) return delta > 0 ? 1 : alpha / 2;
  return normalCdf((delta - normalQuantileUpper(alpha / 2) * sd0) / sd1);
}

/** Inputs for sizing an experiment. */
export interface SampleSizeInput {
  controlRate: number;
  treatRate: number;
  alpha?: number;
  power?: number;
  /** Fraction of units held out as control (default 0.5). */
  controlShare?: number;
}

/** Required units per arm (rounded up) and the unrounded total. */
export interface SampleSize {
  treat: number;
  control: number;
  total: number;
  unroundedTotal: number;
}

/**
 * Units needed so the two-sided test reaches `power` (default 0.8) at `alpha`, with a `controlShare` hold-out.
 * Closed form: sqrt(N) |d| = z_{a/2} sqrt(pbar qbar k) + z_b sqrt(pT qT / (1 - c) + pC qC / c), k = 1/(1-c) + 1/c.
 *
 * @example
 * requiredSampleSize({ controlRate: 0.5, treatRate: 0.75, power: 0.9 }).unroundedTotal / 2; // 76.70693 (R power.prop.test)
 */
export function requiredSampleSize(input: SampleSizeInput): SampleSize {
  const { controlRate: pC, treatRate: pT } = input;
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  const power = input.power ?? DEFAULT_POWER;
  const c = input.controlShare ?? DEFAULT_CONTROL_SHARE;
  assertOpenUnit('controlRate', pC);
  assertOpenUnit('treatRate', pT);
  assertOpenUnit('alpha', alpha);
  assertOpenUnit('power', power);
  assertOpenUnit('controlShare', c);
  if (pT === pC) throw new RangeError('treatRate must differ from controlRate');
  const pbar = (1 - c) * pT + c * pC;
  const null0 = Math.sqrt(pbar * (1 - pbar) * (1 / (1 - c) + 1 / c));
  const alt = Math.sqrt((pT * (1 - pT)) / (1 - c) + (pC * (1 - pC)) / c);
  const root = (normalQuantileUpper(alpha / 2) * null0 + normalQuantileUpper(1 - power) * alt) / Math.abs(pT - pC);
  const unroundedTotal = root * root;
  const treat = Math.ceil(unroundedTotal * (1 - c));
  const control = Math.ceil(unroundedTotal * c);
  return { treat, control, total: treat + control, unroundedTotal };
}

/** Inputs for the minimum detectable effect. */
export interface MdeInput {
  controlRate: number;
  nTreat: number;
  nControl: number;
  alpha?: number;
  power?: number;
}

/**
 * Smallest absolute increase d such that a treat rate of controlRate + d is detected with `power` (default 0.8).
 * Solved by bisection on d in (0, 1 - controlRate); returns NaN if even d = 1 - controlRate is underpowered.
 *
 * @example
 * minimumDetectableEffect({ controlRate: 0.1, nTreat: 5000, nControl: 5000 }); // 0.01744
 */
export function minimumDetectableEffect(input: MdeInput): number {
  const { controlRate, nTreat, nControl } = input;
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  const power = input.power ?? DEFAULT_POWER;
  assertOpenUnit('controlRate', controlRate);
  assertOpenUnit('power', power);
  const at = (d: number): number =>
    powerTwoProportions({ controlRate, treatRate: controlRate + d, nTreat, nControl, alpha });
  let lo = 0;
  let hi = 1 - controlRate;
  if (at(hi) < power) return NaN;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) < power) lo = mid;
    else hi = mid;
  }
  return hi;
}
