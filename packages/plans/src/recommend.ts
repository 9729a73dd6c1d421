/**
 * The plan heuristic: from an onboarding intake, the usage a contractor will likely bring in a busy month, what each
 * paid plan would cost at that usage, the cheapest one, and a first-year ROI projection from the pilot report's
 * formulas. The server's `POST /onboarding` and the web app's intake form both call `recommendPlan`.
 */
import { METRICS, chargeLines, type Metric, type Plan, type PlanCode } from './charges.ts';
import { canvassingCostCents, roiPct } from './roi.ts';

export interface Intake {
  storms_per_year: number;
  properties_per_storm: number;
  crews: number;
  /** The contractor's own planning figures; each has a default from published canvassing ranges. */
  automation_assumptions?: Partial<Assumptions>;
}

export interface Assumptions {
  /** Share of knocked doors that sign without the list's targeting (the held-out rate). */
  base_signing_rate: number;
  /** Points of signing rate the uplift list adds (0.015 = 1.5 points). */
  expected_lift: number;
  average_job_value_cents: number;
  cost_per_knock_cents: number;
  doors_per_crew_hour: number;
  crew_hour_cost_cents: number;
  gross_margin: number;
  /** Share of a storm's properties held out as the control group. */
  hold_share: number;
  /** Hours a crew canvasses per storm. */
  crew_hours_per_storm: number;
}

/**
 * Planning defaults (docs/billing.md lists the sources): 2-3% of knocked doors sign for a good rep, door-knocked
 * leads close 15-25%, 18-23 doors an hour, a re-roof quote of $7.6-12.8k, gross margin 20-40%.
 */
export const DEFAULT_ASSUMPTIONS: Assumptions = {
  base_signing_rate: 0.02,
  expected_lift: 0.015,
  average_job_value_cents: 1_000_000,
  cost_per_knock_cents: 400,
  doors_per_crew_hour: 20,
  crew_hour_cost_cents: 2_500,
  gross_margin: 0.3,
  hold_share: 0.1,
  crew_hours_per_storm: 80,
};

export interface PlanEstimate {
  plan_code: PlanCode;
  name: string;
  monthly_cents: number;
  base_cents: number;
  overage_cents: number;
  annual_cents: number;
  support_response_sla_hours: number;
}

export interface RoiProjection {
  assumptions: Assumptions;
  knocks_per_year: number;
  crew_hours_per_year: number;
  incremental_jobs_per_year: number;
  incremental_revenue_cents: number;
  canvassing_cost_cents: number;
  /** The recommended plan's annual price. */
  subscription_cents: number;
  /** ROI of canvassing the list (the pilot report's formula). */
  roi_pct: number | null;
  /** The same with the subscription counted as cost. */
  roi_with_subscription_pct: number | null;
  method: string;
}

export interface Recommendation {
  recommended_plan: PlanCode;
  reason: string;
  monthly_usage: Record<Metric, number>;
  plans_compared: PlanEstimate[];
  roi_projection: RoiProjection;
}

/** A busy month: storms cluster, so at least one whole storm's properties, imported and scored. */
export function monthlyUsage(i: Intake): Record<Metric, number> {
  const stormsPerMonth = Math.max(1, Math.ceil(i.storms_per_year / 12));
  const properties = i.properties_per_storm * stormsPerMonth;
  return {
    properties_imported: properties,
    properties_scored: properties,
    storms_created: stormsPerMonth,
    reports_generated: stormsPerMonth * 4,
    api_calls: properties * 2,
    // An owner, an office manager and one canvasser per crew.
    seats: 2 + i.crews,
  };
}

export function estimatePlan(plan: Plan, usage: Record<Metric, number>): PlanEstimate {
  let overage = 0;
  for (const m of METRICS) {
    const over = usage[m] - plan.metrics[m].included;
    for (const l of chargeLines(plan.metrics[m].charge, over)) overage += l.amount_cents;
  }
  const monthly = plan.base_price_cents + overage;
  return {
    plan_code: plan.plan_code,
    name: plan.name,
    monthly_cents: monthly,
    base_cents: plan.base_price_cents,
    overage_cents: overage,
    annual_cents: monthly * 12,
    support_response_sla_hours: plan.support_response_sla_hours,
  };
}

export function projectRoi(i: Intake, subscriptionCents: number): RoiProjection {
  const a = { ...DEFAULT_ASSUMPTIONS, ...i.automation_assumptions };
  // Crews knock what they can reach in their hours, never more than the storm's treat list.
  const capacity = i.crews * a.crew_hours_per_storm * a.doors_per_crew_hour;
  const knocksPerStorm = Math.min(i.properties_per_storm * (1 - a.hold_share), capacity);
  const knocks = Math.round(knocksPerStorm * i.storms_per_year);
  const crewHours = knocks / a.doors_per_crew_hour;
  const jobs = a.expected_lift * knocks;
  const revenue = Math.round(jobs * a.average_job_value_cents);
  const cost = Math.round(
    canvassingCostCents({
      knocks,
      crewHours,
      costPerKnockCents: a.cost_per_knock_cents,
      crewHourCostCents: a.crew_hour_cost_cents,
    }),
  );
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    assumptions: a,
    knocks_per_year: knocks,
    crew_hours_per_year: Math.round(crewHours * 10) / 10,
    incremental_jobs_per_year: Math.round(jobs * 10) / 10,
    incremental_revenue_cents: revenue,
    canvassing_cost_cents: cost,
    subscription_cents: subscriptionCents,
    roi_pct: round(roiPct(revenue, cost, a.gross_margin)),
    roi_with_subscription_pct: round(roiPct(revenue, cost + subscriptionCents, a.gross_margin)),
    method:
      'incremental jobs = expected lift x knocks; revenue = jobs x job value; cost = knocks x cost per knock + crew hours x crew hour cost; ROI = (revenue x margin - cost) / cost (the pilot report formulas, docs/commercial/roi_calculator.md)',
  };
}

/**
 * The cheapest paid plan at the intake's busy-month usage (every signup starts on the trial; this is the plan to
 * move to), the comparison, and the ROI projection priced with it.
 */
export function recommendPlan(i: Intake, plans: readonly Plan[]): Recommendation {
  const usage = monthlyUsage(i);
  const compared = plans.map((p) => estimatePlan(p, usage));
  const paid = compared.filter((c) => c.plan_code !== 'trial').sort((a, b) => a.monthly_cents - b.monthly_cents);
  const best = paid[0] ?? compared[0];
  if (!best) throw new Error('no plans to compare');
  const reason =
    best.overage_cents > 0
      ? `${best.name} costs least at ${usage.properties_imported.toLocaleString('en-US')} properties a busy month, overage included`
      : `${best.name} includes a busy month's ${usage.properties_imported.toLocaleString('en-US')} properties without overage`;
  return {
    recommended_plan: best.plan_code,
    reason,
    monthly_usage: usage,
    plans_compared: compared,
    roi_projection: projectRoi(i, best.annual_cents),
  };
}
