-- Properties of a storm, their imports and saved column mappings, NOAA storm reports, and exposure.

create table column_mapping (
  tenant_id uuid not null,
  name text not null,
  mapping jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint column_mapping_pkey primary key (tenant_id, name),
  constraint column_mapping_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint column_mapping_name_check check (name ~ '^[A-Za-z0-9_.-]{1,64}$')
);
select stormops_isolate_tenant_table('column_mapping');

-- One row per import. It appears only when the import commits (the import is one transaction), except for API jobs,
-- which record 'running' first so progress can be polled; a job found 'running' after a restart is 'interrupted'.
create table property_import (
  tenant_id uuid not null,
  import_id uuid not null,
  storm_id uuid not null,
  status text not null,
  source_name text,
  format text,
  mapping jsonb,
  skip_invalid boolean not null default false,
  rows_read integer not null default 0,
  inserted integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  duplicates integer not null default 0,
  invalid integer not null default 0,
  elapsed_ms integer,
  error jsonb,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint property_import_pkey primary key (tenant_id, import_id),
  constraint property_import_storm_fkey foreign key (tenant_id, storm_id) references storm (tenant_id, storm_id) on delete cascade,
  constraint property_import_status_check check (status in ('running', 'completed', 'failed', 'interrupted'))
);
select stormops_isolate_tenant_table('property_import');

-- Rows refused by an import run with skip-invalid, with the reason, for the errors CSV.
create table property_import_error (
  tenant_id uuid not null,
  import_id uuid not null,
  seq integer not null,
  row_number integer,
  column_name text,
  value text,
  code text not null,
  reason text not null,
  constraint property_import_error_pkey primary key (tenant_id, import_id, seq),
  constraint property_import_error_import_fkey foreign key (tenant_id, import_id)
    references property_import (tenant_id, import_id) on delete cascade
);
select stormops_isolate_tenant_table('property_import_error');

create table property (
  tenant_id uuid not null,
  property_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  address_key text not null,
  address_line text not null,
  address_normalized text not null,
  city text,
  state text,
  zip text,
  lat double precision,
  lon double precision,
  year_built integer,
  roof_age_years double precision,
  roof_material text,
  home_value_cents bigint,
  square_feet integer,
  owner_occupied boolean,
  prior_customer boolean,
  phone text,
  email text,
  external_id text,
  attributes jsonb not null default '{}'::jsonb,
  import_id uuid,
  source_row integer,
  max_hail_in double precision,
  hail_reports_within integer,
  nearest_hail_mi double precision,
  max_wind_kt double precision,
  exposure_radius_mi double precision,
  exposure_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint property_pkey primary key (tenant_id, property_id),
  constraint property_address_key unique (tenant_id, storm_id, address_key),
  constraint property_storm_fkey foreign key (tenant_id, storm_id) references storm (tenant_id, storm_id) on delete cascade,
  constraint property_lat_check check (lat is null or lat between -90 and 90),
  constraint property_lon_check check (lon is null or lon between -180 and 180),
  constraint property_home_value_check check (home_value_cents is null or home_value_cents >= 0)
);
select stormops_isolate_tenant_table('property');

create table storm_report (
  tenant_id uuid not null,
  report_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  kind text not null,
  occurred_at timestamptz not null,
  magnitude double precision,
  location text not null,
  county text,
  state text,
  lat double precision not null,
  lon double precision not null,
  office text,
  comments text,
  source_file text,
  source_row integer,
  constraint storm_report_pkey primary key (tenant_id, report_id),
  constraint storm_report_natural_key unique (tenant_id, storm_id, kind, occurred_at, lat, lon, location),
  constraint storm_report_storm_fkey foreign key (tenant_id, storm_id) references storm (tenant_id, storm_id) on delete cascade,
  constraint storm_report_kind_check check (kind in ('hail', 'wind', 'tornado'))
);
select stormops_isolate_tenant_table('storm_report');
