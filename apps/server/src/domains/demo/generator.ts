/**
 * Owns synthetic storms for demos, tests and benchmarks: deterministic (by seed) properties around real hail
 * reports, their hidden base conversion and true uplift (true-uplift.ts), randomized history (arms + outcomes), and
 * a fast CSV writer (properties-csv.ts). Streams: a generator yields one property at a time, never a giant array.
 */
import { haversineMiles } from '../storm-reports/geo.ts';
import {
  OKC_2013_05_20_HAIL,
  OKC_STREET_NAMES,
  OKC_STREET_SUFFIXES,
  OKC_ZIP_AREAS,
  type ZipArea,
} from './okc-2013-05-20.ts';
import { cumulate, hashSeed, intBetween, mulberry32, normal, pickCumulative, type Rng } from './random.ts';
import { RATES, baseConversion, trueUplift, type RatesName, type UpliftFeatures } from './true-uplift.ts';

export const SCENARIOS = ['okc-2013-05-20'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface SyntheticProperty {
  index: number;
  external_id: string;
  address_line: string;
  city: string;
  state: string;
  zip: string;
  lat: number;
  lon: number;
  year_built: number;
  roof_age_years: number;
  /** As a contractor would type it ("Architectural shingle"); the importer folds it into the enum. */
  roof_material: string;
  home_value_cents: number;
  square_feet: number;
  owner_occupied: boolean;
  prior_customer: boolean;
  phone: string | null;
  email: string | null;
  /** Days since the contractor last contacted the homeowner (an attribute column in the CSV). */
  last_contact_days: number | null;
  /** Largest real hail report within 5 miles (inches; 0 when none) and the nearest one's distance. */
  hail_inches: number;
  nearest_hail_miles: number;
  /** Hidden truth: P(sign | no knock) and P(sign | knock) - P(sign | no knock). */
  base_conversion: number;
  true_uplift: number;
  /** Which hidden truth drew it (true-uplift.ts). */
  rates: RatesName;
}

export interface GeneratorOptions {
  count: number;
  seed: number;
  scenario?: Scenario;
  /** The hidden truth's sizes: `strong` (default; tests) or `planning` (the demo: a roofer's rates). */
  rates?: RatesName;
}

export type Arm = 'treat' | 'hold';

export interface Outcome {
  converted: boolean;
  /** Signed job value in cents (0 when not converted). */
  job_value_cents: number;
}

export interface HistoryRow extends SyntheticProperty, Outcome {
  arm: Arm;
}

const ROOF_MATERIALS: readonly [string, number][] = [
  ['Asphalt shingle', 46],
  ['Architectural shingle', 26],
  ['3-tab composition', 8],
  ['Metal', 7],
  ['Concrete tile', 4],
  ['Wood shake', 3],
  ['TPO membrane', 3],
  ['Slate', 1],
  ['Other', 2],
];
const ROOF_CUMULATIVE = cumulate(ROOF_MATERIALS.map(([, w]) => w));
const FIRST_NAMES = [
  'james',
  'mary',
  'john',
  'linda',
  'robert',
  'susan',
  'michael',
  'karen',
  'david',
  'lisa',
  'chris',
  'amy',
];
const LAST_NAMES = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'miller',
  'davis',
  'wilson',
  'taylor',
  'clark',
  'lewis',
  'walker',
];
const HAIL_RADIUS_MILES = 5;
/** External ids say which truth drew a home (`demo outcomes` regenerates it by id): OKC-<seed>-<i>, OKP-<seed>-<i>. */
export const ID_PREFIX: Record<RatesName, string> = { strong: 'OKC', planning: 'OKP' };

/** Streets of the scenario, unique after normalization: the numbered grid plus named streets with suffixes. */
const STREETS: readonly string[] = (() => {
  const streets: string[] = [];
  for (const dir of ['SW', 'NW', 'SE', 'NE'])
    for (let n = 1; n <= 150; n++) streets.push(`${dir} ${n}${ordinal(n)} St`);
  OKC_STREET_NAMES.forEach((name, i) => {
    for (let k = 0; k < 6; k++)
      streets.push(`${name} ${OKC_STREET_SUFFIXES[(i + k * 5) % OKC_STREET_SUFFIXES.length]!}`);
  });
  return [...new Set(streets)];
})();

/** Yields `count` properties; the same seed always yields the same properties. */
export function* generateProperties(options: GeneratorOptions): Generator<SyntheticProperty> {
  const areas = OKC_ZIP_AREAS;
  const areaCumulative = cumulate(areas.map((a) => a.weight));
  const perArea = new Int32Array(areas.length);
  const rng = mulberry32(hashSeed(options.seed, 0x0c2013));
  const hail = OKC_2013_05_20_HAIL;
  for (let index = 0; index < options.count; index++) {
    const a = pickCumulative(rng, areaCumulative);
    const area = areas[a]!;
    const k = perArea[a]!++;
    const lat = round5(area.lat + normal(rng) * 0.022);
    const lon = round5(area.lon + normal(rng) * 0.027);
    let hailInches = 0;
    let nearest = Infinity;
    for (const r of hail) {
      const d = haversineMiles(lat, lon, r.lat, r.lon);
      if (d < nearest) nearest = d;
      if (d <= HAIL_RADIUS_MILES && r.magnitude! > hailInches) hailInches = r.magnitude!;
    }
    yield describeHouse(rng, area, k, index, options.seed, lat, lon, hailInches, nearest, options.rates ?? 'strong');
  }
}

/** Builds the whole property in one object literal (spreading a 20-key object per row costs microseconds). */
function describeHouse(
  rng: Rng,
  area: ZipArea,
  k: number,
  index: number,
  seed: number,
  lat: number,
  lon: number,
  hailInches: number,
  nearest: number,
  rates: RatesName,
): SyntheticProperty {
  // k-th house of this ZIP: a distinct (street, block) pair, so addresses never collide within a ZIP.
  const street = STREETS[(k + Number(area.zip) * 7) % STREETS.length]!;
  const houseNumber = 100 + Math.floor(k / STREETS.length) * 20 + intBetween(rng, 0, 19);
  const yearBuilt = Math.min(2022, Math.max(1940, Math.round(area.builtAround + normal(rng) * 14)));
  const houseAge = 2013 - yearBuilt;
  const roofAge = Math.max(
    0,
    houseAge <= 22 && rng() < 0.7 ? houseAge : intBetween(rng, 0, Math.min(30, Math.max(0, houseAge))),
  );
  const sqft = Math.round(Math.min(6000, Math.max(700, 1800 * Math.exp(normal(rng) * 0.3))) / 10) * 10;
  const value = Math.round((sqft * area.dollarsPerSqft * Math.exp(normal(rng) * 0.15)) / 1000) * 1000;
  const owner = rng() < 0.72;
  const prior = rng() < 0.07;
  const contacted = rng() < (prior ? 0.6 : 0.08);
  const lastContact = contacted ? intBetween(rng, 1, 720) : null;
  const hasPhone = rng() < 0.7;
  const phone = hasPhone ? `405-555-${String(intBetween(rng, 0, 9999)).padStart(4, '0')}` : null;
  const hasEmail = rng() < 0.35;
  const email = hasEmail
    ? `${FIRST_NAMES[intBetween(rng, 0, 11)]}.${LAST_NAMES[intBetween(rng, 0, 11)]}${index}@example.com`
    : null;
  const longSuffix = rng() < 0.05;
  const features: UpliftFeatures = {
    hailInches,
    roofAgeYears: roofAge,
    ownerOccupied: owner,
    homeValueCents: value * 100,
    priorCustomer: prior,
    daysSinceContact: lastContact,
  };
  return {
    index,
    external_id: `${ID_PREFIX[rates]}-${seed}-${index}`,
    address_line: `${houseNumber} ${longSuffix ? spellSuffix(street) : street}`,
    city: area.city,
    state: 'OK',
    zip: area.zip,
    year_built: yearBuilt,
    roof_age_years: roofAge,
    roof_material: ROOF_MATERIALS[pickCumulative(rng, ROOF_CUMULATIVE)]![0],
    home_value_cents: value * 100,
    square_feet: sqft,
    owner_occupied: owner,
    prior_customer: prior,
    phone,
    email,
    last_contact_days: lastContact,
    lat,
    lon,
    hail_inches: hailInches,
    nearest_hail_miles: Math.round(nearest * 1000) / 1000,
    base_conversion: baseConversion(features, RATES[rates]),
    true_uplift: trueUplift(features, RATES[rates]),
    rates,
  };
}

/** Draws the outcome of one property under an arm; deterministic in (seed, property index, arm). */
export function drawOutcome(p: SyntheticProperty, arm: Arm, seed: number): Outcome {
  const rng = mulberry32(hashSeed(seed, p.index, 0x0de));
  const u = rng();
  const probability = p.base_conversion + (arm === 'treat' ? p.true_uplift : 0);
  if (u >= probability) return { converted: false, job_value_cents: 0 };
  // Roof area ~1.3 x living area at an installed price per square foot, within the job bounds of the rates (planning:
  // $3.25-4.75, so a typical 1,800 sq ft home's re-roof is $7.6k-11k; strong: $4.50-7.00 within $8k-25k).
  const {
    roofDollarsPerSqft: [lo, hi],
    jobDollars: [min, max],
  } = RATES[p.rates];
  const dollars = Math.min(max, Math.max(min, p.square_feet * 1.3 * (lo + (hi - lo) * rng())));
  return { converted: true, job_value_cents: Math.round(dollars / 10) * 1000 };
}

/** Outcomes for given arms (one per property, in order). */
export function drawOutcomes(properties: readonly SyntheticProperty[], arms: readonly Arm[], seed: number): Outcome[] {
  return properties.map((p, i) => drawOutcome(p, arms[i] ?? 'hold', seed));
}

/** History mode: each property randomized 50/50 to treat or hold, with its outcome. */
export function* generateHistory(options: GeneratorOptions): Generator<HistoryRow> {
  for (const p of generateProperties(options)) {
    const arm: Arm = mulberry32(hashSeed(options.seed, p.index, 0xa12))() < 0.5 ? 'treat' : 'hold';
    yield { ...p, arm, ...drawOutcome(p, arm, options.seed) };
  }
}

function spellSuffix(street: string): string {
  const long: Record<string, string> = {
    St: 'Street',
    Ave: 'Avenue',
    Dr: 'Drive',
    Ln: 'Lane',
    Ct: 'Court',
    Cir: 'Circle',
    Pl: 'Place',
    Ter: 'Terrace',
    Blvd: 'Boulevard',
    Way: 'Way',
    Rd: 'Road',
    Trl: 'Trail',
  };
  const i = street.lastIndexOf(' ');
  return `${street.slice(0, i)} ${long[street.slice(i + 1)] ?? street.slice(i + 1)}`;
}

function ordinal(n: number): string {
  const m = n % 100;
  if (m >= 11 && m <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
