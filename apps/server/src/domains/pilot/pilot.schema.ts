/**
 * The pilot report's input contract. `PilotInputs` holds SUFFICIENT STATISTICS only (counts, sums, sums of squares,
 * score buckets), never unit rows, so a 1,000,000-property storm is a few kilobytes of JSON built by a handful of
 * GROUP BY queries. Keys are snake_case because they mirror SQL columns. Money is integer cents here; the results
 * (`PilotResults`, pilot.results.ts) present money in dollars, as the playbook prints it.
 *
 * See docs/roi-methodology.md for how every field is used.
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { parse } from '../validate.ts';
import { text, int4, safeInt } from '../fields.ts';
import { stormId } from '../storms/storms.schema.ts';
import { PILOT_FORMATS } from './pilot-formats.ts';
import { POLICY_MODES } from '../policy/policy-modes.ts';

export type { PilotResults } from './pilot.results.ts';

/** The report's options: `GET /storms/{storm_id}/pilot?format=&mode=&alpha=`, `pilot run --format --mode --alpha`. */
export const pilotOptions = z
  .object({
    format: z
      .enum(PILOT_FORMATS, { error: () => `must be one of ${PILOT_FORMATS.join(', ')}` })
      .default('json')
      .describe('json, or the report rendered as md, html or pdf (pdf needs the pdf_reports feature)'),
    mode: z
      .enum(POLICY_MODES, { error: () => `must be one of ${POLICY_MODES.join(', ')}` })
      .optional()
      .describe("the policy mode the arms were assigned with; checked against the storm's applied policy"),
    alpha: z.coerce
      .number<number | string>()
      .gt(0)
      .lt(0.5)
      .optional()
      .describe('significance level for intervals and tests'),
  })
  .strict();

/** `runPilot(...)`, `pilot.report(...)`, `pilotAggregates(...)` in the SDK: the storm and the report's options. */
export const runPilotInput = pilotOptions.extend({ storm_id: stormId }).strict();
export type RunPilotInput = z.input<typeof runPilotInput>;

const count = safeInt().min(0);
const cents = safeInt();
const isoDay = z.iso.date({ error: (i) => `${JSON.stringify(i.input)} is not an ISO 8601 date (YYYY-MM-DD)` });

/** One arm's totals over the whole storm. */
export const armInputs = z.object({
  /** Units (properties) assigned to the arm. */
  n: count,
  /** Units with a signed job (at most one per unit). */
  conversions: count,
  /** Sum over units of job value in cents (0 for units that did not sign). */
  revenue_cents: cents.min(0),
  /** Sum over units of (job value in cents)^2: with n and revenue_cents it gives the variance for Welch's test. */
  revenue_sq_cents2: z.number().min(0),
  /** Units actually knocked (treat: compliance; hold: every knock is contamination). */
  knocked: count,
  /**
   * Units that received the OTHER arm's condition. hold: held-out properties that were knocked anyway (normally
   * equal to hold.knocked). treat: 0 today (reserved, e.g. a treat property later flagged do-not-knock).
   */
  contaminated: count,
  /** Units with an outcome logged, signed or not (coverage); absent when the source does not know. */
  logged: count.optional(),
});
export type ArmInputs = z.infer<typeof armInputs>;

/** Cumulative totals of both arms at the end of one UTC day (for the "over time" chart). */
export const dailyPoint = z.object({
  date: isoDay,
  treat: z.object({ n: count, conversions: count, revenue_cents: cents.min(0) }),
  hold: z.object({ n: count, conversions: count, revenue_cents: cents.min(0) }),
});
export type DailyPoint = z.infer<typeof dailyPoint>;

/**
 * One predicted-uplift bucket: `ntile(B) over (order by predicted_uplift desc)` across BOTH arms, so bucket 1
 * holds the highest predicted uplift. The same buckets give the Qini curve (B points) and, merged B/10 at a time,
 * the deciles of predicted uplift, so one query feeds both.
 */
export const scoreBucket = z.object({
  /** 1-based, 1 = highest predicted uplift. */
  bucket: int4().min(1),
  /** Mean predicted uplift (probability difference, e.g. 0.12) over the bucket's units of both arms. */
  predicted_uplift_mean: z.number().min(-1).max(1),
  treat: z.object({ n: count, conversions: count }),
  hold: z.object({ n: count, conversions: count }),
});
export type ScoreBucket = z.infer<typeof scoreBucket>;

/** A monitor's verdict passed through as is: DataObservability health or the SLO dashboard. */
export const monitorStatus = z.object({
  /** e.g. healthy | degraded | critical (data quality), ok | breached (SLO): shown verbatim. */
  status: text().min(1).max(50),
  /**
   * Issues; an empty list means nothing to report. Plain strings, or the observability domain's issue objects
   * (`{ severity, check, message }`), which are shown as "[severity] check: message".
   */
  issues: z
    .array(
      z.union([
        text().max(500),
        z
          .object({
            message: text().max(500),
            severity: text().max(20).optional(),
            check: text().max(100).optional(),
          })
          .transform((i) => `${i.severity ? `[${i.severity}] ` : ''}${i.check ? `${i.check}: ` : ''}${i.message}`),
      ]),
    )
    .max(200),
  /** SLO breaches in the storm window (SLO only; counts as failing when > 0). */
  breaches: count.optional(),
});
export type MonitorStatus = z.output<typeof monitorStatus>;

/** Success-criteria thresholds; every one is strict (`>` or `<`) as the playbook words them. */
export const successTargets = z.object({
  /** Absolute lift must exceed this many percentage points. */
  lift_pts: z.number().default(10),
  /** The contractor's latest satisfaction score (1-10) must exceed this: 8 or more reads "satisfied". */
  satisfaction_score: z.number().min(0).max(10).default(7),
  /** ROI (percent) must exceed this. */
  roi_pct: z.number().default(300),
  /** Incremental revenue must exceed this, in cents ($5,000). */
  incremental_revenue_cents: cents.default(500_000),
  /** Cost per incremental signed job must be below this, in cents ($500). */
  cac_cents: cents.default(50_000),
  /** Incremental revenue per crew hour must exceed this, in cents ($100). */
  revenue_per_crew_hour_cents: cents.default(10_000),
});
export type SuccessTargets = z.output<typeof successTargets>;

/** One policy batch: its design and both arms' counts. */
export const batchInputs = z.object({
  batch: int4().min(1),
  mode: z.enum(['conservative', 'moderate', 'aggressive', 'custom']),
  version: int4().min(1),
  /** The batch's intended hold share. */
  hold_share: z.number().gt(0).lt(1),
  treat: z.object({ n: count, conversions: count }),
  hold: z.object({ n: count, conversions: count }),
});
export type BatchInputs = z.infer<typeof batchInputs>;

/** The policy as run: what a knock costs and how crew time is counted. */
export const policyInputs = z
  .object({
    mode: z.enum(POLICY_MODES),
    /** Intended share of the experiment held out (for the SRM check), e.g. 0.2. */
    hold_share: z.number().gt(0).lt(1),
    /** Direct cost of one knock in cents (canvasser pay, travel, materials). */
    cost_per_knock_cents: cents.min(0),
    /** Crew hours spent knocking (from the knock log); give this or doors_per_crew_hour. */
    crew_hours: z.number().positive().optional(),
    /** Where crew_hours came from; 'estimated' (knocks / doors_per_crew_hour) when crew_hours is not given. */
    crew_hours_source: z.enum(['knock_log', 'given']).optional(),
    /** Doors a crew knocks per hour; crew hours = knocks / this when crew_hours is not given. */
    doors_per_crew_hour: z.number().positive().optional(),
    /** Loaded cost of one crew hour in cents, added to the cost when given (default 0: already in cost per knock). */
    crew_hour_cost_cents: cents.min(0).default(0),
    /** Gross margin of a job as a fraction (e.g. 0.35). ROI uses margin when given, revenue when null. */
    gross_margin: z.number().gt(0).max(1).nullable(),
  })
  .refine((p) => p.crew_hours !== undefined || p.doors_per_crew_hour !== undefined, {
    message: 'give crew_hours or doors_per_crew_hour',
    path: ['crew_hours'],
  });
export type PolicyInputs = z.output<typeof policyInputs>;

/** Everything the pilot report needs, aggregated in SQL. */
export const pilotInputsSchema = z.object({
  storm: z.object({
    storm_id: z.uuid(),
    event_id: text().min(1).max(100),
    name: text().min(1).max(200),
    /** First and last day of the campaign (UTC dates). */
    starts_on: isoDay,
    ends_on: isoDay,
    /** Contractor's display name for the report's title page (optional). */
    contractor: text().max(200).optional(),
  }),
  policy: policyInputs,
  arms: z.object({ treat: armInputs, hold: armInputs }),
  /** Cumulative by day, ascending dates, at most 366 points. */
  daily: z.array(dailyPoint).max(366),
  /** B buckets of predicted uplift, B a multiple of 10 between 10 and 1000 (100 recommended). */
  score_buckets: z.array(scoreBucket).max(1000),
  data_quality: monitorStatus,
  slo: monitorStatus,
  /** The storm's policy batches (design and counts); absent or one: a single design. See pilot.batches.ts. */
  batches: z.array(batchInputs).max(100).optional(),
  /** Per segment value, both arms' counts (ZIP, roof-age, hail-size and home-value bands); absent: no section. */
  segments: z
    .array(
      z.object({
        dimension: z.enum(['zip', 'roof_age', 'hail_size', 'home_value']),
        value: text().max(200),
        treat: z.object({ n: count, conversions: count }),
        hold: z.object({ n: count, conversions: count }),
      }),
    )
    .max(2000)
    .optional(),
  /** The contractor's latest satisfaction score (1-10); null or absent when none was recorded. */
  satisfaction: z.object({ score: int4().min(1).max(10), comment: text().max(2000).nullable() }).nullish(),
  targets: successTargets.default(successTargets.parse({})),
});
export type PilotInputs = z.input<typeof pilotInputsSchema>;
export type ParsedPilotInputs = z.output<typeof pilotInputsSchema>;

/** Options of `computePilotResults`. */
export interface PilotOptions {
  /** Two-sided level of every interval and test (default 0.05). */
  alpha?: number;
}

/**
 * Validates inputs (shape, then the cross-field rules zod cannot see) and fills defaults.
 * Throws AppError VALIDATION naming the field.
 */
export function parsePilotInputs(value: unknown): ParsedPilotInputs {
  const p = parse(pilotInputsSchema, value, 'inputs');
  for (const arm of ['treat', 'hold'] as const) checkArm(`inputs.arms.${arm}`, p.arms[arm]);
  checkDaily(p.daily);
  checkBuckets(p.score_buckets);
  if (p.storm.ends_on < p.storm.starts_on) invalid('inputs.storm.ends_on', 'must not be before starts_on');
  return p;
}

function invalid(field: string, message: string): never {
  throw new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });
}

function checkArm(field: string, a: ArmInputs): void {
  if (a.n < 2) invalid(`${field}.n`, `needs at least 2 units, got ${a.n}`);
  for (const k of ['conversions', 'knocked', 'contaminated'] as const) {
    if (a[k] > a.n) invalid(`${field}.${k}`, `${a[k]} exceeds n (${a.n})`);
  }
  // Cauchy-Schwarz: sum^2 <= n * sumSq, otherwise the sums cannot come from real values.
  if (a.revenue_cents ** 2 > a.n * a.revenue_sq_cents2 * (1 + 1e-9)) {
    invalid(`${field}.revenue_sq_cents2`, 'is too small for revenue_cents and n (sum of squares must be >= sum^2 / n)');
  }
}

function checkDaily(daily: DailyPoint[]): void {
  daily.forEach((d, i) => {
    const prev = daily[i - 1];
    if (prev && d.date <= prev.date) invalid(`inputs.daily[${i}].date`, 'dates must be strictly ascending');
    for (const arm of ['treat', 'hold'] as const) {
      if (d[arm].conversions > d[arm].n) invalid(`inputs.daily[${i}].${arm}.conversions`, 'exceeds n');
      if (prev && d[arm].conversions < prev[arm].conversions) {
        invalid(`inputs.daily[${i}].${arm}.conversions`, 'must be cumulative (never decreasing)');
      }
    }
  });
}

function checkBuckets(buckets: ScoreBucket[]): void {
  if (buckets.length === 0) return;
  if (buckets.length < 10 || buckets.length % 10 !== 0) {
    invalid('inputs.score_buckets', `needs a multiple of 10 buckets (>= 10), got ${buckets.length}`);
  }
  buckets.forEach((b, i) => {
    if (b.bucket !== i + 1)
      invalid(`inputs.score_buckets[${i}].bucket`, `expected ${i + 1} (ascending, 1-based), got ${b.bucket}`);
    for (const arm of ['treat', 'hold'] as const) {
      if (b[arm].conversions > b[arm].n) invalid(`inputs.score_buckets[${i}].${arm}.conversions`, 'exceeds n');
    }
  });
}
