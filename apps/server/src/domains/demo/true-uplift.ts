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

/**
 * How strong the hidden truth is. Same shape, other sizes:
 * - `planning` (the demo, `npm start` and `demo generate`): a roofer's business, inside the published canvassing
 *   planning ranges (docs/demo.md): about 1% of homes sign unknocked, 2-6% of knocked doors sign, a knock adds one to
 *   four points where it works; re-roof jobs of about $7.6k-12.8k (up to $29k).
 * - `strong` (tests and benchmarks): an exaggerated signal (a knock adds up to 22 points) so a model learns it from a
 *   few thousand rows; no contractor sees these rates.
 */
export interface Rates {
  base: { floor: number; hail: number; roof: number; prior: number };
  uplift: { floor: number; hail: number; recentContact: number };
  /** Installed price of a square foot of roof (dollars, low and high) and the job's bounds (dollars). */
  roofDollarsPerSqft: readonly [number, number];
  jobDollars: readonly [number, number];
}

export const RATES = {
  strong: {
    base: { floor: 0.02, hail: 0.06, roof: 0.02, prior: 0.03 },
    uplift: { floor: 0.015, hail: 0.22, recentContact: 0.05 },
    roofDollarsPerSqft: [4.5, 7],
    jobDollars: [8_000, 25_000],
  },
  planning: {
    base: { floor: 0.006, hail: 0.014, roof: 0.006, prior: 0.012 },
    uplift: { floor: 0.002, hail: 0.05, recentContact: 0.01 },
    roofDollarsPerSqft: [3.25, 4.75],
    jobDollars: [6_000, 29_000],
  },
} as const satisfies Record<string, Rates>;
export type RatesName = keyof typeof RATES;
export const RATES_NAMES = Object.keys(RATES) as RatesName[];

/** P(signed job | no knock). */
export function baseConversion(f: UpliftFeatures, rates: Rates = RATES.strong): number {
  const hail = hailSeverity(f.hailInches);
  const roof = Math.min(1, f.roofAgeYears / UPLIFT_CONSTANTS.oldRoofYears);
  const b = rates.base;
  return b.floor + b.hail * hail + b.roof * roof + (f.priorCustomer ? b.prior : 0);
}

/** tau(x) before clipping to valid probabilities; see `trueUplift` for the effective value. */
export function rawUplift(f: UpliftFeatures, rates: Rates = RATES.strong): number {
  const hail = hailSeverity(f.hailInches);
  const roof = Math.min(1, f.roofAgeYears / UPLIFT_CONSTANTS.oldRoofYears);
  const owner = f.ownerOccupied ? 1 : 0.35;
  const logRatio = Math.log(Math.max(1, f.homeValueCents / 100) / UPLIFT_CONSTANTS.sweetSpotDollars);
  const midValue = Math.exp(-(logRatio * logRatio) / (2 * 0.45 * 0.45));
  const u = rates.uplift;
  let tau = u.floor + u.hail * hail * (0.35 + 0.65 * roof) * owner * (0.4 + 0.6 * midValue);
  if (f.daysSinceContact !== null && f.daysSinceContact < UPLIFT_CONSTANTS.recentContactDays) tau -= u.recentContact;
  return tau;
}

/** P(signed job | knock). */
export function treatedConversion(f: UpliftFeatures, rates: Rates = RATES.strong): number {
  return Math.min(0.95, Math.max(0.001, baseConversion(f, rates) + rawUplift(f, rates)));
}

/** The effective true uplift: P(sign | knock) - P(sign | no knock). */
export function trueUplift(f: UpliftFeatures, rates: Rates = RATES.strong): number {
  return treatedConversion(f, rates) - baseConversion(f, rates);
}
