/**
 * The schema stays distributable by tenant_id (docs/scaling.md): read from the catalog of a migrated database, so it
 * holds for any table a later migration adds. Every tenant table (one with a tenant_id column; `tenant` itself is
 * the reference table) is isolated by forced row-level security, and each of its primary keys, unique constraints,
 * unique indexes and foreign keys leads with tenant_id, and each foreign key references a key that leads with it.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.ts';

interface TableRow {
  name: string;
  has_tenant: boolean;
  rls: boolean;
  forced: boolean;
  partition: boolean;
}

interface KeyRow {
  table_name: string;
  name: string;
  kind: string;
  first_column: string | null;
  referenced_table: string | null;
  referenced_first_column: string | null;
}

describeEachDatabase('tenant keys', (t) => {
  const tables = async () =>
    (
      await sql<TableRow>`
        select c.oid::regclass::text as name, c.relispartition as partition,
          c.relrowsecurity as rls, c.relforcerowsecurity as forced,
          exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                  and not a.attisdropped) as has_tenant
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
        order by 1`.execute(t().db.owner)
    ).rows;

  /** Constraints (p, u, f) and unique indexes, each with its first column and, for a foreign key, the referenced one. */
  const keys = async () =>
    (
      await sql<KeyRow>`
        select con.conrelid::regclass::text as table_name, con.conname as name, con.contype::text as kind,
          (select attname from pg_attribute where attrelid = con.conrelid and attnum = con.conkey[1]) as first_column,
          case when con.contype = 'f' then con.confrelid::regclass::text end as referenced_table,
          (select attname from pg_attribute where attrelid = con.confrelid and attnum = con.confkey[1])
            as referenced_first_column
        from pg_constraint con join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and con.contype in ('p', 'u', 'f')
        union all
        select i.indrelid::regclass::text, ic.relname, 'unique index',
          (select attname from pg_attribute where attrelid = i.indrelid and attnum = i.indkey[0]),
          null, null
        from pg_index i join pg_class ic on ic.oid = i.indexrelid
        join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and i.indisunique
          and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
        order by 1, 2`.execute(t().db.owner)
    ).rows;

  it('isolates every tenant table with forced row-level security, and only tenant tables carry it', async () => {
    const all = await tables();
    const tenantTables = all.filter((r) => r.has_tenant && r.name !== 'tenant');
    expect(tenantTables.length).toBeGreaterThan(10);
    // A partition is reached through its parent, which carries the policies (none today: 0030 ended 0013's storm tables).
    expect(tenantTables.filter((r) => !r.partition && !(r.rls && r.forced)).map((r) => r.name)).toEqual([]);
    expect(all.filter((r) => r.forced && !r.has_tenant).map((r) => r.name)).toEqual([]);
  });

  it('leads every primary, unique and foreign key of a tenant table with tenant_id', async () => {
    const tenantTables = new Set(
      (await tables()).filter((r) => r.has_tenant && r.name !== 'tenant').map((r) => r.name),
    );
    const all = await keys();
    const onTenant = all.filter((k) => tenantTables.has(k.table_name));
    expect(onTenant.filter((k) => k.kind === 'p').length).toBeGreaterThan(10);
    const bad = onTenant
      .filter((k) => k.first_column !== 'tenant_id' || (k.kind === 'f' && k.referenced_first_column !== 'tenant_id'))
      .map(
        (k) =>
          `${k.table_name}.${k.name} (${k.kind}: leads with ${k.first_column}${k.referenced_table ? ` -> ${k.referenced_table}.${k.referenced_first_column}` : ''})`,
      );
    expect(bad, 'keys that do not lead with tenant_id').toEqual([]);
  });

  it('keeps platform tables from referencing tenant rows (they could not live on another node)', async () => {
    const tenantTables = new Set(
      (await tables()).filter((r) => r.has_tenant && r.name !== 'tenant').map((r) => r.name),
    );
    const platformRefs = (await keys()).filter(
      (k) =>
        k.kind === 'f' &&
        !tenantTables.has(k.table_name) &&
        k.referenced_table !== null &&
        tenantTables.has(k.referenced_table),
    );
    expect(platformRefs.map((k) => `${k.table_name}.${k.name} -> ${k.referenced_table}`)).toEqual([]);
  });
});
