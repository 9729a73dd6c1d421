/** Kysely table types for billing and onboarding (migrations 0028, 0029; docs/billing.md). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

/** Bigints arrive as text from pg and as numbers from PGlite. */
type Bigint = ColumnType<string | number, string | number | bigint, string | number | bigint>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface BillingPlanTable {
  plan_code: string;
  version: number;
  name: string;
  base_price_cents: Bigint;
  support_tier: string;
  support_response_sla_hours: number;
  metrics: Json<Record<string, unknown>>;
  hard_quota: Generated<boolean>;
  published_at: Generated<Date>;
}

export interface BillingPlanAssignmentTable {
  tenant_id: string;
  assignment_id: Generated<string>;
  plan_code: string;
  plan_version: number;
  starts_at: Timestamp;
}

export interface UsageEventTable {
  tenant_id: string;
  event_id: Generated<string>;
  metric: string;
  quantity: Bigint;
  idempotency_key: string;
  payload_hash: string;
  occurred_at: Timestamp;
  period: string;
  late: Generated<boolean>;
  source: string;
  recorded_at: Generated<Date>;
}

export interface BillingOverrideTable {
  tenant_id: string;
  metric: string;
  included: Bigint;
  set_at: Timestamp;
}

export interface QuotaAlertTable {
  tenant_id: string;
  period: string;
  metric: string;
  level: string;
  ratio: number;
  at: Generated<Date>;
}

export interface InvoiceTable {
  tenant_id: string;
  invoice_id: Generated<string>;
  kind: Generated<string>;
  period: string;
  status: Generated<string>;
  number: ColumnType<string | number | null, string | number | null | undefined, string | number | null>;
  currency: Generated<string>;
  lines: Json<unknown[]>;
  subtotal_cents: Bigint;
  total_cents: Bigint;
  credit_note_for: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  finalized_at: NullableTimestamp;
  due_at: NullableTimestamp;
  paid_at: NullableTimestamp;
  voided_at: NullableTimestamp;
}

export interface BillingInvoiceCounterTable {
  singleton: Generated<boolean>;
  last_number: Bigint;
}

export interface CustomerHealthSnapshotTable {
  tenant_id: string;
  day: ColumnType<Date | string, string, string>;
  score: number;
  components: Json<Record<string, unknown>>;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  taken_at: Generated<Date>;
}

export interface OnboardingSubmissionTable {
  tenant_id: string;
  submission_id: Generated<string>;
  intake: Json<Record<string, unknown>>;
  recommended_plan: string;
  submitted_at: Generated<Date>;
}
