/**
 * The hidden truth of the synthetic storms: a base conversion probability (the homeowner signs without a knock) and
 * the true uplift tau(x) of a knock. Models never see these; evaluations compare predicted uplift with them.
 * tau grows with hail exposure, roof age and owner occupancy, peaks at mid home values, and turns negative for a
 * homeowner contacted in the last 60 days (a second knock annoys).
 */

export interface UpliftFeatures {
  /** Largest hail within 5 miles (inches; 0 when none). */
  hailInches: number;
  roofAgeYears: number;
  ownerOccupied: boolean;
  homeValueCents: number;
  priorCustomer: boolean;
  /** Days since the contractor last contacted the homeowner; null when never. */
  daysSinceContact: number | null;
}

export const UPLIFT_CONSTANTS = {
  /** Hail below this (inches) does not damage a roof. */
  damagingHailInches: 0.75,
  /** Hail at which damage saturates. */
  saturatingHailInches: 2.5,
  /** Roof age at which the roof effect saturates. */
  oldRoofYears: 20,
  /** Home value (dollars) where the knock works best. */
  sweetSpotDollars: 200_000,
  recentContactDays: 60,
} as const;

/** 0..1 damage from hail size. */
export function hailSeverity(hailInches: number): number {
  const { damagingHailInches: lo, saturatingHailInches: hi } = UPLIFT_CONSTANTS;
  return hailInches <= lo ? 0 : Math.min(1, (hailInches - lo) / (hi - lo));
}

/** P(signed job | no knock). */
export function baseConversion(f: UpliftFeatures): number {
  const hail = hailSeverity(f.hailInches);
  const roof = Math.min(1, f.roofAgeYears / UPLIFT_CONSTANTS.oldRoofYears);
  return 0.02 + 0.06 * hail + 0.02 * roof + (f.priorCustomer ? 0.03 : 0);
}

/** tau(x) before clipping to valid probabilities; see `trueUplift` for the effective value. */
export function rawUplift(f: UpliftFeatures): number {
  const hail = hailSeverity(f.hailInches);
  const roof = Math.min(1, f.roofAgeYears / UPLIFT_CONSTANTS.oldRoofYears);
  const owner = f.ownerOccupied ? 1 : 0.35;
  const logRatio = Math.log(Math.max(1, f.homeValueCents / 100) / UPLIFT_CONSTANTS.sweetSpotDollars);
  const midValue = Math.exp(-(logRatio * logRatio) / (2 * 0.45 * 0.45));
  let tau = 0.015 + 0.22 * hail * (0.35 + 0.65 * roof) * owner * (0.4 + 0.6 * midValue);
  if (f.daysSinceContact !== null && f.daysSinceContact < UPLIFT_CONSTANTS.recentContactDays) tau -= 0.05;
  return tau;
}

/** P(signed job | knock). */
export function treatedConversion(f: UpliftFeatures): number {
  return Math.min(0.95, Math.max(0.001, baseConversion(f) + rawUplift(f)));
}

/** The effective true uplift: P(sign | knock) - P(sign | no knock). */
export function trueUplift(f: UpliftFeatures): number {
  return treatedConversion(f) - baseConversion(f);
}
