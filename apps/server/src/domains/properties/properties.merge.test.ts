/**
 * How imported rows reach the storm (both backends): a storm's first import moves them into `property` chunk by
 * chunk as they are read, with ids in insertion order, all or nothing; a storm that has properties merges the whole
 * file (new, changed, same).
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx } from '../../../test/helpers.ts';
import { csvLine, PROPERTIES_CSV_HEADER } from '../demo/properties-csv.ts';
import { generateProperties } from '../demo/generator.ts';
import { createStorm } from '../storms/storms.service.ts';
import { ChunkPacker, loadAll } from './import-chunks.ts';
import { importProperties, listProperties } from './properties.service.ts';
import * as repo from './properties.repo.ts';
import { importIdPrefix } from './property-ids.ts';
import { openPropertyImport } from './property-import.ts';

function demoCsv(count: number, seed: number, edit?: (line: string, i: number) => string | null): string {
  const lines = [PROPERTIES_CSV_HEADER];
  let i = 0;
  for (const p of generateProperties({ count, seed })) {
    const line = edit ? edit(csvLine(p), i++) : csvLine(p);
    if (line !== null) lines.push(line);
  }
  return lines.join('\n') + '\n';
}

describeEachDatabase('property merge', (t) => {
  let tenantId: string;
  const newStorm = async (eventId: string) =>
    (await createStorm(tenantCtx(t().db, tenantId), { event_id: eventId, name: eventId })).storm_id;
  const rows = (stormId: string) =>
    t().db.withTenant(
      tenantId,
      async (trx) =>
        (
          await sql<{ property_id: string; address_key: string; source_row: number }>`
        select property_id, address_key, source_row from property where storm_id = ${stormId} order by property_id`.execute(
            trx,
          )
        ).rows,
    );

  /** The service's packing with a small chunk size, so a few hundred rows take many chunks. */
  async function* packed(csv: string, chunkBytes: number, dieAfter?: number): AsyncGenerator<Buffer> {
    const imp = await openPropertyImport([Buffer.from(csv)], { fileName: 'x.csv' });
    const packer = new ChunkPacker(importIdPrefix(), chunkBytes);
    let n = 0;
    for await (const batch of imp.batches) {
      for (const p of batch.properties) {
        if (n++ === dieAfter) throw new Error('connection reset by peer');
        const full = packer.add(p);
        if (full) yield full;
      }
    }
    const last = packer.end();
    if (last) yield last;
  }

  beforeAll(async () => {
    tenantId = (await newTenant(t().db)).tenantId;
  });

  it("loads a storm's first import into property chunk by chunk, ids growing in insertion order", async () => {
    const stormId = await newStorm('CHUNKS_1');
    const ids = { tenantId, stormId, importId: crypto.randomUUID() };
    await t().db.withTenantBulk(tenantId, async (tx) => {
      await repo.lockStorm(tx, stormId);
      expect(await repo.stormHasProperties(tx, stormId)).toBe(false);
      await loadAll(tx, repo.beginLoad(ids), packed(demoCsv(400, 21), 8 * 1024));
      expect(await repo.stormHasProperties(tx, stormId)).toBe(true);
    });
    // PGlite rebuilt the table's keys around this load (it is large against the table): all three are back.
    const indexes = await t().db.withPlatform(
      async (trx) =>
        (
          await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'property' order by 1`.execute(trx)
        ).rows,
    );
    expect(indexes.map((r) => r.name)).toEqual(['property_address_key', 'property_pkey', 'property_storm_idx']);
    const stored = await rows(stormId);
    expect(stored).toHaveLength(400);
    expect(new Set(stored.map((r) => r.address_key)).size).toBe(400);
    // In id order, address keys rise within a chunk and fall back at each new chunk: several chunks, each sorted.
    let runs = 1;
    for (let i = 1; i < stored.length; i++)
      if ((stored[i]?.address_key as string) < (stored[i - 1]?.address_key as string)) runs++;
    expect(runs).toBeGreaterThan(5);
    expect(
      await t().db.withTenant(tenantId, (trx) =>
        sql<{ n: number }>`
      select count(*)::int as n from property where storm_id = ${stormId} and tenant_id = ${tenantId} and import_id = ${ids.importId}`.execute(
          trx,
        ),
      ),
    ).toMatchObject({ rows: [{ n: 400 }] });
  });

  it('leaves nothing when the file dies after some chunks went in', async () => {
    const stormId = await newStorm('CHUNKS_2');
    const ids = { tenantId, stormId, importId: crypto.randomUUID() };
    const attempt = t().db.withTenantBulk(tenantId, async (tx) => {
      await repo.lockStorm(tx, stormId);
      await loadAll(tx, repo.beginLoad(ids), packed(demoCsv(400, 22), 8 * 1024, 300));
    });
    await expect(attempt).rejects.toThrow('connection reset');
    expect(await rows(stormId)).toEqual([]);
  });

  it('merges into a storm that has properties: new ones inserted, changed ones updated, the rest left alone', async () => {
    const ctx = tenantCtx(t().db, tenantId);
    const stormId = await newStorm('MERGE_1');
    // The first import holds rows 0-199 but 150-199; the second all 200, with rows 0-9 changed.
    const first = await importProperties(ctx, {
      storm_id: stormId,
      source: [Buffer.from(demoCsv(200, 23, (l, i) => (i >= 150 ? null : l)))],
    });
    expect(first).toMatchObject({ inserted: 150, updated: 0, unchanged: 0 });
    const before = new Map((await rows(stormId)).map((r) => [r.address_key, r.property_id]));
    const edited = demoCsv(200, 23, (line, i) => (i < 10 ? line.replace(/^((?:[^,]*,){11})\d+/, '$19999') : line));
    const second = await importProperties(ctx, { storm_id: stormId, source: [Buffer.from(edited)] });
    expect(second).toMatchObject({ rows_read: 200, inserted: 50, updated: 10, unchanged: 140 });
    const after = await rows(stormId);
    expect(after).toHaveLength(200);
    for (const r of after) if (before.has(r.address_key)) expect(r.property_id).toBe(before.get(r.address_key));
    const page = await listProperties(ctx, { storm_id: stormId, limit: 1000 });
    expect(page.properties.filter((p) => p.import_id === second.import_id)).toHaveLength(60);
    // New ids come after the first import's.
    const firstMax = [...before.values()].sort().at(-1) as string;
    expect(after.filter((r) => !before.has(r.address_key)).every((r) => r.property_id > firstMax)).toBe(true);
  });
});
