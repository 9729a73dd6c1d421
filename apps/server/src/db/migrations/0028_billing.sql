-- Billing (docs/billing.md): plans as versioned data, each tenant's plan history (proration), a usage ledger with
-- idempotency keys, contract overrides, quota alerts, invoices that the database keeps immutable once finalized with
-- gap-free numbers, and daily customer-health snapshots. Money in integer cents.

-- The plan catalogue: platform data every role may read. A plan's terms never change in place: a new version is a
-- new row, and tenants keep the version they signed up on until moved.
create table billing_plan (
  plan_code text not null,
  version integer not null,
  name text not null,
  base_price_cents bigint not null,
  support_tier text not null,
  support_response_sla_hours integer not null,
  -- { metric: { included, charge: { model: per_unit|graduated|package, ... } } } (billing/plans.ts)
  metrics jsonb not null,
  hard_quota boolean not null default false,
  published_at timestamptz not null default now(),
  constraint billing_plan_pkey primary key (plan_code, version),
  constraint billing_plan_code_check check (plan_code in ('trial', 'standard', 'enterprise')),
  constraint billing_plan_price_check check (base_price_cents >= 0)
);
grant select on billing_plan to stormops_tenant, stormops_platform;

insert into billing_plan (plan_code, version, name, base_price_cents, support_tier, support_response_sla_hours, hard_quota, metrics)
values
  ('trial', 1, 'Trial', 0, 'community', 72, true, '{
    "properties_imported": {"included": 5000, "charge": {"model": "per_unit", "unit_cents": 0}},
    "properties_scored": {"included": 5000, "charge": {"model": "per_unit", "unit_cents": 0}},
    "storms_created": {"included": 3, "charge": {"model": "per_unit", "unit_cents": 0}},
    "reports_generated": {"included": 20, "charge": {"model": "per_unit", "unit_cents": 0}},
    "api_calls": {"included": 10000, "charge": {"model": "per_unit", "unit_cents": 0}},
    "seats": {"included": 3, "charge": {"model": "per_unit", "unit_cents": 0}}
  }'),
  ('standard', 1, 'Standard', 49900, 'business', 24, false, '{
    "properties_imported": {"included": 50000, "charge": {"model": "graduated", "tiers": [{"up_to": 100000, "unit_cents": 1}, {"up_to": null, "unit_cents": 0.5}]}},
    "properties_scored": {"included": 50000, "charge": {"model": "graduated", "tiers": [{"up_to": 100000, "unit_cents": 1}, {"up_to": null, "unit_cents": 0.5}]}},
    "storms_created": {"included": 20, "charge": {"model": "per_unit", "unit_cents": 2500}},
    "reports_generated": {"included": 100, "charge": {"model": "package", "package_size": 10, "package_cents": 1000}},
    "api_calls": {"included": 100000, "charge": {"model": "package", "package_size": 10000, "package_cents": 500}},
    "seats": {"included": 10, "charge": {"model": "per_unit", "unit_cents": 2900}}
  }'),
  ('enterprise', 1, 'Enterprise', 249900, 'priority', 4, false, '{
    "properties_imported": {"included": 500000, "charge": {"model": "graduated", "tiers": [{"up_to": 1000000, "unit_cents": 0.5}, {"up_to": null, "unit_cents": 0.25}]}},
    "properties_scored": {"included": 500000, "charge": {"model": "graduated", "tiers": [{"up_to": 1000000, "unit_cents": 0.5}, {"up_to": null, "unit_cents": 0.25}]}},
    "storms_created": {"included": 200, "charge": {"model": "per_unit", "unit_cents": 1000}},
    "reports_generated": {"included": 1000, "charge": {"model": "package", "package_size": 100, "package_cents": 5000}},
    "api_calls": {"included": 2000000, "charge": {"model": "package", "package_size": 100000, "package_cents": 1000}},
    "seats": {"included": 50, "charge": {"model": "per_unit", "unit_cents": 1900}}
  }');

-- Which plan (and version) a tenant was on from when: a change mid-period is prorated by the day.
create table billing_plan_assignment (
  tenant_id uuid not null,
  assignment_id uuid not null default gen_random_uuid(),
  plan_code text not null,
  plan_version integer not null,
  starts_at timestamptz not null default now(),
  constraint billing_plan_assignment_pkey primary key (tenant_id, assignment_id),
  constraint billing_plan_assignment_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint billing_plan_assignment_plan_fkey foreign key (plan_code, plan_version) references billing_plan (plan_code, version)
);
create index billing_plan_assignment_starts_idx on billing_plan_assignment (tenant_id, starts_at);
select stormops_isolate_tenant_table('billing_plan_assignment');
insert into billing_plan_assignment (tenant_id, plan_code, plan_version, starts_at)
  select tenant_id, tier, 1, created_at from tenant;

-- The usage ledger. One row per billable fact; the idempotency key makes a retried action or event count once.
-- `period` is the month the quantity is billed in: the month of `occurred_at`, or the next open one for a late event.
create table usage_event (
  tenant_id uuid not null,
  event_id uuid not null default gen_random_uuid(),
  metric text not null,
  quantity bigint not null,
  idempotency_key text not null,
  payload_hash text not null,
  occurred_at timestamptz not null,
  period text not null,
  late boolean not null default false,
  source text not null,
  recorded_at timestamptz not null default now(),
  constraint usage_event_pkey primary key (tenant_id, event_id),
  constraint usage_event_key_key unique (tenant_id, idempotency_key),
  constraint usage_event_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint usage_event_metric_check check (metric in ('properties_imported', 'properties_scored', 'storms_created', 'reports_generated', 'api_calls', 'seats')),
  constraint usage_event_quantity_check check (quantity >= 0),
  constraint usage_event_period_check check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  constraint usage_event_source_check check (source in ('action', 'api', 'signup'))
);
create index usage_event_period_idx on usage_event (tenant_id, period, metric);
select stormops_isolate_tenant_table('usage_event');
revoke update, delete on usage_event from stormops_tenant;

-- Contract terms: a tenant's included quantity for a metric, instead of its plan's.
create table billing_override (
  tenant_id uuid not null,
  metric text not null,
  included bigint not null,
  set_at timestamptz not null default now(),
  constraint billing_override_pkey primary key (tenant_id, metric),
  constraint billing_override_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint billing_override_included_check check (included >= 0)
);
select stormops_isolate_tenant_table('billing_override');

-- Quota alerts: at most one per tenant, period, metric and level.
create table quota_alert (
  tenant_id uuid not null,
  period text not null,
  metric text not null,
  level text not null,
  ratio double precision not null,
  at timestamptz not null default now(),
  constraint quota_alert_pkey primary key (tenant_id, period, metric, level),
  constraint quota_alert_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint quota_alert_level_check check (level in ('soft', 'hard'))
);
select stormops_isolate_tenant_table('quota_alert');

-- Invoices and credit notes. A draft may be recomputed; finalizing gives it the next number of one gap-free
-- sequence (billing_invoice_counter, updated in the finalizing transaction) and from then on the database refuses
-- any change but recording payment, lateness or voiding (trigger below), and refuses deletion.
create table invoice (
  tenant_id uuid not null,
  invoice_id uuid not null default gen_random_uuid(),
  kind text not null default 'invoice',
  period text not null,
  status text not null default 'draft',
  number bigint,
  currency text not null default 'usd',
  lines jsonb not null,
  subtotal_cents bigint not null,
  total_cents bigint not null,
  credit_note_for uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finalized_at timestamptz,
  due_at timestamptz,
  paid_at timestamptz,
  voided_at timestamptz,
  constraint invoice_pkey primary key (tenant_id, invoice_id),
  constraint invoice_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint invoice_kind_check check (kind in ('invoice', 'credit_note')),
  constraint invoice_status_check check (status in ('draft', 'finalized', 'paid', 'overdue', 'void')),
  constraint invoice_number_key unique (tenant_id, number),
  constraint invoice_credit_fkey foreign key (tenant_id, credit_note_for) references invoice (tenant_id, invoice_id)
);
create unique index invoice_period_key on invoice (tenant_id, period) where kind = 'invoice';
create unique index invoice_credit_note_key on invoice (tenant_id, credit_note_for) where kind = 'credit_note';
create unique index invoice_global_number_key on invoice (number) where number is not null;
select stormops_isolate_tenant_table('invoice');

create table billing_invoice_counter (
  singleton boolean not null default true,
  last_number bigint not null default 0,
  constraint billing_invoice_counter_pkey primary key (singleton),
  constraint billing_invoice_counter_singleton_check check (singleton)
);
insert into billing_invoice_counter (singleton, last_number) values (true, 0);
grant select, update on billing_invoice_counter to stormops_platform;

create or replace function stormops_invoice_immutable() returns trigger
  language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status = 'draft' then return old; end if;
    raise exception 'invoice % is % and cannot be deleted', old.invoice_id, old.status using errcode = '55000';
  end if;
  if old.status = 'draft' then return new; end if;
  if new.lines is distinct from old.lines or new.total_cents is distinct from old.total_cents
     or new.subtotal_cents is distinct from old.subtotal_cents or new.number is distinct from old.number
     or new.period is distinct from old.period or new.kind is distinct from old.kind
     or new.tenant_id is distinct from old.tenant_id or new.finalized_at is distinct from old.finalized_at then
    raise exception 'invoice % is finalized: its lines, totals and number cannot change', old.invoice_id using errcode = '55000';
  end if;
  if old.status = 'void' or (old.status = 'paid' and new.status <> 'paid')
     or new.status = 'draft' then
    raise exception 'invoice % cannot go from % to %', old.invoice_id, old.status, new.status using errcode = '55000';
  end if;
  return new;
end $$;
create trigger invoice_immutable before update or delete on invoice
  for each row execute function stormops_invoice_immutable();

-- Customer health, one snapshot per tenant and day (docs/billing.md gives the formula).
create table customer_health_snapshot (
  tenant_id uuid not null,
  day date not null,
  score double precision not null,
  components jsonb not null,
  flags text[] not null default '{}',
  taken_at timestamptz not null default now(),
  constraint customer_health_snapshot_pkey primary key (tenant_id, day),
  constraint customer_health_snapshot_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint customer_health_snapshot_score_check check (score between 0 and 1)
);
select stormops_isolate_tenant_table('customer_health_snapshot');

-- Self-serve signups (POST /onboarding): the intake as submitted and the plan recommended, for Customer Success and
-- the CRM (departments, ROI assumptions, go-live date). One row per submission; a repeat of the same organization and
-- email is recorded too.
create table onboarding_submission (
  tenant_id uuid not null,
  submission_id uuid not null default gen_random_uuid(),
  intake jsonb not null,
  recommended_plan text not null,
  submitted_at timestamptz not null default now(),
  constraint onboarding_submission_pkey primary key (tenant_id, submission_id),
  constraint onboarding_submission_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade
);
select stormops_isolate_tenant_table('onboarding_submission');
