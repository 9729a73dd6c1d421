/**
 * Response schemas of the pilot routes (pilot.routes.ts): PilotResults (pilot.results.ts says the units: fractions,
 * dollars, [lower, upper] intervals at 1 - alpha).
 */
import { z } from 'zod';
import { detectableLift } from '../policy/policy.responses.ts';

const range = z.tuple([z.number(), z.number()]);
const count = z.number().int();
const armCounts = z.strictObject({ n: count, conversions: count });

const armOutcome = z.strictObject({
  n: count,
  conversions: count,
  rate: z.number(),
  rate_ci: range,
  revenue: z.number(),
  revenue_per_unit: z.number(),
});

const outcomes = z.strictObject({
  treat: armOutcome,
  hold: armOutcome,
  lift: z.strictObject({
    absolute: z.number(),
    absolute_ci: range,
    relative: z.number().nullable(),
    relative_ci: range.nullable(),
    p_value: z.number(),
    significant: z.boolean(),
  }),
  revenue_per_unit: z.strictObject({ diff: z.number(), diff_ci: range, p_value: z.number() }),
});

const roi = z.strictObject({
  basis: z.enum(['gross_margin', 'revenue']),
  gross_margin: z.number().nullable(),
  roi_pct: z.number().nullable(),
  roi_pct_ci: range.nullable(),
  incremental_revenue: z.number(),
  incremental_revenue_ci: range,
  incremental_conversions: z.number(),
  incremental_conversions_ci: range,
  knocks: count,
  crew_hours: z.number(),
  crew_hours_source: z.enum(['knock_log', 'estimated', 'given']),
  cost: z.number(),
  cac: z.number().nullable(),
  revenue_per_crew_hour: z.number().nullable(),
});

const armCoverage = z.strictObject({ logged: count, assigned: count, share: z.number() });

export const qiniPoint = z.strictObject({
  /** Share of the experiment targeted, best predicted first (0..1). */
  fraction: z.number(),
  /** Incremental conversions among them: Y_T - Y_H x N_T / N_H. */
  incremental_conversions: z.number(),
});

const upliftAccuracy = z.strictObject({
  deciles: z.array(
    z.strictObject({
      decile: count,
      predicted_uplift: z.number(),
      observed_lift: z.number().nullable(),
      observed_lift_ci: range.nullable(),
      treat_n: count,
      hold_n: count,
    }),
  ),
  qini_curve: z.array(qiniPoint),
  qini_coefficient: z.number().nullable(),
  buckets: count,
});

const monitor = z.strictObject({
  status: z.string(),
  issues: z.array(z.string()),
  breaches: count,
  pass: z.boolean(),
});

const segmentLift = z.strictObject({
  value: z.string(),
  treat: z.strictObject({ n: count, conversions: count, rate: z.number() }),
  control: z.strictObject({ n: count, conversions: count, rate: z.number() }),
  lift: z
    .strictObject({ absolute: z.number(), absolute_ci: range, p_value: z.number(), p_value_adjusted: z.number() })
    .nullable(),
});

const criterionKey = z.enum([
  'lift',
  'roi',
  'incremental_revenue',
  'cac',
  'revenue_per_crew_hour',
  'data_quality',
  'slo',
  'contamination',
  'satisfaction',
]);

export const pilotResults = z
  .strictObject({
    report: z.literal('stormops.pilot'),
    version: z.literal(1),
    alpha: z.number(),
    currency: z.literal('USD'),
    storm: z.strictObject({
      storm_id: z.uuid(),
      event_id: z.string(),
      name: z.string(),
      starts_on: z.string(),
      ends_on: z.string(),
      contractor: z.string().nullable(),
    }),
    policy: z.strictObject({
      mode: z.string(),
      hold_share: z.number(),
      cost_per_knock: z.number(),
      crew_hour_cost: z.number(),
      gross_margin: z.number().nullable(),
    }),
    coverage: z
      .strictObject({ treat: armCoverage, hold: armCoverage, minimum: z.number(), sufficient: z.boolean() })
      .nullable(),
    detectable_lift: detectableLift,
    outcomes,
    batches: z.array(
      z.strictObject({
        batch: count,
        mode: z.string(),
        version: count,
        intended_hold_share: z.number(),
        observed_hold_share: z.number(),
        treat: armCounts,
        hold: armCounts,
        srm: z.strictObject({ p_value: z.number(), flagged: z.boolean() }).nullable(),
        lift: z.strictObject({ absolute: z.number(), absolute_ci: range, p_value: z.number() }).nullable(),
      }),
    ),
    lift_method: z.enum(['pooled', 'stratified_by_batch']),
    roi,
    srm: z.strictObject({
      expected_hold_share: z.number(),
      observed_hold_share: z.number(),
      chi_square: z.number(),
      p_value: z.number(),
      flagged: z.boolean(),
      reason: z.string().nullable(),
    }),
    contamination: z.strictObject({
      hold_contaminated: count,
      hold_n: count,
      rate: z.number(),
      treat_contaminated: count,
      treat_compliance: z.number(),
      flagged: z.boolean(),
    }),
    uplift_accuracy: upliftAccuracy.nullable(),
    over_time: z.strictObject({
      mixing_variance: z.number(),
      points: z.array(
        z.strictObject({
          date: z.string(),
          lift: z.number(),
          lower: z.number(),
          upper: z.number(),
          p_value: z.number(),
        }),
      ),
      conclusive_since: z.string().nullable(),
    }),
    data_quality: monitor,
    slo: monitor,
    segments: z.array(
      z.strictObject({
        dimension: z.enum(['zip', 'roof_age', 'hail_size', 'home_value']),
        label: z.string(),
        min_per_arm: count,
        segments: z.array(segmentLift),
      }),
    ),
    satisfaction: z.strictObject({ score: z.number(), comment: z.string().nullable() }).nullable(),
    success_criteria: z.array(
      z.strictObject({
        key: criterionKey,
        name: z.string(),
        unit: z.enum(['pts', 'pct', 'usd', 'count', 'score']),
        comparator: z.enum(['>', '<', '=']),
        target: z.number(),
        actual: z.number().nullable(),
        pass: z.boolean(),
        status: z.enum(['pass', 'fail', 'no_data']),
      }),
    ),
    summary: z.strictObject({
      passed: count,
      total: count,
      outcome: z.enum(['success', 'mixed', 'inconclusive', 'unsuccessful', 'not_enough_data']),
    }),
  })
  .meta({ id: 'PilotResults' });

/** GET /storms/{storm_id}/pilot: the results as JSON, or the report rendered (format=md, html, pdf). */
export const pilotReplies = {
  200: {
    description: 'The pilot results (format=json), or the rendered report',
    content: {
      'application/json': { schema: pilotResults },
      'text/markdown': { schema: z.string() },
      'text/html': { schema: z.string() },
      // Bytes (a Buffer), documented as a binary string.
      'application/pdf': { schema: z.any().meta({ type: 'string', format: 'binary' }) },
    },
  },
};
