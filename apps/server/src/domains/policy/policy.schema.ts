/** Policy modes, their parameters and defaults, apply inputs and the views returned by all three faces. */
import { z } from 'zod';
import type { DetectableLift } from './detectable-lift.ts';
import { text, int4, queryInt4 } from '../fields.ts';

import { POLICY_MODES } from './policy-modes.ts';

export { POLICY_MODES };
export type PolicyMode = (typeof POLICY_MODES)[number];

/** Parameters of one policy version. Money in integer cents; shares as fractions. See docs/policy.md. */
export const policyParams = z
  .object({
    /** Only properties whose predicted uplift is at least this are worth a knock. */
    min_uplift: z.number().min(-1).max(1),
    /** At most this share of the storm's scored properties enter the experiment (treat + hold). */
    top_share: z.number().gt(0).max(1),
    /** Share of the experiment held out as the randomized control group. */
    hold_share: z.number().gt(0).lt(1),
    crews: int4().min(1).max(10_000),
    doors_per_day: int4().min(1).max(1_000),
    days: int4().min(1).max(365),
    cost_per_knock_cents: int4().min(0).max(10_000_000),
    /**
     * Loaded labour cost of one crew hour (pay, payroll taxes, vehicle), counted in the pilot's ROI beside the cost
     * per knock. Default $25 (DEFAULT_CREW_HOUR_COST_CENTS); parameters stored before it existed read the default.
     */
    crew_hour_cost_cents: int4().min(0).max(10_000_000).default(2_500),
    job_value_cents: int4().min(1).max(1_000_000_000),
    margin: z.number().gt(0).max(1),
  })
  .strict();
export type PolicyParams = z.output<typeof policyParams>;

/** $25 a crew hour: a canvasser's loaded cost (see docs/policy.md for the planning ranges behind it). */
export const DEFAULT_CREW_HOUR_COST_CENTS = 2_500;

/** Built-in version 1 of each mode (docs/policy.md explains every number). */
export const DEFAULT_PARAMS: Record<PolicyMode, PolicyParams> = {
  conservative: {
    min_uplift: 0.08,
    top_share: 0.1,
    hold_share: 0.2,
    crews: 2,
    doors_per_day: 60,
    days: 7,
    cost_per_knock_cents: 1_500,
    crew_hour_cost_cents: 2_500,
    job_value_cents: 1_200_000,
    margin: 0.3,
  },
  moderate: {
    min_uplift: 0.05,
    top_share: 0.25,
    hold_share: 0.2,
    crews: 4,
    doors_per_day: 60,
    days: 10,
    cost_per_knock_cents: 1_500,
    crew_hour_cost_cents: 2_500,
    job_value_cents: 1_200_000,
    margin: 0.3,
  },
  aggressive: {
    min_uplift: 0.02,
    top_share: 0.5,
    hold_share: 0.1,
    crews: 8,
    doors_per_day: 70,
    days: 14,
    cost_per_knock_cents: 1_500,
    crew_hour_cost_cents: 2_500,
    job_value_cents: 1_200_000,
    margin: 0.3,
  },
  custom: {
    min_uplift: 0.05,
    top_share: 0.25,
    hold_share: 0.2,
    crews: 4,
    doors_per_day: 60,
    days: 10,
    cost_per_knock_cents: 1_500,
    crew_hour_cost_cents: 2_500,
    job_value_cents: 1_200_000,
    margin: 0.3,
  },
};

export const policyMode = z.enum(POLICY_MODES, { error: () => `mode must be one of ${POLICY_MODES.join(', ')}` });
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** POST /storms/:storm_id/policy/apply (and /preview, shadow), `policy apply`, `policy.apply(...)`. */
export const applyPolicyInput = z
  .object({
    storm_id: text(),
    mode: policyMode.default('moderate'),
    /** A specific version of the mode (default: the latest). */
    version: int4().min(1).optional(),
    /** Randomization seed (default: derived from the storm id, so a storm always gets the same seed). */
    seed: seed.optional(),
    /** Compute and record the run without writing arms (compare policies). */
    shadow: z.boolean().default(false),
    /**
     * Assign with another design (mode or version) on a storm that already has arms, as a new numbered batch. Without
     * it such an apply is refused: mixing designs in one batch would break the report's hold share and SRM check.
     */
    new_batch: z
      .boolean()
      .default(false)
      .describe('assign with another mode or version on a storm that has arms, as a new numbered batch'),
  })
  .strict();
export type ApplyPolicyInput = z.input<typeof applyPolicyInput>;

/** GET /policies/:mode, `policy show`, `policy.get(...)`: the latest version, or the one asked for. */
export const getPolicyInput = z
  .object({
    tenant_id: z.uuid().optional(),
    mode: policyMode,
    version: queryInt4().min(1).optional(),
  })
  .strict();
export type GetPolicyInput = z.input<typeof getPolicyInput>;

/** A storm's runs or contamination: GET /storms/:storm_id/policy/runs, /contamination. */
export const stormPolicyInput = z.object({ storm_id: text() }).strict();
export type StormPolicyInput = z.input<typeof stormPolicyInput>;
/** `policy.runs(...)`: newest first, 50 unless said (at most 500). */
export const listRunsInput = stormPolicyInput.extend({ limit: int4().min(1).max(500).optional() }).strict();
export type ListRunsInput = z.input<typeof listRunsInput>;

/** PUT /policies/:mode, `policy configure`, `policy.configure(...)`. */
export const configurePolicyInput = z
  .object({
    tenant_id: z.uuid().optional(),
    mode: policyMode,
    /** Changed parameters; the rest come from the latest version. */
    params: policyParams.partial(),
  })
  .strict();
export type ConfigurePolicyInput = z.input<typeof configurePolicyInput>;

export interface PolicyConfigView {
  tenant_id: string;
  mode: PolicyMode;
  version: number;
  params: PolicyParams;
  /** crews x doors per day x days: the most treat knocks the crews can make. */
  capacity: number;
  created_at: string | null;
}

export interface ContaminationView {
  storm_id: string;
  hold: number;
  hold_knocked: number;
  contamination_knocks: number;
  contamination_rate: number;
  /** Up to 100 contaminated property ids, oldest knock first. */
  property_ids: string[];
}

/** What apply returns (the playbook's fields: treat, hold, treat_pct...). Counts cover the whole storm. */
export interface PolicyRunView {
  run_id: string;
  storm_id: string;
  mode: PolicyMode;
  policy_version: number;
  /** The design batch the run's arms belong to (1 unless a new batch was asked for). */
  batch: number;
  seed: number;
  shadow: boolean;
  properties: number;
  treat: number;
  hold: number;
  /** Scored properties in neither arm (not picked: below threshold, beyond top share or capacity). */
  excluded: number;
  /** Properties without a score: left unassigned (a later apply, after scoring, randomizes them on their own). */
  unscored: number;
  /** Properties this run put in treat or hold (0 on a repeated apply: arms never change). */
  newly_assigned: number;
  /** Percent of the storm's properties. */
  treat_pct: number;
  hold_pct: number;
  capacity: number;
  capacity_used: number;
  capacity_used_pct: number;
  expected_incremental_conversions: number;
  expected_incremental_revenue_cents: number;
  /** The same in dollars, as the playbook prints it. */
  expected_incremental_revenue: number;
  expected_incremental_profit_cents: number;
  /** The smallest lift these arms can detect (80% power, planning hold-out rate); see detectable-lift.ts. */
  detectable_lift: DetectableLift;
  contamination: ContaminationView;
  warnings: string[];
  created_at: string;
}
