/** Response shapes of a storm's operations (imports, policy, territories, data health, the pilot report). */

export type ImportStatus = 'running' | 'completed' | 'failed' | 'interrupted' | 'cancelled';

/** GET /v1/imports/{import_id}; `progress` only while it runs. */
export interface ImportJob {
  import_id: string;
  storm_id: string;
  status: ImportStatus;
  source_name: string | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  invalid: number;
  elapsed_ms: number | null;
  error: { code?: string; message?: string; [k: string]: unknown } | null;
  started_at: string;
  finished_at: string | null;
  progress?: { rows_read: number; bytes_read: number; bytes_total: number | null; elapsed_ms: number };
}

export type PolicyMode = 'conservative' | 'moderate' | 'aggressive' | 'custom';
export const POLICY_MODES: PolicyMode[] = ['conservative', 'moderate', 'aggressive', 'custom'];

export interface DetectableLift {
  pts: number;
  alpha: number;
  power: number;
  base_rate: number;
  underpowered: boolean;
}

/** POST /v1/storms/{id}/policy/preview and /apply; GET .../policy/runs. */
export interface PolicyRun {
  run_id: string;
  mode: PolicyMode;
  policy_version: number;
  batch: number;
  shadow: boolean;
  properties: number;
  treat: number;
  hold: number;
  excluded: number;
  unscored: number;
  newly_assigned: number;
  treat_pct: number;
  hold_pct: number;
  capacity: number;
  capacity_used: number;
  capacity_used_pct: number;
  expected_incremental_conversions: number;
  expected_incremental_revenue_cents: number;
  detectable_lift: DetectableLift;
  warnings: string[];
  created_at: string;
}

/** POST /v1/storms/{id}/territories. */
export interface TerritoryPlan {
  storm_id: string;
  treat: number;
  unlocated: number;
  territories: { territory: number; canvasser: string; doors: number; route_km: number }[];
}

/** GET /v1/storms/{id}/walk-list (GeoJSON): the doors in walking order, every territory or one. */
export interface WalkList {
  type: 'FeatureCollection';
  features: {
    geometry: { coordinates: [number, number] };
    properties: {
      territory: number;
      canvasser: string;
      walk_seq: number;
      property_id: string;
      address: string;
      zip: string | null;
    };
  }[];
}

/** GET /v1/storms/{id}/health. */
export interface StormHealth {
  storm_id: string;
  health_status: 'healthy' | 'degraded' | 'unhealthy' | string;
  issues: { check: string; severity: 'warning' | 'critical' | string; message: string }[];
  checked_at: string;
}

type Range = [number, number];

/** The parts of GET /v1/storms/{id}/pilot the pages show (fractions; money in dollars). */
export interface PilotResults {
  alpha: number;
  storm: { storm_id: string; event_id: string; name: string; starts_on: string; ends_on: string };
  policy: { mode: string; hold_share: number };
  coverage: {
    treat: { logged: number; assigned: number; share: number };
    hold: { logged: number; assigned: number; share: number };
    minimum: number;
    sufficient: boolean;
  } | null;
  detectable_lift: DetectableLift;
  outcomes: {
    treat: { n: number; conversions: number; rate: number; revenue: number };
    hold: { n: number; conversions: number; rate: number; revenue: number };
    lift: {
      absolute: number;
      absolute_ci: Range;
      relative: number | null;
      p_value: number;
      significant: boolean;
    };
  };
  roi: {
    roi_pct: number | null;
    roi_pct_ci: Range | null;
    incremental_revenue: number;
    incremental_revenue_ci: Range;
    incremental_conversions: number;
    cost: number;
    cac: number | null;
  };
  srm: { flagged: boolean; p_value: number; reason: string | null };
  contamination: { rate: number; hold_contaminated: number; flagged: boolean };
  uplift_accuracy: {
    qini_curve: { fraction: number; incremental_conversions: number }[];
    qini_coefficient: number | null;
  } | null;
  over_time: {
    points: { date: string; lift: number; lower: number; upper: number; p_value: number }[];
    conclusive_since: string | null;
  };
  success_criteria: {
    key: string;
    name: string;
    unit: 'pts' | 'pct' | 'usd' | 'count' | 'score';
    comparator: '>' | '<' | '=';
    target: number;
    actual: number | null;
    status: 'pass' | 'fail' | 'no_data';
  }[];
  summary: { passed: number; total: number; outcome: string };
}
