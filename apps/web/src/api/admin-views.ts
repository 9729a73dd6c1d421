/** Response shapes of the administration pages: models, SLOs and alerts, team, audit log. */

export interface ModelSummary {
  model_id: string;
  name: string;
  version: number;
  learner: string;
  stage: 'staging' | 'shadow' | 'production' | 'archived' | string;
  training_rows: number;
  holdout_metrics: { qini_auc_score?: number; uplift_auc_score?: number; uplift_at_30?: number } | null;
  created_at: string;
}

export interface ModelDetail extends ModelSummary {
  stage_history: {
    from_stage: string | null;
    to_stage: string;
    actor: string;
    reason: string | null;
    changed_at: string;
  }[];
}

export interface SloStatus {
  name: string;
  description: string;
  objective: number;
  window: string;
  status: 'ok' | 'warning' | 'breached' | 'no_data' | string;
  sli: number | null;
  error_budget_remaining: number;
  burn_rates: Record<string, number>;
  firing_rules: string[];
  breaches: number;
}

export interface AlertIncident {
  alert_id: string;
  alert_key: string;
  source: string;
  severity: 'page' | 'ticket' | string;
  message: string;
  since: string;
}

export interface TeamUser {
  user_id: string;
  email: string;
  role: string;
  has_password: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface Invitation {
  invitation_id?: string;
  email: string;
  role: string;
  expires_at: string;
  created_at?: string;
}

export interface InvitationResult {
  email: string;
  role: string;
  expires_at: string;
  delivery?: string;
  link?: string;
  message?: string;
}

export interface Credential {
  token_id: string;
  email: string | null;
  role: string;
  name: string | null;
  status: 'active' | 'revoked' | 'expired' | string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface AuditEvent {
  event_id: string;
  at: string;
  actor: { kind: string; id: string | null; role?: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  request_id: string | null;
}
