-- Access control (docs/access-control.md): tenant roles admin, analyst, canvasser, viewer; platform staff
-- (customer_success_manager, support) as platform rows with their own credentials; scopes, grants, expiry and last
-- use on credentials; an append-only audit log.

-- Staff work for the platform across tenants: platform tables, read and written under stormops_platform only.
create table staff_member (
  staff_id uuid not null default gen_random_uuid(),
  email text not null,
  role text not null,
  created_at timestamptz not null default now(),
  constraint staff_member_pkey primary key (staff_id),
  constraint staff_member_email_key unique (email),
  constraint staff_member_role_check check (role in ('customer_success_manager', 'support'))
);
grant select, insert, update on staff_member to stormops_platform;

-- Staff bearer tokens (`sos_<secret>`), stored as SHA-256 hashes only.
create table staff_token (
  token_id uuid not null default gen_random_uuid(),
  staff_id uuid not null,
  token_hash text not null,
  name text not null,
  role text not null,
  scopes text[],
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  constraint staff_token_pkey primary key (token_id),
  constraint staff_token_hash_key unique (token_hash),
  constraint staff_token_staff_fkey foreign key (staff_id) references staff_member (staff_id) on delete cascade
);
grant select, insert, update on staff_token to stormops_platform;

-- Credentials: scopes (a subset of the role's permissions; null: all of them), grants (actions beyond the role's
-- defaults that an admin may grant, e.g. policy:apply for an analyst), expiry and last use.
alter table api_token add column scopes text[];
alter table api_token add column grants text[];
alter table api_token add column expires_at timestamptz;
alter table api_token add column last_used_at timestamptz;

-- Tenant roles: customer_success leaves the tenant (Customer Success is platform staff now) and viewer arrives (the
-- new check is added below, once existing rows are moved).
alter table app_user drop constraint app_user_role_check;

-- The append-only audit log of administrative actions. A tenant table (isolated like every other) written in the
-- same transaction as the change it records; platform-wide actions (staff credentials) go to platform_audit_event.
create table audit_event (
  tenant_id uuid not null,
  event_id uuid not null default gen_random_uuid(),
  at timestamptz not null default clock_timestamp(),
  actor_kind text not null,
  actor_id text,
  actor_role text not null,
  action text not null,
  target_type text not null,
  target_id text,
  before jsonb,
  after jsonb,
  request_id text,
  constraint audit_event_pkey primary key (tenant_id, event_id),
  constraint audit_event_actor_kind_check check (actor_kind in ('operator', 'staff', 'user', 'system'))
);
create index audit_event_at_idx on audit_event (tenant_id, at);
select stormops_isolate_tenant_table('audit_event');

create table platform_audit_event (
  event_id uuid not null default gen_random_uuid(),
  at timestamptz not null default clock_timestamp(),
  actor_kind text not null,
  actor_id text,
  actor_role text not null,
  action text not null,
  target_type text not null,
  target_id text,
  before jsonb,
  after jsonb,
  request_id text,
  constraint platform_audit_event_pkey primary key (event_id),
  constraint platform_audit_event_actor_kind_check check (actor_kind in ('operator', 'staff', 'user', 'system'))
);
create index platform_audit_event_at_idx on platform_audit_event (at);

-- Append-only: the application roles may only read and add rows, and a trigger refuses any change or removal by
-- anyone (on PGlite every connection is a superuser, so privileges alone would not hold).
revoke update, delete, truncate on audit_event from stormops_tenant, stormops_platform;
grant select, insert on platform_audit_event to stormops_platform;

create or replace function stormops_audit_append_only() returns trigger
  language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % on % is refused', tg_op, tg_table_name
    using errcode = '42501';
end $$;
create trigger audit_event_append_only before update or delete on audit_event
  for each row execute function stormops_audit_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function stormops_audit_append_only();
create trigger platform_audit_event_append_only before update or delete on platform_audit_event
  for each row execute function stormops_audit_append_only();
create trigger platform_audit_event_no_truncate before truncate on platform_audit_event
  for each statement execute function stormops_audit_append_only();

-- Existing customer_success users become platform staff (customer_success_manager): their tenant credentials are
-- revoked and their tenant membership becomes read-only. Data changes run as the platform role (row-level security
-- is forced, so a non-superuser owner would see no rows).
set local role stormops_platform;
insert into staff_member (email, role)
  select distinct email, 'customer_success_manager' from app_user where role = 'customer_success'
  on conflict (email) do nothing;
update api_token set revoked_at = now()
  where revoked_at is null and role = 'customer_success';
update api_token set role = 'viewer' where role = 'customer_success';
update app_user set role = 'viewer' where role = 'customer_success';
reset role;
alter table app_user add constraint app_user_role_check
  check (role in ('admin', 'analyst', 'canvasser', 'viewer'));
