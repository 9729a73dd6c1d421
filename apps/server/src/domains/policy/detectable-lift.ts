/**
 * The smallest lift a storm's arms can detect: with n on the knock list and m held out, the absolute lift that a
 * two-sided z-test at alpha finds with 80% power (minimumDetectableEffect from @stormops/stats). `policy apply` says
 * it before anyone knocks, with a planning hold-out signing rate; the pilot report says it after, with the observed
 * one. A hold group too small for the target lift is warned about, since a "no lift" verdict then means little.
 */
import { minimumDetectableEffect } from '@stormops/stats';

/** Share of held-out homes that sign anyway, for planning: storm-area homeowners call roofers on their own. */
export const PLANNING_HOLD_RATE = 0.03;
/** The playbook's lift target, in points: "Treatment > Control by 10+ pts". */
export const TARGET_LIFT_PTS = 10;
export const DETECTION_POWER = 0.8;

export interface DetectableLift {
  /** Smallest detectable absolute lift in points; null when the arms are empty or nothing is detectable. */
  pts: number | null;
  power: number;
  alpha: number;
  /** The hold-out signing rate assumed (planning) or observed (report). */
  base_rate: number;
  base_rate_source: 'planning' | 'observed';
  /** True when the target lift is below what the arms can detect. */
  underpowered: boolean;
}

export function detectableLift(
  nTreat: number,
  nHold: number,
  opts: { baseRate?: number; alpha?: number; targetPts?: number } = {},
): DetectableLift {
  const alpha = opts.alpha ?? 0.05;
  const observed = opts.baseRate !== undefined;
  const base = Math.min(0.98, Math.max(0.005, opts.baseRate ?? PLANNING_HOLD_RATE));
  const mde =
    nTreat > 0 && nHold > 0
      ? minimumDetectableEffect({ controlRate: base, nTreat, nControl: nHold, alpha, power: DETECTION_POWER })
      : NaN;
  const pts = Number.isFinite(mde) ? Math.round(mde * 100_000) / 1000 : null;
  return {
    pts,
    power: DETECTION_POWER,
    alpha,
    base_rate: base,
    base_rate_source: observed ? 'observed' : 'planning',
    underpowered: pts === null || pts > (opts.targetPts ?? TARGET_LIFT_PTS),
  };
}

/** The warning line, or null when the arms can detect the target. */
export function detectableLiftWarning(d: DetectableLift, targetPts = TARGET_LIFT_PTS): string | null {
  if (!d.underpowered) return null;
  return d.pts === null
    ? `the arms are too small to detect any lift at ${Math.round(d.power * 100)}% power`
    : `with these arms the smallest lift detectable at ${Math.round(d.power * 100)}% power is ${d.pts.toFixed(1)} pts, above the ${targetPts}-pt target: hold out more homes or run a larger storm, or a "no lift" result means little`;
}
