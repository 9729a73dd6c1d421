/**
 * The property import against real Postgres (both backends): counts, dedupe against the storm, strict and
 * skip-invalid modes, atomicity when the stream dies mid-file, the malformed-file corpus writing nothing,
 * tenant isolation, saved mappings, and the HTTP upload job.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../../test/helpers.ts';
import { buildApp } from '../../http/app.ts';
import { csvLine, PROPERTIES_CSV_HEADER } from '../demo/properties-csv.ts';
import { generateProperties } from '../demo/generator.ts';
import { createStorm, setStormStatus } from '../storms/storms.service.ts';
import { importProperties, listImports, listProperties, saveMapping } from './properties.service.ts';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/bad-imports/', import.meta.url));

function demoCsv(count: number, seed: number, edit?: (line: string, i: number) => string): string {
  const lines = [PROPERTIES_CSV_HEADER];
  let i = 0;
  for (const p of generateProperties({ count, seed })) lines.push(edit ? edit(csvLine(p), i++) : csvLine(p));
  return lines.join('\n') + '\n';
}

const chunks = (text: string, size = 4096): Buffer[] => {
  const buf = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
};

describeEachDatabase('property import', (t) => {
  let tenantId: string;
  let count: (stormId: string) => Promise<number>;
  const newStorm = async (eventId: string) =>
    (await createStorm(tenantCtx(t().db, tenantId), { event_id: eventId, name: eventId })).storm_id;

  beforeAll(async () => {
    tenantId = (await newTenant(t().db)).tenantId;
    count = async (stormId) =>
      (await listProperties(tenantCtx(t().db, tenantId), { storm_id: stormId, limit: 1 })).total;
  });

  it('imports, then re-importing the same file adds nothing and a changed file updates only what changed', async () => {
    const ctx = tenantCtx(t().db, tenantId);
    const stormId = await newStorm('IMPORT_1');
    const csv = demoCsv(1500, 11);
    const first = await importProperties(ctx, { storm_id: stormId, source: chunks(csv), source_name: 'a.csv' });
    expect(first).toMatchObject({ rows_read: 1500, inserted: 1500, updated: 0, unchanged: 0, invalid: 0 });
    const again = await importProperties(ctx, { storm_id: stormId, source: chunks(csv), source_name: 'a.csv' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1500 });
    // Ten rows get a new square footage; the rest are identical.
    const edited = demoCsv(1500, 11, (line, i) => (i < 10 ? line.replace(/^((?:[^,]*,){11})\d+/, '$19999') : line));
    const third = await importProperties(ctx, { storm_id: stormId, source: chunks(edited), source_name: 'b.csv' });
    expect(third).toMatchObject({ inserted: 0, updated: 10, unchanged: 1490 });
    expect(await count(stormId)).toBe(1500);
    await expect(listProperties(ctx, { storm_id: stormId, limit: Number('all') })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('limit'),
    });
  });

  it('dedupes addresses written differently within a file', async () => {
    const stormId = await newStorm('DEDUPE_1');
    const csv =
      'address,city,state,zip\n12 North Main Street Apt 4,Moore,OK,73160\n12 N. MAIN ST #4,Moore,OK,73160\n14 Main St,Moore,OK,73160\n';
    const r = await importProperties(tenantCtx(t().db, tenantId), { storm_id: stormId, source: [Buffer.from(csv)] });
    expect(r).toMatchObject({ inserted: 2, duplicates: 1, invalid: 0 });
  });

  it('rejects the whole file on one invalid row, naming row and column, and writes nothing', async () => {
    const stormId = await newStorm('STRICT_1');
    const csv = demoCsv(200, 12, (line, i) => (i === 150 ? line.replace(/,35\.\d+,/, ',200,') : line));
    await expect(
      importProperties(tenantCtx(t().db, tenantId), { storm_id: stormId, source: chunks(csv), source_name: 'bad.csv' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/bad\.csv: 1 invalid row.*row 152, column latitude/),
    });
    expect(await count(stormId)).toBe(0);
    const imports = await t().db.withTenant(tenantId, (trx) =>
      trx.selectFrom('property_import').select('import_id').where('storm_id', '=', stormId).execute(),
    );
    expect(imports).toEqual([]);
  });

  it('with skip-invalid imports the valid rows and keeps every rejected row with its reason', async () => {
    const stormId = await newStorm('SKIP_1');
    const csv = demoCsv(100, 13, (line, i) => (i % 25 === 0 ? line.replace(/,OK,/, ',ZZ,') : line));
    const seen: number[] = [];
    const r = await importProperties(
      tenantCtx(t().db, tenantId),
      { storm_id: stormId, source: chunks(csv), skip_invalid: true },
      { onRejected: (errors) => seen.push(...errors.map((e) => e.row)) },
    );
    expect(r).toMatchObject({ inserted: 96, invalid: 4 });
    expect(seen).toEqual([2, 27, 52, 77]);
    const stored = await t().db.withTenant(tenantId, (trx) =>
      trx
        .selectFrom('property_import_error')
        .select(['row_number', 'column_name', 'code'])
        .where('import_id', '=', r.import_id)
        .orderBy('seq')
        .execute(),
    );
    expect(stored).toEqual(seen.map((row) => ({ row_number: row, column_name: 'state', code: 'INVALID_STATE' })));
  });

  it('leaves nothing visible when the stream dies mid-file, and a second run completes the import', async () => {
    const stormId = await newStorm('CRASH_1');
    const csv = demoCsv(3000, 14);
    const parts = chunks(csv, 8192);
    async function* dying() {
      for (let i = 0; i < parts.length / 2; i++) yield parts[i] as Buffer;
      throw new Error('connection reset by peer');
    }
    await expect(importProperties(tenantCtx(t().db, tenantId), { storm_id: stormId, source: dying() })).rejects.toThrow(
      'connection reset',
    );
    expect(await count(stormId)).toBe(0);
    const r = await importProperties(tenantCtx(t().db, tenantId), { storm_id: stormId, source: parts });
    expect(r.inserted).toBe(3000);
  });

  it('refuses every file of the malformed corpus with a clear error and writes nothing', async () => {
    const stormId = await newStorm('CORPUS_1');
    const files = readdirSync(CORPUS).filter((f) => f !== '08-duplicate-rows.csv');
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const file of files) {
      const mapping = file.startsWith('14-') ? { mapping: { address_line: 'Street Address' } } : {};
      const attempt = importProperties(tenantCtx(t().db, tenantId), {
        storm_id: stormId,
        source: [readFileSync(join(CORPUS, file))],
        source_name: file,
        ...mapping,
      });
      await expect(attempt, file).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(file) });
    }
    expect(await count(stormId)).toBe(0);
    // Exact duplicate rows are not an error: they are merged and counted.
    const dup = await importProperties(tenantCtx(t().db, tenantId), {
      storm_id: stormId,
      source: [readFileSync(join(CORPUS, '08-duplicate-rows.csv'))],
    });
    expect(dup.duplicates).toBeGreaterThan(0);
  });

  it("cannot import into another tenant's storm, nor into a closed one", async () => {
    const other = await newTenant(t().db);
    const theirs = (await createStorm(tenantCtx(t().db, other.tenantId), { event_id: 'THEIRS', name: 'x' })).storm_id;
    await expect(
      importProperties(tenantCtx(t().db, tenantId), { storm_id: theirs, source: [Buffer.from(demoCsv(5, 1))] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const closed = await newStorm('CLOSED_1');
    await setStormStatus(operator(t().db), closed, { status: 'cancelled' });
    await expect(
      importProperties(tenantCtx(t().db, tenantId), { storm_id: closed, source: [Buffer.from(demoCsv(5, 1))] }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('uses a saved mapping by name and keeps unknown columns as attributes', async () => {
    const ctx = tenantCtx(t().db, tenantId);
    await saveMapping(ctx, { name: 'crm-export', mapping: { address_line: 'Street', zip: 'Postal' } });
    const stormId = await newStorm('MAPPED_1');
    const csv = 'Street,Postal,Canvass Notes\n10 Elm St,73160,dog in yard\n';
    await expect(
      importProperties(ctx, { storm_id: stormId, source: [Buffer.from(csv)], mapping: 'no-such' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const r = await importProperties(ctx, { storm_id: stormId, source: [Buffer.from(csv)], mapping: 'crm-export' });
    expect(r.inserted).toBe(1);
    const page = await listProperties(ctx, { storm_id: stormId });
    expect(page.properties[0]).toMatchObject({
      address_line: '10 Elm St',
      zip: '73160',
      attributes: { 'Canvass Notes': 'dog in yard' },
    });
  });

  it('runs an HTTP upload as a job that can be polled, with its rejected rows as CSV', async () => {
    const { tenantId: tid, token } = await newTenant(t().db);
    const stormId = (await createStorm(tenantCtx(t().db, tid), { event_id: 'HTTP_1', name: 'x' })).storm_id;
    const app = await buildApp({ db: t().db, platformToken: undefined });
    const auth = { authorization: `Bearer ${token}` };
    const csv = demoCsv(300, 15, (line, i) => (i === 7 ? line.replace(/,OK,/, ',XX,') : line));
    const res = await app.inject({
      method: 'POST',
      url: `/v1/storms/${stormId}/properties/import?file_name=leads.csv&skip_invalid=true`,
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode).toBe(202);
    const { import_id } = res.json();
    await app.jobs.drain();
    const job = (await app.inject({ method: 'GET', url: `/v1/imports/${import_id}`, headers: auth })).json();
    expect(job).toMatchObject({ status: 'completed', inserted: 299, invalid: 1, source_name: 'leads.csv' });
    const errors = await app.inject({ method: 'GET', url: `/v1/imports/${import_id}/errors`, headers: auth });
    expect(errors.body.split('\n')[1]).toMatch(/^9,state,XX,INVALID_STATE,/);
    const strict = await app.inject({
      method: 'POST',
      url: `/v1/storms/${stormId}/properties/import`,
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    await app.jobs.drain();
    const failed = (
      await app.inject({ method: 'GET', url: `/v1/imports/${strict.json().import_id}`, headers: auth })
    ).json();
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'VALIDATION' } });
    const json = await app.inject({
      method: 'POST',
      url: `/v1/storms/${stormId}/properties/import`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(json.statusCode).toBe(415);
    await app.close();
  });

  it('never shows a running import from a process that died as running', async () => {
    const stormId = await newStorm('INTERRUPTED_1');
    await t().db.withTenant(tenantId, (trx) =>
      sql`insert into property_import (tenant_id, import_id, storm_id, status) values (${tenantId}, gen_random_uuid(), ${stormId}, 'running')`.execute(
        trx,
      ),
    );
    const { markInterruptedImports } = await import('./import-jobs.service.ts');
    expect(await markInterruptedImports(t().db)).toBeGreaterThanOrEqual(1);
    const left = await t().db.withTenant(tenantId, (trx) =>
      trx.selectFrom('property_import').select('status').where('storm_id', '=', stormId).execute(),
    );
    expect(left).toEqual([{ status: 'interrupted' }]);
  });

  it('lists imports started together newest first, as they started', async () => {
    const stormId = await newStorm('IMPORT_ORDER_1');
    const names = ['first.csv', 'second.csv', 'third.csv'];
    // One transaction: now() is constant inside it, so every import gets the same started_at.
    await t().db.withTenant(tenantId, async (trx) => {
      for (const name of names) {
        await sql`insert into property_import (tenant_id, import_id, storm_id, status, source_name)
          values (${tenantId}, gen_random_uuid(), ${stormId}, 'completed', ${name})`.execute(trx);
      }
    });
    const listed = await listImports(tenantCtx(t().db, tenantId), { storm_id: stormId });
    expect(listed.map((r) => r.source_name)).toEqual([...names].reverse());
    expect(Object.keys(listed[0]!)).not.toContain('seq'); // the order key stays internal
  });
});
