/**
 * `PilotResults`: the pilot report as data, with the playbook's names (`results.outcomes.lift.absolute`,
 * `results.roi.roi_pct`, `results.roi.incremental_revenue`). Every renderer (Markdown, HTML, PDF) reads only this.
 *
 * Units, once for all fields:
 * - rates, lifts and shares are FRACTIONS (0.124 = 12.4 points / 12.4 %); `roi_pct` is a percentage (412.5 = 412.5 %);
 * - MONEY IS IN US DOLLARS (numbers rounded to the cent), because the playbook prints `${incremental_revenue:,.0f}`;
 *   the inputs are cents and the conversion happens once, in pilot.compute.ts;
 * - intervals are `[lower, upper]` at level 1 - alpha (`alpha` at the top), two-sided.
 */

import type { SegmentLift } from '../analyze/segments.ts';
import type { DetectableLift } from '../policy/detectable-lift.ts';

/** [lower, upper] */
export type Range = [number, number];

export interface ArmOutcome {
  n: number;
  conversions: number;
  rate: number;
  /** Wilson interval of the rate. */
  rate_ci: Range;
  /** Total job value in the arm, dollars. */
  revenue: number;
  /** Revenue per assigned unit, dollars. */
  revenue_per_unit: number;
}

export interface PilotOutcomes {
  treat: ArmOutcome;
  hold: ArmOutcome;
  lift: {
    /** rate_treat - rate_hold (fraction; x100 for points). */
    absolute: number;
    /** Newcombe hybrid score interval. */
    absolute_ci: Range;
    /** rate_treat / rate_hold - 1; null when the hold arm has no conversion. */
    relative: number | null;
    /** Delta-method interval; null with `relative`. */
    relative_ci: Range | null;
    /** Pooled two-proportion z-test, two-sided. */
    p_value: number;
    significant: boolean;
  };
  /** Revenue per unit, treat - hold, dollars (Welch). */
  revenue_per_unit: { diff: number; diff_ci: Range; p_value: number };
}

export interface PilotRoi {
  /** 'gross_margin' when the policy gives a margin, else 'revenue' (the ROI numerator). */
  basis: 'gross_margin' | 'revenue';
  gross_margin: number | null;
  /** (incremental revenue x margin - cost) / cost x 100; null when cost is 0. */
  roi_pct: number | null;
  /** ROI at the ends of the incremental-revenue interval. */
  roi_pct_ci: Range | null;
  /** (revenue/unit treat - revenue/unit hold) x treat n, dollars. */
  incremental_revenue: number;
  incremental_revenue_ci: Range;
  /** absolute lift x treat n. */
  incremental_conversions: number;
  incremental_conversions_ci: Range;
  /** Knocks of both arms (a contaminating knock costs too). */
  knocks: number;
  crew_hours: number;
  /** 'knock_log' when measured from the knock times, 'estimated' from the planned pace, 'given' when supplied. */
  crew_hours_source: 'knock_log' | 'estimated' | 'given';
  /** knocks x cost per knock + crew hours x crew hour cost, dollars. */
  cost: number;
  /** cost / incremental conversions, dollars; null when incremental conversions <= 0. */
  cac: number | null;
  /** incremental revenue / crew hours, dollars; null when crew hours is 0. */
  revenue_per_crew_hour: number | null;
}

export interface PilotSrm {
  expected_hold_share: number;
  observed_hold_share: number;
  chi_square: number;
  p_value: number;
  flagged: boolean;
  /** Why, for display; null when tested and fine. */
  reason: string | null;
}

export interface PilotContamination {
  /** Hold units knocked anyway. */
  hold_contaminated: number;
  hold_n: number;
  /** hold_contaminated / hold_n. */
  rate: number;
  treat_contaminated: number;
  /** Share of treat units actually knocked (the lift is intent-to-treat: it includes unknocked treat units). */
  treat_compliance: number;
  flagged: boolean;
}

export interface DecileAccuracy {
  /** 1 = highest predicted uplift. */
  decile: number;
  predicted_uplift: number;
  observed_lift: number | null;
  /** Newcombe interval; null when an arm of the decile is empty. */
  observed_lift_ci: Range | null;
  treat_n: number;
  hold_n: number;
}

export interface QiniPoint {
  /** Share of the experiment targeted, best predicted first (0..1). */
  fraction: number;
  /** Incremental conversions among them: Y_T - Y_H x N_T / N_H. */
  incremental_conversions: number;
}

export interface PilotUpliftAccuracy {
  deciles: DecileAccuracy[];
  /** Qini curve at bucket boundaries, starting at (0, 0). */
  qini_curve: QiniPoint[];
  /**
   * (area under the Qini curve - area under the random-targeting line) / (N x |Q(N)|): 0 for random ranking,
   * positive when the model ranks better than random; about causalml's normalized Qini (see the methodology).
   * null when Q(N) = 0.
   */
  qini_coefficient: number | null;
  buckets: number;
}

export interface OverTimePoint {
  date: string;
  lift: number;
  /** Always-valid (confidence-sequence) interval: valid at every day at once. */
  lower: number;
  upper: number;
  /** Running minimum of the always-valid p-value. */
  p_value: number;
}

export interface PilotOverTime {
  /** tau^2 of the normal-mixture confidence sequence, fixed from the arm sizes (never from outcomes). */
  mixing_variance: number;
  points: OverTimePoint[];
  /** First date whose always-valid interval excludes 0; null if none. */
  conclusive_since: string | null;
}

export interface ArmCoverage {
  logged: number;
  assigned: number;
  /** logged / assigned. */
  share: number;
}

/** How many assigned homes have an outcome logged: a home with none counts as not signed, so low coverage misleads. */
export interface PilotCoverage {
  treat: ArmCoverage;
  hold: ArmCoverage;
  /** Below this share in either arm the report gives no verdict ('not_enough_data'). */
  minimum: number;
  sufficient: boolean;
}

export interface PilotBatch {
  batch: number;
  mode: string;
  version: number;
  intended_hold_share: number;
  observed_hold_share: number;
  treat: { n: number; conversions: number };
  hold: { n: number; conversions: number };
  /** This batch's sample-ratio check against its own intended share. */
  srm: { p_value: number; flagged: boolean } | null;
  /** null when an arm of the batch is empty. */
  lift: { absolute: number; absolute_ci: Range; p_value: number } | null;
}

export interface PilotSegments {
  dimension: 'zip' | 'roof_age' | 'hail_size' | 'home_value';
  label: string;
  /** A segment is tested only when each arm has at least this many homes. */
  min_per_arm: number;
  segments: SegmentLift[];
}

export interface PilotMonitor {
  status: string;
  issues: string[];
  breaches: number;
  pass: boolean;
}

export type CriterionKey =
  | 'lift'
  | 'roi'
  | 'incremental_revenue'
  | 'cac'
  | 'revenue_per_crew_hour'
  | 'data_quality'
  | 'slo'
  | 'contamination'
  | 'satisfaction';

export interface SuccessCriterion {
  key: CriterionKey;
  name: string;
  /** 'pts' | 'pct' | 'usd' | 'count': how renderers format target and actual. */
  unit: 'pts' | 'pct' | 'usd' | 'count' | 'score';
  comparator: '>' | '<' | '=';
  target: number;
  /** null when it cannot be computed (e.g. CAC with no incremental job): then pass is false. */
  actual: number | null;
  pass: boolean;
  /**
   * 'no_data' when there is nothing to judge (no canvassing cost recorded, no crew hours, no SLO data, outcomes
   * below the coverage minimum): never a pass.
   */
  status: 'pass' | 'fail' | 'no_data';
}

export type PilotOutcome = 'success' | 'mixed' | 'inconclusive' | 'unsuccessful' | 'not_enough_data';

export interface PilotResults {
  report: 'stormops.pilot';
  version: 1;
  alpha: number;
  currency: 'USD';
  storm: {
    storm_id: string;
    event_id: string;
    name: string;
    starts_on: string;
    ends_on: string;
    contractor: string | null;
  };
  policy: {
    mode: string;
    hold_share: number;
    cost_per_knock: number;
    crew_hour_cost: number;
    gross_margin: number | null;
  };
  /** null when the inputs did not say how many outcomes were logged. */
  coverage: PilotCoverage | null;
  /** The smallest lift these arms could detect (80% power, observed hold-out rate), against the lift target. */
  detectable_lift: DetectableLift;
  outcomes: PilotOutcomes;
  /**
   * The storm's policy batches; with two or more, `outcomes.lift` is the stratified lift pooled across them and
   * `lift_method` says so.
   */
  batches: PilotBatch[];
  lift_method: 'pooled' | 'stratified_by_batch';
  roi: PilotRoi;
  srm: PilotSrm;
  contamination: PilotContamination;
  /** null when no score buckets were given. */
  uplift_accuracy: PilotUpliftAccuracy | null;
  over_time: PilotOverTime;
  data_quality: PilotMonitor;
  slo: PilotMonitor;
  /** Lift by ZIP and by roof-age, hail-size and home-value band (Holm-adjusted within each); empty when not given. */
  segments: PilotSegments[];
  /** The contractor's latest satisfaction score (1-10) and comment; null when none was recorded. */
  satisfaction: { score: number; comment: string | null } | null;
  success_criteria: SuccessCriterion[];
  /**
   * passed / total and the call: 'not_enough_data' when outcome coverage is below its minimum; 'unsuccessful' when lift < 5 pts or ROI < 100% (the playbook's "If Unsuccessful");
   * else 'inconclusive' when the lift is not statistically significant (point estimates alone prove nothing);
   * else 'success' when every criterion passes; otherwise 'mixed'.
   */
  summary: { passed: number; total: number; outcome: PilotOutcome };
}
