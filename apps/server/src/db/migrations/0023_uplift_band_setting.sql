-- The band for a storm's mean predicted uplift, per tenant: outside it the uplift-distribution check raises an issue
-- and an alert (the playbook's "Uplift mean < 0.10 or > 0.30" symptom of drift). Without a row the playbook's band
-- applies; a tenant whose campaigns run at a few points of uplift sets its own.
create table uplift_band_setting (
  tenant_id uuid not null,
  low double precision not null,
  high double precision not null,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  constraint uplift_band_setting_pkey primary key (tenant_id),
  constraint uplift_band_setting_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint uplift_band_setting_range_check check (low >= -1 and high <= 1 and low < high)
);
select stormops_isolate_tenant_table('uplift_band_setting');
