/** Kysely table types. Column names are the database's (snake_case); keep in step with migrations/*.sql. */
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';
import type {
  PasswordResetTable,
  SsoConfigTable,
  SsoLoginTable,
  UserInvitationTable,
  UserSessionTable,
} from './schema.sign-in.ts';
import type {
  BillingInvoiceCounterTable,
  BillingOverrideTable,
  BillingPlanAssignmentTable,
  BillingPlanTable,
  CustomerHealthSnapshotTable,
  InvoiceTable,
  OnboardingSubmissionTable,
  QuotaAlertTable,
  UsageEventTable,
} from './schema.billing.ts';
import type { AssignmentTable, KnockTable, OutcomeTable, PolicyConfigTable, PolicyRunTable } from './schema.policy.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;
/** Insertion order, an identity (0010_event_order.sql): the tie-breaker after a timestamp. pg reads int8 as text, PGlite as a number. */
type Seq = GeneratedAlways<string | number>;

export interface TenantTable {
  tenant_id: string;
  org_name: string;
  org_key: string;
  tier: string;
  status: Generated<string>;
  admin_email: string;
  feature_flags: Json<Record<string, boolean>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppUserTable {
  tenant_id: string;
  user_id: Generated<string>;
  email: string;
  role: string;
  created_at: Timestamp;
  /** scrypt hash (users/passwords.ts); null until the user sets a password (invitation, reset) or for SSO-only users. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  last_login_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: Timestamp;
}

export interface ApiTokenTable {
  tenant_id: string;
  token_id: Generated<string>;
  user_id: string;
  token_hash: string;
  name: string;
  role: string;
  created_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  scopes: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  grants: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Platform staff (migration 0020): customer_success_manager, support. */
export interface StaffMemberTable {
  staff_id: Generated<string>;
  email: string;
  role: string;
  created_at: Generated<Date>;
}

export interface StaffTokenTable {
  token_id: Generated<string>;
  staff_id: string;
  token_hash: string;
  name: string;
  role: string;
  scopes: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  created_at: Generated<Date>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** One administrative action (append-only; migration 0020). platform_audit_event has the same shape, no tenant. */
export interface AuditEventTable {
  tenant_id: string;
  event_id: Generated<string>;
  at: Generated<Date>;
  actor_kind: string;
  actor_id: string | null;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: ColumnType<unknown, string | null | undefined, never>;
  after: ColumnType<unknown, string | null | undefined, never>;
  request_id: string | null;
}

export type PlatformAuditEventTable = Omit<AuditEventTable, 'tenant_id'>;

export interface StormTable {
  tenant_id: string;
  storm_id: Generated<string>;
  event_id: string;
  name: string;
  status: Generated<string>;
  starts_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  region: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  seq: Seq;
}

export interface StormStatusChangeTable {
  tenant_id: string;
  change_id: Generated<string>;
  storm_id: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  changed_at: Timestamp;
  seq: Seq;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface DB {
  tenant: TenantTable;
  app_user: AppUserTable;
  user_invitation: UserInvitationTable;
  password_reset: PasswordResetTable;
  user_session: UserSessionTable;
  sso_config: SsoConfigTable;
  sso_login: SsoLoginTable;
  api_token: ApiTokenTable;
  staff_member: StaffMemberTable;
  staff_token: StaffTokenTable;
  audit_event: AuditEventTable;
  platform_audit_event: PlatformAuditEventTable;
  storm: StormTable;
  storm_status_change: StormStatusChangeTable;
  schema_migration: SchemaMigrationTable;
  column_mapping: ColumnMappingTable;
  property_import: PropertyImportTable;
  property_import_error: PropertyImportErrorTable;
  property: PropertyTable;
  storm_report: StormReportTable;
  uplift_model: UpliftModelTable;
  model_stage_change: ModelStageChangeTable;
  property_score: PropertyScoreTable;
  storm_health_check: StormHealthCheckTable;
  pilot_feedback: PilotFeedbackTable;
  uplift_band_setting: UpliftBandSettingTable;
  backup_log: BackupLogTable;
  policy_config: PolicyConfigTable;
  policy_run: PolicyRunTable;
  assignment: AssignmentTable;
  knock: KnockTable;
  outcome: OutcomeTable;
  metric_bucket: MetricBucketTable;
  alert_incident: AlertIncidentTable;
  billing_plan: BillingPlanTable;
  billing_plan_assignment: BillingPlanAssignmentTable;
  usage_event: UsageEventTable;
  billing_override: BillingOverrideTable;
  quota_alert: QuotaAlertTable;
  invoice: InvoiceTable;
  billing_invoice_counter: BillingInvoiceCounterTable;
  customer_health_snapshot: CustomerHealthSnapshotTable;
  onboarding_submission: OnboardingSubmissionTable;
}

export type TenantRow = Selectable<TenantTable>;
export type StormRow = Selectable<StormTable>;
export type NewStorm = Insertable<StormTable>;

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface ColumnMappingTable {
  tenant_id: string;
  name: string;
  mapping: Json<Record<string, string>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PropertyImportTable {
  tenant_id: string;
  import_id: string;
  storm_id: string;
  status: string;
  source_name: Nullable<string>;
  format: Nullable<string>;
  mapping: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  skip_invalid: Generated<boolean>;
  rows_read: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  duplicates: Generated<number>;
  invalid: Generated<number>;
  elapsed_ms: Nullable<number>;
  error: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  started_at: Timestamp;
  finished_at: Nullable<Date>;
  seq: Seq;
  /** The process running the import (host:pid:random) and its last heartbeat (0025). */
  owner_id: Nullable<string>;
  heartbeat_at: Nullable<Date>;
}

export interface PropertyImportErrorTable {
  tenant_id: string;
  import_id: string;
  seq: number;
  row_number: Nullable<number>;
  column_name: Nullable<string>;
  value: Nullable<string>;
  code: string;
  reason: string;
}

export interface PropertyTable {
  tenant_id: string;
  property_id: Generated<string>;
  storm_id: string;
  address_key: string;
  address_line: string;
  city: Nullable<string>;
  state: Nullable<string>;
  zip: Nullable<string>;
  lat: Nullable<number>;
  lon: Nullable<number>;
  year_built: Nullable<number>;
  roof_age_years: Nullable<number>;
  roof_material: Nullable<string>;
  home_value_cents: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  square_feet: Nullable<number>;
  owner_occupied: Nullable<boolean>;
  prior_customer: Nullable<boolean>;
  phone: Nullable<string>;
  email: Nullable<string>;
  external_id: Nullable<string>;
  /** NULL when the row has none (0015). */
  attributes: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  import_id: Nullable<string>;
  source_row: Nullable<number>;
  max_hail_in: Nullable<number>;
  hail_reports_within: Nullable<number>;
  nearest_hail_mi: Nullable<number>;
  max_wind_kt: Nullable<number>;
  exposure_radius_mi: Nullable<number>;
  exposure_at: Nullable<Date>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StormReportTable {
  tenant_id: string;
  report_id: Generated<string>;
  storm_id: string;
  kind: string;
  occurred_at: Timestamp;
  magnitude: Nullable<number>;
  location: string;
  county: Nullable<string>;
  state: Nullable<string>;
  lat: number;
  lon: number;
  office: Nullable<string>;
  comments: Nullable<string>;
  source_file: Nullable<string>;
  source_row: Nullable<number>;
}

type JsonObject = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface UpliftModelTable {
  tenant_id: string;
  model_id: Generated<string>;
  name: Generated<string>;
  version: number;
  learner: string;
  params: JsonObject;
  feature_schema: JsonObject;
  training_source: JsonObject;
  training_fingerprint: string;
  training_rows: number;
  holdout_metrics: JsonObject;
  score_reference: JsonObject;
  artifact: JsonObject;
  stage: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ModelStageChangeTable {
  tenant_id: string;
  change_id: Generated<string>;
  model_id: string;
  from_stage: Nullable<string>;
  to_stage: string;
  actor: string;
  reason: Nullable<string>;
  changed_at: Timestamp;
  seq: Seq;
}

export interface PropertyScoreTable {
  tenant_id: string;
  property_id: string;
  storm_id: string;
  /** The property's ZIP when scored (0009), for the policy's strata. */
  zip: Nullable<string>;
  model_id: string;
  uplift: number;
  shadow_model_id: Nullable<string>;
  shadow_uplift: Nullable<number>;
  scored_at: Timestamp;
}

/** Platform metrics in minute buckets (0008_observability.sql); counts are bigint, read them cast to float8. */
export interface MetricBucketTable {
  series: string;
  bucket_start: Timestamp;
  good: ColumnType<string, number | undefined, number>;
  total: ColumnType<string, number | undefined, number>;
}

/** Alert incidents with their delivery outbox (0008_observability.sql). */
export interface AlertIncidentTable {
  alert_id: Generated<string>;
  alert_key: string;
  source: string;
  severity: string;
  message: string;
  details: JsonObject;
  opened_at: Timestamp;
  resolved_at: Nullable<Date>;
  trigger_sent_at: Nullable<Date>;
  resolve_sent_at: Nullable<Date>;
  delivery_attempts: Generated<number>;
  last_delivery_error: Nullable<string>;
  seq: Seq;
}

export interface StormHealthCheckTable {
  tenant_id: string;
  check_id: Generated<string>;
  storm_id: string;
  kind: string;
  status: string;
  result: JsonObject;
  checked_at: Timestamp;
}

export interface UpliftBandSettingTable {
  tenant_id: string;
  low: number;
  high: number;
  updated_by: string;
  updated_at: Generated<Timestamp>;
}

export interface PilotFeedbackTable {
  tenant_id: string;
  feedback_id: Generated<string>;
  storm_id: string;
  score: number;
  comment: string | null;
  recorded_by: string;
  recorded_at: Generated<Timestamp>;
}

export interface BackupLogTable {
  backup_id: Generated<string>;
  database_kind: string;
  location: string;
  bytes: ColumnType<string, number | string, number | string>;
  completed_at: Timestamp;
  sha256: string | null;
  verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
