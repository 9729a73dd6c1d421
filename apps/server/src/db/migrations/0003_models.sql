-- The uplift model registry (versions, stages, audit) and the scores a storm's properties got.

create table uplift_model (
  tenant_id uuid not null,
  model_id uuid not null default gen_random_uuid(),
  name text not null default 'uplift',
  version integer not null,
  learner text not null,
  params jsonb not null default '{}'::jsonb,
  feature_schema jsonb not null,
  training_source jsonb not null,
  training_fingerprint text not null,
  training_rows integer not null,
  holdout_metrics jsonb not null default '{}'::jsonb,
  -- Mean and deciles of the uplift it predicted on its training data: the reference for drift checks.
  score_reference jsonb not null default '{}'::jsonb,
  artifact jsonb not null,
  stage text not null default 'staging',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint uplift_model_pkey primary key (tenant_id, model_id),
  constraint uplift_model_version_key unique (tenant_id, name, version),
  constraint uplift_model_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint uplift_model_stage_check check (stage in ('staging', 'production', 'shadow', 'archived'))
);
-- At most one production and one shadow model per name and tenant.
create unique index uplift_model_one_production on uplift_model (tenant_id, name) where stage = 'production';
create unique index uplift_model_one_shadow on uplift_model (tenant_id, name) where stage = 'shadow';
select stormops_isolate_tenant_table('uplift_model');

create table model_stage_change (
  tenant_id uuid not null,
  change_id uuid not null default gen_random_uuid(),
  model_id uuid not null,
  from_stage text,
  to_stage text not null,
  actor text not null,
  reason text,
  changed_at timestamptz not null default now(),
  constraint model_stage_change_pkey primary key (tenant_id, change_id),
  constraint model_stage_change_model_fkey foreign key (tenant_id, model_id)
    references uplift_model (tenant_id, model_id) on delete cascade
);
create index model_stage_change_model_idx on model_stage_change (tenant_id, model_id, changed_at);
select stormops_isolate_tenant_table('model_stage_change');

-- One row per scored property: the production model's uplift and, beside it, the shadow model's.
-- A narrow table (not columns on property) so rescoring a million properties writes small rows.
create table property_score (
  tenant_id uuid not null,
  property_id uuid not null,
  storm_id uuid not null,
  model_id uuid not null,
  uplift double precision not null,
  shadow_model_id uuid,
  shadow_uplift double precision,
  scored_at timestamptz not null default now(),
  constraint property_score_pkey primary key (tenant_id, property_id),
  constraint property_score_property_fkey foreign key (tenant_id, property_id)
    references property (tenant_id, property_id) on delete cascade,
  constraint property_score_model_fkey foreign key (tenant_id, model_id) references uplift_model (tenant_id, model_id)
);
create index property_score_storm_idx on property_score (tenant_id, storm_id);
select stormops_isolate_tenant_table('property_score');
