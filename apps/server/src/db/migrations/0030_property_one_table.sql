-- Properties leave their per-storm tables (0013) for one table, `property`, keyed by tenant: what a query costs, and
-- whether it runs at all, no longer depends on how many storms the platform holds.
--
-- Why: with a table per storm, a query on `property` that names no storm (one property by id, a tenant's count, the
-- pilot's and billing's roll-ups) locked and planned every storm table and its indexes: at 2,300 storms one property
-- by id took 1.26 s on a fresh connection, at 5,000 such queries failed with "out of shared memory" (the lock table,
-- max_locks_per_transaction x max_connections, is shared by the whole server), and every backend loaded and kept the
-- bounds of every partition. One table has three indexes whatever the number of storms, and distributes by tenant_id
-- under Citus as it is (docs/scaling.md).
--
-- Keys: the primary key (tenant_id, property_id) finds a property by id without its storm; (tenant_id, storm_id,
-- address_key) is the import's dedupe key; (tenant_id, storm_id, property_id) pages a storm's properties in id order
-- without reading the tenant's other storms. Ids are time-ordered per import (property-ids.ts), so a new import's
-- rows land at the right edge of the two id indexes; only the address index takes them in the file's order.
--
-- The first import into a storm no longer loads a table of its own: it stages each chunk in a temporary table and
-- moves it with one INSERT ... SELECT that row-level security checks (properties.repo.ts, import-chunks.ts), the
-- same transaction as before, so nothing of it is seen before it commits. Measured figures: docs/scaling.md.

-- Moving the rows reads every storm table and drops it in this one transaction, which holds about five locks per
-- storm table (the table, its two indexes, its TOAST table and index) until it commits. Refuse early, with the
-- setting to raise, rather than fail half-way with "out of shared memory".
do $$
declare
  tables integer := (select count(*) from pg_inherits where inhparent = 'property'::regclass);
  slots integer := current_setting('max_locks_per_transaction')::integer
    * (current_setting('max_connections')::integer + current_setting('max_prepared_transactions')::integer);
begin
  if tables * 5 > slots * 0.8 then
    raise exception 'migration 0030 moves % storm property tables into one table in one transaction and needs about % locks; the server has room for %', tables, tables * 5, slots
      using errcode = '53200',
        hint = format('set max_locks_per_transaction to at least %s in postgresql.conf, restart the server, run the migration, then set it back',
          ceil(tables * 5 / 0.8 / (current_setting('max_connections')::integer + current_setting('max_prepared_transactions')::integer)) + 64);
  end if;
end $$;

alter table property rename to property_by_storm;
create table property (like property_by_storm including defaults including constraints);
-- Rows first, keys after: each index is then built by one sort instead of one insert per row.
insert into property select * from property_by_storm;
drop table property_by_storm;
drop function stormops_begin_property_load(uuid, uuid);
drop function stormops_finish_property_load(uuid);
drop function stormops_new_property_table(uuid, uuid);
drop function stormops_attach_property_table(uuid);
drop function stormops_property_storm_owner(uuid);
drop function stormops_property_partition(uuid);

alter table property add constraint property_pkey primary key (tenant_id, property_id);
alter table property add constraint property_address_key unique (tenant_id, storm_id, address_key);
create index property_storm_idx on property (tenant_id, storm_id, property_id);
select stormops_isolate_tenant_table('property');
analyze property;
