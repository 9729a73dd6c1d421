-- Foundation: roles, tenant isolation helpers, tenants, users, API tokens, storms.
-- Every tenant table carries tenant_id, leading its primary, unique and foreign keys (Citus-ready), and is isolated by
-- row-level security (ENABLE + FORCE) keyed on the tenant set per transaction.

-- Roles are cluster-wide on server Postgres: create them once, tolerate a concurrent creator.
do $$
begin
  begin
    create role stormops_tenant nologin;
  exception when duplicate_object or unique_violation then null;
  end;
  begin
    create role stormops_platform nologin;
  exception when duplicate_object or unique_violation then null;
  end;
  -- A non-superuser owner must be a member to SET ROLE; a superuser needs nothing.
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant stormops_tenant, stormops_platform to %I', current_user);
  end if;
end $$;

-- The playbook's entry point: sets the tenant for the current transaction only.
create or replace function set_tenant_context(tid uuid) returns void
  language sql volatile as $$ select set_config('app.tenant_id', tid::text, true) $$;

-- Applies the house isolation to a tenant table: RLS on and forced, a tenant policy and a platform policy, grants.
create or replace function stormops_isolate_tenant_table(tbl regclass) returns void
  language plpgsql as $$
declare
  name text := tbl::text;
begin
  execute format('alter table %s enable row level security', tbl);
  execute format('alter table %s force row level security', tbl);
  execute format(
    'create policy %I on %s for all to stormops_tenant
       using (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)
       with check (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
    name || '_tenant_isolation', tbl);
  execute format('create policy %I on %s for all to stormops_platform using (true) with check (true)',
    name || '_platform_access', tbl);
  execute format('grant select, insert, update, delete on %s to stormops_tenant, stormops_platform', tbl);
end $$;

-- The tenant directory. org_key (normalized org name) is unique platform-wide: provisioning is idempotent on it.
create table tenant (
  tenant_id uuid not null,
  org_name text not null,
  org_key text not null,
  tier text not null,
  status text not null default 'active',
  admin_email text not null,
  feature_flags jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tenant_pkey primary key (tenant_id),
  constraint tenant_org_key_key unique (org_key),
  constraint tenant_tier_check check (tier in ('trial', 'standard', 'enterprise')),
  constraint tenant_status_check check (status in ('active', 'suspended')),
  constraint tenant_org_name_check check (length(btrim(org_name)) > 0)
);
alter table tenant enable row level security;
alter table tenant force row level security;
create policy tenant_self_read on tenant for select to stormops_tenant
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
create policy tenant_platform_access on tenant for all to stormops_platform using (true) with check (true);
grant select on tenant to stormops_tenant;
grant select, insert, update, delete on tenant to stormops_platform;

create table app_user (
  tenant_id uuid not null,
  user_id uuid not null default gen_random_uuid(),
  email text not null,
  role text not null,
  created_at timestamptz not null default now(),
  constraint app_user_pkey primary key (tenant_id, user_id),
  constraint app_user_email_key unique (tenant_id, email),
  constraint app_user_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint app_user_role_check check (role in ('admin', 'analyst', 'canvasser', 'customer_success'))
);
select stormops_isolate_tenant_table('app_user');

-- Bearer tokens are stored as SHA-256 hashes only; the token text embeds its tenant id so lookup runs inside it.
create table api_token (
  tenant_id uuid not null,
  token_id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  token_hash text not null,
  name text not null,
  role text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  constraint api_token_pkey primary key (tenant_id, token_id),
  constraint api_token_hash_key unique (tenant_id, token_hash),
  constraint api_token_user_fkey foreign key (tenant_id, user_id) references app_user (tenant_id, user_id) on delete cascade
);
select stormops_isolate_tenant_table('api_token');

create table storm (
  tenant_id uuid not null,
  storm_id uuid not null default gen_random_uuid(),
  event_id text not null,
  name text not null,
  status text not null default 'planning',
  starts_at timestamptz,
  ends_at timestamptz,
  region text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint storm_pkey primary key (tenant_id, storm_id),
  constraint storm_event_id_key unique (tenant_id, event_id),
  constraint storm_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint storm_status_check check (status in ('planning', 'active', 'closed', 'cancelled')),
  constraint storm_dates_check check (ends_at is null or starts_at is null or ends_at >= starts_at)
);
-- The CLI resolves a storm's tenant from its id alone (platform role).
create index storm_storm_id_idx on storm (storm_id);
select stormops_isolate_tenant_table('storm');

create table storm_status_change (
  tenant_id uuid not null,
  change_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  from_status text not null,
  to_status text not null,
  reason text,
  changed_at timestamptz not null default now(),
  constraint storm_status_change_pkey primary key (tenant_id, change_id),
  constraint storm_status_change_storm_fkey foreign key (tenant_id, storm_id)
    references storm (tenant_id, storm_id) on delete cascade
);
create index storm_status_change_storm_idx on storm_status_change (tenant_id, storm_id, changed_at);
select stormops_isolate_tenant_table('storm_status_change');
