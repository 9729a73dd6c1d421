/**
 * The storms' property tables (0013), attacked from a tenant's transaction on both backends: each storm's properties
 * live in a table of their own, and a tenant must reach none of them but through `property` and its row-level
 * security, nor create, fill or attach another tenant's, nor give its own rows another tenant's id.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../test/helpers.ts';
import { importProperties } from '../domains/properties/properties.service.ts';
import { createStorm } from '../domains/storms/storms.service.ts';
import type { Trx } from './database.ts';

const CSV = 'address,city,state,zip\n1 Main St,Moore,OK,73160\n2 Main St,Moore,OK,73160\n';
const tableOf = (stormId: string) => `property_${stormId.replace(/-/g, '')}`;

describeEachDatabase('storm property tables, attacked by a tenant', (t) => {
  let a: string;
  let b: string;
  let stormA: string;
  let stormB: string;

  beforeAll(async () => {
    const { db } = t();
    a = (await newTenant(db)).tenantId;
    b = (await newTenant(db)).tenantId;
    stormA = (await createStorm(operator(db), { tenant_id: a, event_id: 'A_1', name: 'A storm' })).storm_id;
    stormB = (await createStorm(operator(db), { tenant_id: b, event_id: 'B_1', name: 'B storm' })).storm_id;
    await importProperties(tenantCtx(db, b), { stormId: stormB, source: [Buffer.from(CSV)], sourceName: 'b.csv' });
  });

  const asA = <T>(fn: (trx: Trx) => Promise<T>) => t().db.withTenant(a, fn);

  it("cannot read, change or empty B's storm table by its name", async () => {
    const name = sql.raw(tableOf(stormB));
    await expect(asA((trx) => sql`select count(*) from ${name}`.execute(trx))).rejects.toMatchObject({ code: '42501' });
    await expect(asA((trx) => sql`update ${name} set city = 'x'`.execute(trx))).rejects.toMatchObject({
      code: '42501',
    });
    await expect(asA((trx) => sql`delete from ${name}`.execute(trx))).rejects.toMatchObject({ code: '42501' });
    await expect(asA((trx) => sql`truncate ${name}`.execute(trx))).rejects.toMatchObject({ code: '42501' });
    await expect(asA((trx) => sql`alter table property detach partition ${name}`.execute(trx))).rejects.toMatchObject({
      code: '42501',
    });
    // Through `property`, B's rows are not there at all.
    const seen = await asA((trx) => sql<{ n: number }>`select count(*)::int as n from property`.execute(trx));
    expect(seen.rows[0]?.n).toBe(0);
  });

  it("cannot start or finish a load of B's storm, nor call the owner's table functions", async () => {
    const stormC = (await createStorm(operator(t().db), { tenant_id: b, event_id: 'B_2', name: 'B empty storm' }))
      .storm_id;
    await expect(
      asA((trx) => sql`select stormops_begin_property_load(${stormC}::uuid, ${randomUUID()}::uuid)`.execute(trx)),
    ).rejects.toMatchObject({
      code: '42501',
    });
    await expect(
      asA((trx) => sql`select stormops_finish_property_load(${stormB}::uuid)`.execute(trx)),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      asA((trx) => sql`select stormops_new_property_table(${a}::uuid, ${stormC}::uuid)`.execute(trx)),
    ).rejects.toMatchObject({
      code: '42501',
    });
    await expect(
      asA((trx) => sql`select stormops_attach_property_table(${stormC}::uuid)`.execute(trx)),
    ).rejects.toMatchObject({ code: '42501' });
    const exists = await t().db.withPlatform((trx) =>
      sql<{ t: string | null }>`select to_regclass(${tableOf(stormC)}) as t`.execute(trx),
    );
    expect(exists.rows[0]?.t).toBeNull();
  });

  it("may only insert into its own storm's table while loading it, and only rows of its own tenant and storm", async () => {
    const name = sql.raw(tableOf(stormA));
    const loading = <T>(fn: (trx: Trx) => Promise<T>) =>
      asA(async (trx) => {
        await sql`select stormops_begin_property_load(${stormA}::uuid, ${randomUUID()}::uuid)`.execute(trx);
        return fn(trx);
      });
    const row = (tenant: string, storm: string) =>
      sql`insert into ${name} (tenant_id, storm_id, property_id, address_key, address_line)
          values (${tenant}::uuid, ${storm}::uuid, ${randomUUID()}::uuid, 'K', '1 Main St')`;
    await expect(loading((trx) => row(b, stormA).execute(trx))).rejects.toMatchObject({ code: '23514' });
    await expect(loading((trx) => row(a, stormB).execute(trx))).rejects.toMatchObject({ code: '23514' });
    await expect(loading((trx) => sql`select count(*) from ${name}`.execute(trx))).rejects.toMatchObject({
      code: '42501',
    });
    // Its own rows go in, and the finished table is read through `property` only.
    await loading(async (trx) => {
      await row(a, stormA).execute(trx);
      await sql`select stormops_finish_property_load(${stormA}::uuid)`.execute(trx);
    });
    const mine = await asA((trx) =>
      sql<{ n: number }>`select count(*)::int as n from property where storm_id = ${stormA}`.execute(trx),
    );
    expect(mine.rows[0]?.n).toBe(1);
    await expect(
      asA((trx) =>
        sql`insert into ${name} (tenant_id, storm_id, property_id, address_key, address_line)
      values (${a}::uuid, ${stormA}::uuid, ${randomUUID()}::uuid, 'K2', '2 Main St')`.execute(trx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // A second load of the same storm is refused.
    await expect(
      asA((trx) => sql`select stormops_begin_property_load(${stormA}::uuid, ${randomUUID()}::uuid)`.execute(trx)),
    ).rejects.toMatchObject({
      code: '42P07',
    });
  });
});
