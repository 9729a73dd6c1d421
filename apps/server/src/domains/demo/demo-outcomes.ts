/**
 * `stormops demo outcomes`: plays a storm out. For the arms a policy assigned, draws each property's outcome from the
 * synthetic generator's hidden truth (a property imported by `demo generate` has external id OKC-<seed>-<index>:
 * regenerate by seed, match by index), knocks every treat property (and, if asked, some hold ones: contamination)
 * and logs everything through the normal knock and outcome services, with idempotency keys (re-running is a no-op).
 */
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../auth/principal.ts';
import { ID_PREFIX, drawOutcome, generateProperties, type SyntheticProperty } from './generator.ts';
import type { RatesName } from './true-uplift.ts';
import { logKnocks, type KNOCK_RESULTS } from '../policy/crew.service.ts';
import { armsWithExternalIds, type ArmRow } from '../policy/policy.repo.ts';
import { withStorm } from '../storms/storms.service.ts';
import { logOutcomes } from '../outcomes/outcomes.service.ts';
import type { OutcomeFields } from '../outcomes/outcomes.schema.ts';

const CHUNK = 50_000;

export interface DemoOutcomesInput {
  storm_id: string;
  /** Outcome seed (same seed, same outcomes). */
  seed: number;
  /** Knock this many hold properties too (contamination; default 0). */
  contaminate?: number;
}

/** Synthetic properties by generator seed and index, regenerated for the indexes needed only. */
function regenerate(rows: ArmRow[]): Map<string, SyntheticProperty> {
  const wanted = new Map<string, { rates: RatesName; seed: number; indexes: Set<number> }>();
  for (const r of rows) {
    const m = /^(OKC|OKP)-(\d+)-(\d+)$/.exec(r.external_id ?? '');
    if (!m) continue;
    const key = `${m[1]}-${m[2]}`;
    const rates: RatesName = m[1] === ID_PREFIX.planning ? 'planning' : 'strong';
    const entry = wanted.get(key) ?? { rates, seed: Number(m[2]), indexes: new Set<number>() };
    entry.indexes.add(Number(m[3]));
    wanted.set(key, entry);
  }
  const found = new Map<string, SyntheticProperty>();
  for (const { rates, seed, indexes } of wanted.values()) {
    const count = Math.max(...indexes) + 1;
    for (const p of generateProperties({ count, seed, rates })) if (indexes.has(p.index)) found.set(p.external_id, p);
  }
  return found;
}

/**
 * A door's result: signed, or (the planning ranges' 30% contact rate) no answer at 70% of the other doors, not
 * interested at 17%, an inspection booked at 13%: leads (inspections and signatures) then close at about 25%.
 */
function knockResult(converted: boolean, index: number): (typeof KNOCK_RESULTS)[number] {
  if (converted) return 'signed';
  const percent = index % 100;
  return percent < 70 ? 'no_answer' : percent < 87 ? 'not_interested' : 'inspection_booked';
}

/** A canvasser's pace in the demo: 20 doors an hour (the planning range is 18-23), 8-hour days. */
export const DEMO_PACE = { doorsPerHour: 20, hoursPerDay: 8 } as const;
const PER_DAY = DEMO_PACE.doorsPerHour * DEMO_PACE.hoursPerDay;
const HOUR = 3_600_000;

/**
 * When a canvasser knocks their n-th door: 3 minutes apart, 160 a day, in 8-hour sessions a day apart, the last one
 * ending at the top of the hour before `now`. Outcomes, logged now, then come within a day and a half of their knock,
 * as crews should log them, whatever the hour the demo starts (p90 30.4-31.4 h for two days, at any minute of a day:
 * demo-outcomes.test.ts). Sessions anchored to calendar working hours left the first day's knocks up to 56 h old in
 * the evening, past the data-health check's 48 h.
 */
export function knockTime(now: number, days: number, n: number): string {
  const lastEnd = Math.floor(now / HOUR) * HOUR;
  const lastStart = lastEnd - DEMO_PACE.hoursPerDay * HOUR;
  const day = lastStart - (days - 1 - Math.floor(n / PER_DAY)) * 24 * HOUR;
  return new Date(day + (n % PER_DAY) * (HOUR / DEMO_PACE.doorsPerHour)).toISOString();
}

function draw(rows: ArmRow[], input: DemoOutcomesInput) {
  const truth = regenerate(rows);
  const now = Date.now();
  // Days of knocking: the busiest canvasser's treat doors at 160 a day.
  const perCanvasser = new Map<string, number>();
  for (const r of rows)
    if (r.arm === 'treat') perCanvasser.set(r.canvasser ?? 'demo', (perCanvasser.get(r.canvasser ?? 'demo') ?? 0) + 1);
  const days = Math.max(1, Math.ceil(Math.max(0, ...perCanvasser.values()) / PER_DAY));
  const knocks = [];
  const outcomes: OutcomeFields[] = [];
  const knocksBy = new Map<string, number>();
  let contaminate = input.contaminate ?? 0;
  let matched = 0;
  const totals = {
    treat: { n: 0, conversions: 0, revenue_cents: 0 },
    hold: { n: 0, conversions: 0, revenue_cents: 0 },
  };
  for (const [i, r] of rows.entries()) {
    const p = r.external_id ? truth.get(r.external_id) : undefined;
    if (!p) continue;
    matched++;
    const o = drawOutcome(p, r.arm, input.seed);
    const t = totals[r.arm];
    t.n++;
    if (o.converted) {
      t.conversions++;
      t.revenue_cents += o.job_value_cents;
    }
    if (r.arm === 'treat' || (contaminate > 0 && contaminate-- > 0)) {
      const canvasser = r.canvasser ?? 'demo';
      const n = knocksBy.get(canvasser) ?? 0;
      knocksBy.set(canvasser, n + 1);
      knocks.push({
        property_id: r.property_id,
        canvasser,
        result: knockResult(o.converted, i),
        knocked_at: knockTime(now, days, n),
        idempotency_key: `demo:${input.seed}:knock:${r.property_id}`,
      });
    }
    outcomes.push({
      property_id: r.property_id,
      converted: o.converted,
      value_cents: o.job_value_cents,
      idempotency_key: `demo:${input.seed}:${r.property_id}`,
    });
  }
  return { knocks, outcomes, totals, matched };
}

export async function demoOutcomes(ctx: ServiceContext, input: DemoOutcomesInput) {
  if (!Number.isInteger(input.seed) || input.seed < 0)
    throw new AppError('VALIDATION', '--seed must be a whole number', { field: 'seed' });
  const rows = await withStorm(ctx, input.storm_id, (trx, storm) => armsWithExternalIds(trx, storm.storm_id));
  if (rows.length === 0)
    throw new AppError(
      'VALIDATION',
      `storm ${input.storm_id} has no arms: apply a policy first (stormops policy apply)`,
    );
  const { knocks, outcomes, totals, matched } = draw(rows, input);
  let knocked = 0;
  for (let i = 0; i < knocks.length; i += CHUNK)
    knocked += (await logKnocks(ctx, { storm_id: input.storm_id, knocks: knocks.slice(i, i + CHUNK) })).written;
  let accepted = 0,
    replayed = 0,
    refused = 0;
  for (let i = 0; i < outcomes.length; i += CHUNK) {
    const r = await logOutcomes(
      ctx,
      { storm_id: input.storm_id, outcomes: outcomes.slice(i, i + CHUNK) },
      { source: 'demo' },
    );
    accepted += r.accepted;
    replayed += r.replayed;
    refused += r.refused_count;
  }
  return {
    storm_id: input.storm_id,
    seed: input.seed,
    properties: rows.length,
    unmatched: rows.length - matched,
    knocks_written: knocked,
    contaminated: Math.min(input.contaminate ?? 0, totals.hold.n),
    outcomes: { accepted, replayed, refused },
    arms: totals,
  };
}
