-- Data-health results kept as history (so a trend can be seen), and the record of backups the health check reads.

create table storm_health_check (
  tenant_id uuid not null,
  check_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  kind text not null,
  status text not null,
  result jsonb not null,
  checked_at timestamptz not null default now(),
  constraint storm_health_check_pkey primary key (tenant_id, check_id),
  constraint storm_health_check_storm_fkey foreign key (tenant_id, storm_id) references storm (tenant_id, storm_id) on delete cascade,
  constraint storm_health_check_kind_check check (kind in ('dashboard', 'conversion_rates', 'uplift_distribution'))
);
create index storm_health_check_storm_idx on storm_health_check (tenant_id, storm_id, kind, checked_at);
select stormops_isolate_tenant_table('storm_health_check');

-- Platform-wide: one row per completed backup of the whole database.
create table backup_log (
  backup_id uuid not null default gen_random_uuid(),
  database_kind text not null,
  location text not null,
  bytes bigint not null,
  completed_at timestamptz not null default now(),
  constraint backup_log_pkey primary key (backup_id)
);
grant select, insert on backup_log to stormops_platform;
-- Tenants may read when the last backup was taken (the storm health check shows its age), nothing else.
grant select on backup_log to stormops_tenant;
