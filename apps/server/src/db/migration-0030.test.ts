/**
 * Migration 0030 on a database that holds storms in their own tables (0013): every property moves into the one
 * `property` table with its keys, under forced row-level security, the storm tables and their functions go, and a
 * tenant still reads its own rows only. Both backends, each from a database migrated to 0029 only.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, SERVER_URL } from '../../test/databases.ts';
import { newTenant, operator } from '../../test/helpers.ts';
import { createStorm } from '../domains/storms/storms.service.ts';
import { openDatabase, type Database } from './database.ts';
import { migrate, readMigrations } from './migrate.ts';

const backends = SERVER_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

for (const kind of backends) {
  describe(`migration 0030 moves storm tables into one property table [${kind}]`, () => {
    let db: Database;
    let drop: (() => Promise<void>) | undefined;
    const tenants: string[] = [];
    const storms: string[] = [];

    beforeAll(async () => {
      if (kind === 'postgres') {
        const scratch = await createScratchDatabase(SERVER_URL as string);
        drop = scratch.drop;
        db = await openDatabase({ kind: 'postgres', url: scratch.url });
      } else db = await openDatabase({ kind: 'pglite-memory' });
      await migrate(
        db,
        (await readMigrations()).filter((f) => f.version < 30),
      );
      // Two tenants, three storms with 3, 5 and 0 properties, loaded the 0013 way: a table per storm, attached.
      for (let i = 0; i < 2; i++) tenants.push((await newTenant(db)).tenantId);
      const plan: [number, number][] = [
        [0, 3],
        [1, 5],
        [1, 0],
      ];
      for (const [ti, n] of plan) {
        const tenantId = tenants[ti] as string;
        const stormId = (
          await createStorm(operator(db), { tenant_id: tenantId, event_id: `E${storms.length}`, name: 's' })
        ).storm_id;
        storms.push(stormId);
        if (n === 0) continue;
        const table = sql.raw(`property_${stormId.replace(/-/g, '')}`);
        await sql`select stormops_new_property_table(${tenantId}::uuid, ${stormId}::uuid)`.execute(db.owner);
        await sql`insert into ${table} (tenant_id, storm_id, property_id, address_key, address_line)
          select ${tenantId}::uuid, ${stormId}::uuid, gen_random_uuid(), g || ' MAIN ST|73160', g || ' Main St'
          from generate_series(1, ${n}::int) g`.execute(db.owner);
        await sql`select stormops_attach_property_table(${stormId}::uuid)`.execute(db.owner);
      }
      expect(await migrate(db)).toEqual([30]);
    });

    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('keeps every row, in one table with its three keys, under forced row-level security', async () => {
      const rows = await sql<{ storm_id: string; n: number }>`
        select storm_id, count(*)::int as n from property group by storm_id`.execute(db.owner);
      expect(Object.fromEntries(rows.rows.map((r) => [r.storm_id, r.n]))).toEqual({
        [storms[0] as string]: 3,
        [storms[1] as string]: 5,
      });
      const table = await sql<{ kind: string; rls: boolean; forced: boolean; parts: number; indexes: string[] }>`
        select c.relkind::text as kind, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_class p where p.relname like 'property\\_%' and length(p.relname) = 41) as parts,
          (select array_agg(indexrelid::regclass::text order by indexrelid::regclass::text) from pg_index where indrelid = c.oid) as indexes
        from pg_class c where c.oid = 'property'::regclass`.execute(db.owner);
      expect(table.rows[0]).toEqual({
        kind: 'r',
        rls: true,
        forced: true,
        parts: 0,
        indexes: ['property_address_key', 'property_pkey', 'property_storm_idx'],
      });
      const fns = await sql<{ n: number }>`select count(*)::int as n from pg_proc
        where proname in ('stormops_begin_property_load', 'stormops_finish_property_load', 'stormops_new_property_table',
          'stormops_attach_property_table', 'stormops_property_partition', 'stormops_property_storm_owner')`.execute(
        db.owner,
      );
      expect(fns.rows[0]?.n).toBe(0);
    });

    it('shows each tenant its own rows only, and refuses a duplicate address in a storm', async () => {
      const count = (tenantId: string) =>
        db.withTenant(
          tenantId,
          async (trx) => (await sql<{ n: number }>`select count(*)::int as n from property`.execute(trx)).rows[0]?.n,
        );
      expect(await count(tenants[0] as string)).toBe(3);
      expect(await count(tenants[1] as string)).toBe(5);
      await expect(
        db.withTenant(tenants[0] as string, (trx) =>
          sql`insert into property (tenant_id, storm_id, property_id, address_key, address_line)
            values (${tenants[0]}::uuid, ${storms[0]}::uuid, ${randomUUID()}::uuid, '1 MAIN ST|73160', '1 Main St')`.execute(
            trx,
          ),
        ),
      ).rejects.toMatchObject({ code: '23505' });
    });
  });
}
