-- SQL-only measurements of a storm's first import on the big database of `npm run bench storage` (issue 19; figures
-- in docs/scaling.md, "The first import: what was tried"). Run against a database built by bench/storage-fill.ts
-- after one import of the 1M-row file (bench/import-worker.ts), whose storm's rows are the source:
--   create unlogged table src as select * from property where storm_id = '<that storm>' order by source_row;
--   create index on src (source_row); grant select on src to stormops_tenant;
-- then, in a transaction that is rolled back (a new storm id each time, new property ids at the right edge):
--   begin; [set local role stormops_tenant; select set_config('app.tenant_id', '<tenant>', true);]
--   select exp_load(35000, 'none', gen_random_uuid()); rollback;
-- exp_load answers the seconds spent in the INSERT ... SELECT statements only (the import's move of each chunk from
-- its stage into `property`), chunk by chunk as the import does; sort_by 'address' or 'id' orders each chunk first.
create or replace function exp_load(chunk int, sort_by text, new_storm uuid) returns double precision
language plpgsql as $f$
declare
  t0 timestamptz;
  total double precision := 0;
  lo int := 0;
  maxrow int;
  p text := '01a3' || to_char(clock_timestamp(), 'MISS') || '-' || substr(md5(random()::text), 1, 4) || '-7'
    || substr(md5(random()::text), 1, 3) || '-8' || substr(md5(random()::text), 1, 3) || '-'
    || substr(md5(random()::text), 1, 4);
  cols text := 'address_key, address_line, city, state, zip, lat, lon, year_built, roof_age_years, roof_material, '
    'home_value_cents, square_feet, owner_occupied, prior_customer, phone, email, external_id, attributes';
begin
  select max(source_row) into maxrow from src;
  create temp table if not exists exp_stage as select * from src limit 0;
  while lo <= maxrow loop
    truncate exp_stage;
    insert into exp_stage select * from src where source_row >= lo and source_row < lo + chunk;
    update exp_stage set property_id = (p || substr(property_id::text, 29))::uuid;
    t0 := clock_timestamp();
    execute format('insert into property (tenant_id, storm_id, import_id, property_id, %s, source_row)
      select tenant_id, $1, import_id, property_id, %s, source_row from exp_stage %s', cols, cols,
      case sort_by when 'address' then 'order by address_key' when 'id' then 'order by property_id' else '' end)
      using new_storm;
    total := total + extract(epoch from clock_timestamp() - t0);
    lo := lo + chunk;
  end loop;
  return total;
end $f$;

-- The load-slot data path alone (a fresh table, rows by one INSERT, then its three keys by one sort each), same
-- source, rolled back:
--   begin;
--   create table slot_fresh (like property including defaults including constraints);
--   insert into slot_fresh (...) select ... from src;
--   set local maintenance_work_mem = '256MB';
--   alter table slot_fresh add constraint slot_fresh_pkey primary key (tenant_id, property_id);
--   alter table slot_fresh add constraint slot_fresh_address_key unique (tenant_id, storm_id, address_key);
--   create index on slot_fresh (tenant_id, storm_id, property_id);
--   rollback;
-- WAL written: select pg_current_wal_insert_lsn() before and after, inside the transaction.
