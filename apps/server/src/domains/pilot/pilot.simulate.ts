/**
 * A seeded, simulated campaign aggregated into `PilotInputs`, for the example report, tests and the benchmark.
 * Each unit gets a predicted uplift, a true uplift near it, an arm, a knock (compliance) and an outcome; the
 * aggregation below is exactly what the SQL side must produce. Not used in production paths.
 */
import { mulberry32, randomNormal, type Random } from '@stormops/stats';
import type { DailyPoint, PilotInputs, ScoreBucket } from './pilot.schema.ts';

export interface SimulationOptions {
  seed?: number;
  treatN?: number;
  holdN?: number;
  /** Mean predicted (and true) uplift; the realized lift is about compliance x this. */
  meanUplift?: number;
  baseRate?: number;
  /** Share of treat units actually knocked. */
  compliance?: number;
  /** Hold units knocked by mistake. */
  contaminatedHold?: number;
  days?: number;
  buckets?: number;
}

interface Unit {
  score: number;
  treat: boolean;
  knocked: boolean;
  converted: boolean;
  valueCents: number;
  day: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function simulateUnits(o: Required<SimulationOptions>, random: Random): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < o.treatN + o.holdN; i++) {
    const treat = i < o.treatN;
    const score = clamp(o.meanUplift + 0.06 * randomNormal(random), -0.05, 0.45);
    const trueUplift = clamp(score + 0.04 * randomNormal(random), -0.1, 0.6);
    const knocked = treat ? random() < o.compliance : i - o.treatN < o.contaminatedHold;
    const p = clamp(o.baseRate + (knocked ? trueUplift : 0), 0, 1);
    const converted = random() < p;
    // Roofing jobs: about $12,000, right-skewed.
    const valueCents = converted ? Math.round(Math.exp(Math.log(1_200_000) + 0.35 * randomNormal(random))) : 0;
    // Day the unit's outcome became known: crews work through the list over the campaign.
    const day = Math.min(o.days - 1, Math.floor(random() * o.days));
    units.push({ score, treat, knocked, converted, valueCents, day });
  }
  return units;
}

function arm(units: Unit[], contaminated: number) {
  let conversions = 0,
    revenue = 0,
    sq = 0,
    knocked = 0;
  for (const u of units) {
    if (u.converted) conversions++;
    revenue += u.valueCents;
    sq += u.valueCents * u.valueCents;
    if (u.knocked) knocked++;
  }
  return { n: units.length, conversions, revenue_cents: revenue, revenue_sq_cents2: sq, knocked, contaminated };
}

/** Units accrue: by the end of day d, n counts units whose outcome is known, conversions those that signed. */
function daily(units: Unit[], o: Required<SimulationOptions>, start: Date): DailyPoint[] {
  const zero = () => ({
    n: new Array<number>(o.days).fill(0),
    c: new Array<number>(o.days).fill(0),
    r: new Array<number>(o.days).fill(0),
  });
  const by = { treat: zero(), hold: zero() };
  for (const u of units) {
    const a = by[u.treat ? 'treat' : 'hold'];
    a.n[u.day]! += 1;
    if (u.converted) a.c[u.day]! += 1;
    a.r[u.day]! += u.valueCents;
  }
  const out: DailyPoint[] = [];
  const cum = { treat: { n: 0, conversions: 0, revenue_cents: 0 }, hold: { n: 0, conversions: 0, revenue_cents: 0 } };
  for (let d = 0; d < o.days; d++) {
    for (const k of ['treat', 'hold'] as const) {
      cum[k] = {
        n: cum[k].n + by[k].n[d]!,
        conversions: cum[k].conversions + by[k].c[d]!,
        revenue_cents: cum[k].revenue_cents + by[k].r[d]!,
      };
    }
    out.push({
      date: new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10),
      treat: { ...cum.treat },
      hold: { ...cum.hold },
    });
  }
  return out;
}

/** ntile(B) over (order by score desc), both arms together; the SQL side does the same. */
function buckets(units: Unit[], count: number): ScoreBucket[] {
  const sorted = [...units].sort((a, b) => b.score - a.score);
  const out: ScoreBucket[] = [];
  for (let b = 0; b < count; b++) {
    // Postgres ntile: the first (n mod B) buckets hold one more unit.
    const size = Math.floor(sorted.length / count) + (b < sorted.length % count ? 1 : 0);
    const from = out.reduce((s, x) => s + x.treat.n + x.hold.n, 0);
    const group = sorted.slice(from, from + size);
    const t = group.filter((u) => u.treat);
    const h = group.filter((u) => !u.treat);
    out.push({
      bucket: b + 1,
      predicted_uplift_mean: group.reduce((s, u) => s + u.score, 0) / Math.max(1, group.length),
      treat: { n: t.length, conversions: t.filter((u) => u.converted).length },
      hold: { n: h.length, conversions: h.filter((u) => u.converted).length },
    });
  }
  return out;
}

/**
 * Simulated campaign inputs (defaults: 5,000 treat / 1,250 hold, 11.5-point mean uplift, 92% compliance: about 12 points realized with this seed).
 *
 * @example
 * computePilotResults(simulatePilotInputs({ seed: 7 }));
 */
export function simulatePilotInputs(options: SimulationOptions = {}): PilotInputs {
  const o: Required<SimulationOptions> = {
    seed: 20_260_207,
    treatN: 5000,
    holdN: 1250,
    meanUplift: 0.115,
    baseRate: 0.08,
    compliance: 0.92,
    contaminatedHold: 0,
    days: 14,
    buckets: 100,
    ...options,
  };
  const units = simulateUnits(o, mulberry32(o.seed));
  const start = new Date('2026-02-09T00:00:00Z');
  const treat = units.filter((u) => u.treat);
  const hold = units.filter((u) => !u.treat);
  return {
    storm: {
      storm_id: '6f1c2a0e-8d3b-4c55-9a51-2f0c7e9b1d42',
      event_id: 'DFW_STORM_001',
      name: 'DFW Storm Feb 2026',
      starts_on: '2026-02-09',
      ends_on: new Date(start.getTime() + (o.days - 1) * 86_400_000).toISOString().slice(0, 10),
      contractor: 'DFW Elite Roofing',
    },
    policy: {
      mode: 'moderate',
      hold_share: o.holdN / (o.treatN + o.holdN),
      cost_per_knock_cents: 2500,
      doors_per_crew_hour: 6,
      crew_hour_cost_cents: 0,
      gross_margin: 0.35,
    },
    arms: { treat: arm(treat, 0), hold: arm(hold, o.contaminatedHold) },
    daily: daily(units, o, start),
    score_buckets: buckets(units, o.buckets),
    data_quality: { status: 'healthy', issues: [] },
    slo: { status: 'ok', issues: [], breaches: 0 },
    satisfaction: { score: 9, comment: 'the crews liked the walk lists' },
  };
}
