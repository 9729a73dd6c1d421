/**
 * The response shapes the pages read. The API's routes declare request schemas but not yet response schemas, so
 * schema.d.ts types what is sent and these type what comes back (mirroring the server's views; keep them in step
 * until the routes declare responses and these can be read from schema.d.ts).
 */
import type { Metric, PlanEstimate, RoiProjection } from '@stormops/plans';

export interface Storm {
  storm_id: string;
  tenant_id: string;
  event_id: string;
  name: string;
  status: 'planning' | 'active' | 'closed' | 'cancelled';
  starts_at: string | null;
  ends_at: string | null;
  region: string | null;
  created_at: string;
  updated_at: string;
}

/** GET /v1/storms/{storm_id}/map: the counts and hail reports beside the map (the points: src/map/points.ts). */
export interface StormMap {
  storm_id: string;
  hail_reports: { lat: number; lon: number; size_in: number | null; occurred_at: string; location: string }[];
  counts: { properties: number; located: number; scored: number; treat: number; hold: number };
}

export interface OnboardingResult {
  tenant_id: string;
  created: boolean;
  tier: 'trial';
  recommended_plan: string;
  recommendation_reason: string;
  plans_compared: PlanEstimate[];
  roi_projection: RoiProjection;
  timestamp: string;
  submission_id: string;
  /** How the admin sets a password: e-mailed, or (no SMTP, new tenant only) the link shown here. */
  invitation: { delivery: 'email' | 'shown' | 'none'; link?: string; expires_at?: string; message: string };
}

export interface MetricUsage {
  metric: Metric;
  quantity: number;
  included: number;
  ratio: number | null;
  overage_cents: number;
}

export interface QuotaAlert {
  metric: string;
  level: string;
  ratio: number;
  created_at?: string;
}

export interface BillingDashboard {
  tenant_id: string;
  org_name: string;
  tier: string;
  plan: { code: string; version: number; name: string; support_response_sla_hours: number };
  period: string;
  days_elapsed: number;
  period_days: number;
  base_cents: number;
  overage_cents: number;
  total_cents: number;
  usage: MetricUsage[];
  projected: { total_cents: number; overage_cents: number; method: string };
  alerts: QuotaAlert[];
}

export interface Invoice {
  invoice_id: string;
  kind: 'invoice' | 'credit_note';
  period: string;
  status: 'draft' | 'finalized' | 'paid' | 'overdue' | 'void';
  number: number | null;
  total_cents: number;
  created_at: string;
  due_at: string | null;
  paid_at: string | null;
}

export interface CustomerHealth {
  tenant_id: string;
  org_name: string;
  tier: string;
  health_score: number;
  usage_ratio: number;
  projected_cost_cents: number;
  flags: string[];
}

/** Who is signed in (GET /v1/auth/session): a person's session, an API key, or the operator. */
export interface WhoAmI {
  kind: 'tenant' | 'staff' | 'platform';
  tenant_id: string | null;
  user_id: string | null;
  role: string;
  via: 'session' | 'credential' | 'platform';
  expires_at: string | null;
  csrf_token?: string;
  /** The actions this caller holds (role, grants and scopes). */
  permissions: string[];
}
