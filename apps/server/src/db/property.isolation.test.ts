/**
 * Property storage (one table since 0030), attacked from a tenant's transaction on both backends: a tenant reaches
 * its own properties only, through `property` and its forced row-level security, cannot write a row under another
 * tenant's id, and sees nothing of an import, its own or another's, before that import commits. The per-storm tables
 * and their load functions (0013) are gone.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../test/helpers.ts';
import { loadAll } from '../domains/properties/import-chunks.ts';
import { importProperties } from '../domains/properties/properties.service.ts';
import * as repo from '../domains/properties/properties.repo.ts';
import { createStorm } from '../domains/storms/storms.service.ts';
import { ChunkPacker } from '../domains/properties/import-chunks.ts';
import { openPropertyImport } from '../domains/properties/property-import.ts';
import { importIdPrefix } from '../domains/properties/property-ids.ts';
import type { Trx } from './database.ts';

const CSV = 'address,city,state,zip\n1 Main St,Moore,OK,73160\n2 Main St,Moore,OK,73160\n';

describeEachDatabase('property storage, attacked by a tenant', (t) => {
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
    await importProperties(tenantCtx(db, b), { storm_id: stormB, source: [Buffer.from(CSV)], source_name: 'b.csv' });
  });

  const asA = <T>(fn: (trx: Trx) => Promise<T>) => t().db.withTenant(a, fn);

  it("neither sees nor changes B's properties, by storm, by id or by count", async () => {
    const idOfB = await t().db.withTenant(b, async (trx) => {
      const r = await sql<{ property_id: string }>`select property_id from property limit 1`.execute(trx);
      return r.rows[0]?.property_id as string;
    });
    expect(idOfB).toBeTruthy();
    const count = (where: ReturnType<typeof sql>) =>
      asA(
        async (trx) =>
          (await sql<{ n: number }>`select count(*)::int as n from property ${where}`.execute(trx)).rows[0]?.n,
      );
    expect(await count(sql``)).toBe(0);
    expect(await count(sql`where storm_id = ${stormB}`)).toBe(0);
    expect(await count(sql`where property_id = ${idOfB}`)).toBe(0);
    expect(await count(sql`where tenant_id = ${b}`)).toBe(0);
    const updated = await asA((trx) => sql`update property set city = 'x' where storm_id = ${stormB}`.execute(trx));
    expect(Number(updated.numAffectedRows)).toBe(0);
    const deleted = await asA((trx) => sql`delete from property where tenant_id = ${b}`.execute(trx));
    expect(Number(deleted.numAffectedRows)).toBe(0);
    await expect(asA((trx) => sql`truncate property`.execute(trx))).rejects.toMatchObject({ code: '42501' });
  });

  it("cannot write a property under B's tenant id, nor move its own to B", async () => {
    const row = (tenant: string, storm: string) =>
      sql`insert into property (tenant_id, storm_id, property_id, address_key, address_line)
          values (${tenant}::uuid, ${storm}::uuid, ${randomUUID()}::uuid, 'K', '1 Main St')`;
    await expect(asA((trx) => row(b, stormB).execute(trx))).rejects.toMatchObject({ code: '42501' });
    await importProperties(tenantCtx(t().db, a), {
      storm_id: stormA,
      source: [Buffer.from(CSV)],
      source_name: 'a.csv',
    });
    await expect(
      asA((trx) => sql`update property set tenant_id = ${b} where storm_id = ${stormA}`.execute(trx)),
    ).rejects.toMatchObject({ code: '42501' });
    // Nor reach the per-storm machinery of 0013, which is gone.
    await expect(
      asA((trx) => sql`select stormops_begin_property_load(${stormA}::uuid, ${randomUUID()}::uuid)`.execute(trx)),
    ).rejects.toMatchObject({ code: '42883' });
  });

  it('shows nothing of a first import to anyone before it commits (server Postgres: a second connection)', async (ctx) => {
    if (t().kind !== 'postgres') ctx.skip(); // PGlite has one connection: nobody else can look mid-import
    const { db } = t();
    const storm = (await createStorm(operator(db), { tenant_id: a, event_id: 'A_2', name: 'A mid-import' })).storm_id;
    const imp = await openPropertyImport([Buffer.from(CSV)], { fileName: 'x.csv' });
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    let loaded!: () => void;
    const inTable = new Promise<void>((r) => (loaded = r));
    async function* chunks(): AsyncGenerator<Buffer> {
      const packer = new ChunkPacker(importIdPrefix());
      for await (const batch of imp.batches) for (const p of batch.properties) packer.add(p);
      yield packer.end() as Buffer;
      loaded();
      await paused;
    }
    const running = db.withTenantBulk(a, async (tx) => {
      await repo.lockStorm(tx, storm);
      await loadAll(tx, repo.beginLoad({ tenantId: a, stormId: storm, importId: randomUUID() }), chunks());
    });
    await inTable;
    await new Promise((r) => setTimeout(r, 50)); // the chunk's INSERT ... SELECT has run
    const seen = (as: string) =>
      db.withTenant(as, async (trx) => {
        const r = await sql<{ n: number }>`select count(*)::int as n from property where storm_id = ${storm}`.execute(
          trx,
        );
        return r.rows[0]?.n;
      });
    expect(await seen(a)).toBe(0);
    expect(await seen(b)).toBe(0);
    release();
    await running;
    expect(await seen(a)).toBe(2);
    expect(await seen(b)).toBe(0);
  });
});
