-- Policy control plane: versioned policy configs, policy runs (applied or shadow), the arm of every property
-- (treat / hold / excluded, fixed once written), the canvassing log (knocks) and outcomes with their corrections.

-- One row per version of a tenant's policy mode; a change of parameters makes a new version, old ones stay.
create table policy_config (
  tenant_id uuid not null,
  mode text not null,
  version integer not null,
  params jsonb not null,
  created_at timestamptz not null default now(),
  constraint policy_config_pkey primary key (tenant_id, mode, version),
  constraint policy_config_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint policy_config_mode_check check (mode in ('conservative', 'moderate', 'aggressive', 'custom')),
  constraint policy_config_version_check check (version >= 1)
);
select stormops_isolate_tenant_table('policy_config');

-- Every apply (shadow = computed and recorded, no arms written), with the policy version, seed and its result.
create table policy_run (
  tenant_id uuid not null,
  run_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  mode text not null,
  version integer not null,
  seed bigint not null,
  shadow boolean not null,
  params jsonb not null,
  result jsonb not null,
  created_at timestamptz not null default now(),
  constraint policy_run_pkey primary key (tenant_id, run_id),
  constraint policy_run_storm_fkey foreign key (tenant_id, storm_id) references storm (tenant_id, storm_id) on delete cascade,
  constraint policy_run_config_fkey foreign key (tenant_id, mode, version) references policy_config (tenant_id, mode, version)
);
create index policy_run_storm_idx on policy_run (tenant_id, storm_id, created_at);
select stormops_isolate_tenant_table('policy_run');

-- The arm of a property, written once by the run that first considered it and never updated (territory and walking
-- order excepted). No foreign keys: a 1,000,000-row apply must not pay a trigger per row; the rows are written only
-- from `property` joined to `property_score` in the same transaction, and storms are never deleted (only cancelled).
create table assignment (
  tenant_id uuid not null,
  property_id uuid not null,
  storm_id uuid not null,
  arm text not null,
  stratum text,
  uplift double precision,
  uplift_decile smallint,
  run_id uuid not null,
  assigned_at timestamptz not null default now(),
  territory integer,
  walk_seq integer,
  canvasser text,
  constraint assignment_pkey primary key (tenant_id, property_id),
  constraint assignment_arm_check check (arm in ('treat', 'hold', 'excluded'))
);
create index assignment_storm_idx on assignment (tenant_id, storm_id, arm);
select stormops_isolate_tenant_table('assignment');

-- The canvassing log. `arm` is the property's arm when knocked; a knock on a hold property is contamination.
create table knock (
  tenant_id uuid not null,
  knock_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  property_id uuid not null,
  canvasser text not null,
  result text not null,
  knocked_at timestamptz not null,
  arm text,
  contaminated boolean not null default false,
  idempotency_key text,
  recorded_at timestamptz not null default now(),
  constraint knock_pkey primary key (tenant_id, knock_id),
  constraint knock_idempotency_key unique (tenant_id, idempotency_key),
  constraint knock_property_fkey foreign key (tenant_id, property_id) references property (tenant_id, property_id) on delete cascade,
  constraint knock_result_check check (result in ('no_answer', 'not_interested', 'inspection_booked', 'signed'))
);
create index knock_storm_idx on knock (tenant_id, storm_id, property_id);
select stormops_isolate_tenant_table('knock');

-- Outcomes. Every version is kept: a correction is a new row that `supersedes` the previous current one, which loses
-- `is_current`. The idempotency key is unique per tenant, so racing retries resolve in the database (ON CONFLICT).
create table outcome (
  tenant_id uuid not null,
  outcome_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  property_id uuid not null,
  converted boolean not null,
  value_cents bigint not null default 0,
  idempotency_key text not null,
  supersedes uuid,
  is_current boolean not null default true,
  late boolean not null default false,
  source text not null default 'api',
  recorded_at timestamptz not null default clock_timestamp(),
  constraint outcome_pkey primary key (tenant_id, outcome_id),
  constraint outcome_idempotency_key unique (tenant_id, idempotency_key),
  constraint outcome_property_fkey foreign key (tenant_id, property_id) references property (tenant_id, property_id) on delete cascade,
  constraint outcome_value_check check (value_cents >= 0),
  constraint outcome_key_check check (length(idempotency_key) between 1 and 200)
);
create index outcome_current_property_idx on outcome (tenant_id, property_id) where is_current;
create index outcome_current_storm_idx on outcome (tenant_id, storm_id) where is_current;
select stormops_isolate_tenant_table('outcome');
