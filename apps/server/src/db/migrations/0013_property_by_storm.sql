-- Properties are partitioned by storm: each storm's properties live in a table of their own, `property_<storm id in
-- hex>`, attached to `property` (LIST on storm_id). Everything reads and writes through `property`, under its
-- row-level security; nobody but the owner has rights on a partition itself.
--
-- Why: a storm's first import is nearly all of its rows (a million at once), and maintaining two btree indexes one
-- row at a time took more than half of that import on server Postgres. A storm with no properties yet gets a new
-- table with no index and no row-level security, which the import COPYs straight into; the indexes are then built by
-- one sort each and the table attached, in the import's transaction, so nothing of it is seen before it commits.
-- Measured on a million rows (superuser COPY, 2 cores): into the indexed table 7.6 s; into a bare table 2.7 s, then
-- both indexes 1.4 s. A later import into the storm goes through `property` as before (stage, update, insert).
--
-- Keys: a key on a partitioned table must hold the partition key, and within a storm's table the tenant and the storm
-- are fixed (a check constraint pins both), so each partition has its own unique indexes on property_id and on
-- address_key, and `property` has none. Property ids are generated (property-ids.ts), never given by a user.
-- knock loses its key to property: the knock writer joins the property in its storm (knocks.repo.ts), as the outcome
-- and score writers do (0007, 0012).

alter table knock drop constraint knock_property_fkey;

-- Each import's property ids share their first 12 bytes (property-ids.ts): kept on the import, the prefix names an
-- id's import and so its storm, which tells the outcome batch writer a property of another storm without reading
-- every storm's table.
alter table property_import add column id_prefix uuid;
create index property_import_id_prefix_idx on property_import (tenant_id, id_prefix);
create function stormops_id_prefix(p_id uuid) returns uuid
  language sql immutable as $$ select (left(p_id::text, 28) || '00000000')::uuid $$;
-- Imports recorded before this migration whose ids all share one prefix.
update property_import i set id_prefix = p.prefix
from (select import_id, min(stormops_id_prefix(property_id)::text)::uuid as prefix from property group by import_id
      having count(distinct stormops_id_prefix(property_id)) = 1) p
where p.import_id = i.import_id;

alter table property rename to property_before_0013;
alter index property_pkey rename to property_before_0013_pkey;
alter index property_address_key rename to property_before_0013_address_key;

create table property (like property_before_0013 including defaults including constraints) partition by list (storm_id);
select stormops_isolate_tenant_table('property');

create function stormops_property_partition(p_storm uuid) returns text
  language sql immutable as $$ select 'property_' || replace(p_storm::text, '-', '') $$;

-- The tenant of the transaction (set by set_tenant_context / the app), checked to own the storm.
create function stormops_property_storm_owner(p_storm uuid) returns uuid
  language plpgsql stable set search_path from current as $$
declare
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
begin
  if tenant is null then
    raise exception 'no tenant in this transaction' using errcode = '42501';
  end if;
  if not exists (select 1 from storm where storm_id = p_storm and tenant_id = tenant) then
    raise exception 'storm % is not a storm of this tenant', p_storm using errcode = '42501';
  end if;
  return tenant;
end $$;

-- A storm's table, empty, unindexed and unattached: the check pins its tenant and storm (and implies its partition
-- bound, so attaching it does not scan its rows again). Owner only: the load functions below call these.
create function stormops_new_property_table(p_tenant uuid, p_storm uuid) returns text
  language plpgsql set search_path from current as $$
declare
  name text := stormops_property_partition(p_storm);
begin
  execute format('create table %I (like property including defaults including constraints)', name);
  execute format('alter table %I add constraint %I check (tenant_id = %L and storm_id = %L)',
    name, name || '_storm', p_tenant, p_storm);
  return name;
end $$;

-- Builds the storm table's two unique indexes by one sort each, then attaches it to `property`.
create function stormops_attach_property_table(p_storm uuid) returns void
  language plpgsql set search_path from current as $$
declare
  name text := stormops_property_partition(p_storm);
begin
  perform set_config('maintenance_work_mem', '256MB', true);
  execute format('create unique index %I on %I (property_id)', name || '_id', name);
  execute format('create unique index %I on %I (address_key)', name || '_address', name);
  execute format('alter table property attach partition %I for values in (%L)', name, p_storm);
end $$;

revoke all on function stormops_new_property_table(uuid, uuid) from public;
revoke all on function stormops_attach_property_table(uuid) from public;

-- The first import into a storm (properties.repo.ts): creates its table, which the tenant role may only INSERT into
-- (COPY) until it is attached; each row's tenant, storm and import come from column defaults.
create function stormops_begin_property_load(p_storm uuid, p_import uuid) returns text
  language plpgsql security definer set search_path from current as $$
declare
  tenant uuid := stormops_property_storm_owner(p_storm);
  name text := stormops_property_partition(p_storm);
begin
  if to_regclass(name) is not null then
    raise exception 'storm % already has its property table', p_storm using errcode = '42P07';
  end if;
  perform stormops_new_property_table(tenant, p_storm);
  execute format('alter table %I alter tenant_id set default %L, alter storm_id set default %L, alter import_id set default %L',
    name, tenant, p_storm, p_import);
  execute format('grant insert on %I to stormops_tenant', name);
  return name;
end $$;

-- Ends the first import: takes back the tenant's rights and the defaults, indexes and attaches the table.
create function stormops_finish_property_load(p_storm uuid) returns void
  language plpgsql security definer set search_path from current as $$
declare
  _tenant uuid := stormops_property_storm_owner(p_storm);
  name text := stormops_property_partition(p_storm);
begin
  if to_regclass(name) is null or (select relispartition from pg_class where oid = to_regclass(name)) then
    raise exception 'storm % has no property table being loaded', p_storm using errcode = '55000';
  end if;
  execute format('revoke all on %I from stormops_tenant', name);
  execute format('alter table %I alter tenant_id drop default, alter storm_id drop default, alter import_id drop default', name);
  perform stormops_attach_property_table(p_storm);
end $$;

revoke all on function stormops_begin_property_load(uuid, uuid) from public;
revoke all on function stormops_finish_property_load(uuid) from public;
grant execute on function stormops_begin_property_load(uuid, uuid) to stormops_tenant;
grant execute on function stormops_finish_property_load(uuid) to stormops_tenant;

-- Existing properties move into their storms' tables.
do $$
declare
  r record;
begin
  for r in select distinct tenant_id, storm_id from property_before_0013 loop
    execute format('insert into %I select * from property_before_0013 where storm_id = %L',
      stormops_new_property_table(r.tenant_id, r.storm_id), r.storm_id);
    perform stormops_attach_property_table(r.storm_id);
  end loop;
end $$;
drop table property_before_0013;
