/**
 * Property import: a contractor's CSV or JSON Lines file into a storm, streamed, validated per row, deduplicated by
 * normalized address within the file and against the storm, and atomic: the whole import is one transaction, so a
 * crash or kill leaves nothing of it visible and running it again completes it.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AppError } from '../../errors.ts';
import { metrics, timeJob } from '../../telemetry/metrics.ts';
import { kyselyIn } from '../../db/bulk-kysely.ts';
import { announceQuotaAlerts, checkQuota, meterInTx, type QuotaAlert } from '../billing/metering.ts';
import type { PropertyTable } from '../../db/schema.ts';
import type { BulkTx } from '../../db/bulk.ts';
import { copyLine } from '../../db/bulk.ts';
import { authorize, actingTenant, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { DEFAULT_EXPOSURE_RADIUS_MILES } from '../storm-reports/exposure.ts';
import { updateExposure } from '../storm-reports/storm-reports.service.ts';
import { resolveMapping as checkMapping, type ColumnMapping } from './column-mapping.ts';
import { normalizedLineOfKey } from './address-normalize.ts';
import { ImportError, importErrorToAppError, type RowError } from '../../lib/csv/errors.ts';
import { ChunkPacker, loadAll, stageAll } from './import-chunks.ts';
import { importIdPrefix, propertyId } from './property-ids.ts';
import { openPropertyLoad, type PropertyLoad } from './property-import.ts';
import * as repo from './properties.repo.ts';
import { ERRORS_SHOWN, type ImportPropertiesInput, type ImportSummary } from './properties.schema.ts';
import type { ByteSource } from '../../lib/csv/tabular.ts';

/** Which tenant owns the storm (checked inside that tenant), without holding a transaction open. */
export async function stormTenant(ctx: ServiceContext, stormId: string): Promise<{ tenantId: string; status: string }> {
  return withStorm(ctx, stormId, async (_trx, storm) => ({ tenantId: storm.tenant_id, status: storm.status }));
}

async function resolveMapping(ctx: ServiceContext, tenantId: string, mapping: string | ColumnMapping | undefined) {
  if (typeof mapping !== 'string') return mapping;
  const row = await ctx.db.withTenant(tenantId, (trx) =>
    trx.selectFrom('column_mapping').select('mapping').where('name', '=', mapping).executeTakeFirst(),
  );
  if (!row) throw new AppError('NOT_FOUND', `no saved mapping named ${mapping}`, { mapping });
  return row.mapping as ColumnMapping;
}

/** Counts bytes as they stream past, for progress and ETA. */
function counted(source: ByteSource, counter: { bytes: number }): AsyncIterable<Uint8Array> {
  return (async function* () {
    for await (const chunk of source) {
      counter.bytes += chunk.byteLength;
      yield chunk;
    }
  })();
}

export async function importProperties(ctx: ServiceContext, input: ImportPropertiesInput): Promise<ImportSummary> {
  authorize(ctx, 'properties:write');
  const started = performance.now();
  const { tenantId, status } = await stormTenant(ctx, input.stormId);
  if (status === 'closed' || status === 'cancelled') {
    throw new AppError('CONFLICT', `storm ${input.stormId} is ${status}: properties can no longer be imported`);
  }
  // A trial tenant at its monthly quota is refused before a byte is read.
  await ctx.db.withTenant(tenantId, (trx) => checkQuota(trx, tenantId, 'properties_imported', 1));
  const mapping = await resolveMapping(ctx, tenantId, input.mapping);
  const importId = input.importId ?? randomUUID();
  const counter = { bytes: 0 };
  const alerts: QuotaAlert[] = [];
  const packer = new ChunkPacker(importIdPrefix());
  let pipeline: PropertyLoad;
  try {
    const options = {
      ...(input.format ? { format: input.format } : {}),
      ...(input.sourceName ? { fileName: input.sourceName } : {}),
      ...(input.delimiter ? { delimiter: input.delimiter } : {}),
      ...(mapping ? { mapping } : {}),
    };
    pipeline = await openPropertyLoad(counted(input.source, counter), options, packer);
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, input.sourceName) : err;
  }
  try {
    const summary = await timeJob('properties.import', () =>
      ctx.db.withTenantBulk(tenantId, (tx) =>
        runImport(tx, { ...input, tenantId, importId, packer, pipeline, counter, started, mapping, alerts }),
      ),
    );
    metrics.propertiesImported.inc(summary.inserted + summary.updated);
    await announceQuotaAlerts(ctx.db, alerts).catch(() => {});
    return summary;
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, input.sourceName) : err;
  }
}

interface RunState {
  tenantId: string;
  importId: string;
  packer: ChunkPacker;
  pipeline: PropertyLoad;
  counter: { bytes: number };
  started: number;
  mapping: ColumnMapping | undefined;
  /** Quota alerts the import's metering raised, announced after commit. */
  alerts: QuotaAlert[];
}

async function runImport(tx: BulkTx, s: ImportPropertiesInput & RunState): Promise<ImportSummary> {
  if (!(await repo.lockStorm(tx, s.stormId))) throw new AppError('NOT_FOUND', `storm ${s.stormId} not found`);
  const ids: repo.MergeIds = { tenantId: s.tenantId, stormId: s.stormId, importId: s.importId };
  const rejected: RowError[] = [];
  let invalid = 0;
  const { packer } = s;
  const chunks = (async function* (): AsyncGenerator<Buffer> {
    for await (const batch of s.pipeline.batches) {
      const bad = batch.errors.filter((e) => e.code !== 'DUPLICATE_ADDRESS');
      if (bad.length) {
        invalid += new Set(bad.map((e) => e.row)).size;
        if (rejected.length < 10_000) rejected.push(...bad.slice(0, 10_000 - rejected.length));
        s.onRejected?.(bad);
      }
      // Without skip-invalid one bad row rejects the file: keep reading to report every bad row, write nothing.
      if (invalid === 0 || s.skipInvalid) yield* batch.chunks;
      s.onProgress?.({
        rows_read: s.pipeline.stats.rowsRead,
        bytes_read: s.counter.bytes,
        elapsed_ms: performance.now() - s.started,
      });
      // A batch is a few milliseconds of parsing, but the next ones may already be in memory, and awaiting them does
      // not give the event loop a turn: let it send the rows read ahead to the database in between.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })();
  // The first import into a storm loads the storm's own table as rows are read; a later one stages the whole file,
  // then merges it into the storm's properties.
  const first = !(await repo.stormHasTable(tx, s.stormId));
  let inserted = 0;
  let updated = 0;
  if (first) {
    await loadAll(tx, await repo.beginLoad(tx, ids), chunks, (c) => packer.recycle(c));
    inserted = packer.packed;
  } else {
    await repo.createStage(tx);
    await stageAll(tx, chunks, (c) => packer.recycle(c));
  }
  if (invalid > 0 && !s.skipInvalid) {
    const first = rejected[0];
    throw new AppError(
      'VALIDATION',
      `${s.sourceName ?? 'the file'}: ${invalid} invalid row(s), nothing imported; first: row ${first?.row}, column ${first?.column}: ${first?.reason}` +
        ' (fix them, or import with --skip-invalid)',
      { file: s.sourceName ?? null, invalid, errors: rejected.slice(0, ERRORS_SHOWN) },
    );
  }
  if (first) await repo.finishLoad(tx, s.stormId);
  else {
    updated = await repo.updateStaged(tx, ids);
    inserted = await repo.insertStaged(tx, ids);
  }
  // Properties arriving after the storm reports get their exposure in the same transaction.
  if (inserted + updated > 0 && (await repo.hasStormReports(tx, s.stormId))) {
    await updateExposure(tx, s.tenantId, s.stormId, DEFAULT_EXPOSURE_RADIUS_MILES);
  }
  const stats = s.pipeline.stats;
  const staged = stats.imported;
  const elapsed = Math.round(performance.now() - s.started);
  const summary: ImportSummary = {
    import_id: s.importId,
    storm_id: s.stormId,
    status: 'completed',
    source_name: s.sourceName ?? null,
    rows_read: stats.rowsRead,
    inserted,
    updated,
    unchanged: staged - inserted - updated,
    duplicates: stats.duplicates,
    invalid,
    elapsed_ms: elapsed,
    rows_per_second: Math.round(stats.rowsRead / Math.max(elapsed / 1000, 1e-3)),
    errors: rejected.slice(0, ERRORS_SHOWN),
  };
  await recordImport(tx, { ...s, idPrefix: propertyId(packer.idPrefix, 0) }, summary, rejected);
  // Metered with the import, in its transaction: refused whole when a trial's quota cannot hold it.
  const stored = inserted + updated;
  if (stored > 0) {
    const kx = kyselyIn(tx);
    await checkQuota(kx, s.tenantId, 'properties_imported', stored);
    const m = await meterInTx(kx, {
      tenantId: s.tenantId,
      metric: 'properties_imported',
      quantity: stored,
      key: `import:${s.importId}`,
    });
    s.alerts.push(...m.alerts);
  }
  return summary;
}

/** Records the import, with the first id of its properties: every id it gave shares that id's prefix (0013). */
async function recordImport(
  tx: BulkTx,
  s: ImportPropertiesInput & RunState & { idPrefix: string },
  r: ImportSummary,
  rejected: RowError[],
): Promise<void> {
  await tx.query(
    `insert into property_import (tenant_id, import_id, storm_id, status, source_name, format, mapping, skip_invalid,
       rows_read, inserted, updated, unchanged, duplicates, invalid, elapsed_ms, id_prefix, finished_at)
     values ($1, $2, $3, 'completed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
     on conflict (tenant_id, import_id) do update set status = 'completed', rows_read = excluded.rows_read, id_prefix = excluded.id_prefix,
       inserted = excluded.inserted, updated = excluded.updated, unchanged = excluded.unchanged,
       duplicates = excluded.duplicates, invalid = excluded.invalid, elapsed_ms = excluded.elapsed_ms, finished_at = now()`,
    [
      s.tenantId,
      s.importId,
      s.stormId,
      r.source_name,
      s.format ?? null,
      JSON.stringify(s.pipeline.mapping.mapping),
      Boolean(s.skipInvalid),
      r.rows_read,
      r.inserted,
      r.updated,
      r.unchanged,
      r.duplicates,
      r.invalid,
      r.elapsed_ms,
      s.idPrefix,
    ],
  );
  if (rejected.length) {
    // COPY is refused on tables under row-level security: stage, then INSERT ... SELECT (which RLS checks).
    await tx.query(
      'create temp table import_error_stage (seq integer, row_number integer, column_name text, value text, code text, reason text) on commit drop',
    );
    const lines = (async function* () {
      let seq = 0;
      for (const e of rejected) yield copyLine([++seq, e.row, e.column, e.value, e.code, e.reason]);
    })();
    await tx.copy('COPY import_error_stage FROM STDIN', lines);
    await tx.query(
      `insert into property_import_error (tenant_id, import_id, seq, row_number, column_name, value, code, reason)
       select $1::uuid, $2::uuid, seq, row_number, column_name, value, code, reason from import_error_stage`,
      [s.tenantId, s.importId],
    );
  }
}

/** Saves (or replaces) a named column mapping for the tenant. */
export async function saveMapping(
  ctx: ServiceContext,
  input: { tenantId?: string; name: string; mapping: ColumnMapping },
) {
  authorize(ctx, 'properties:write');
  const tenantId = actingTenant(ctx, input.tenantId);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.name))
    throw new AppError('VALIDATION', 'name: a mapping name holds 1-64 letters, digits, _ . -');
  try {
    // Checks the field names; the headers are the mapping's own values, so only unknown fields can fail.
    checkMapping(
      Object.values(input.mapping).filter((v): v is string => typeof v === 'string'),
      input.mapping,
    );
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, undefined) : err;
  }
  await ctx.db.withTenant(tenantId, (trx) =>
    trx
      .insertInto('column_mapping')
      .values({ tenant_id: tenantId, name: input.name, mapping: JSON.stringify(input.mapping) })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'name'])
          .doUpdateSet({ mapping: JSON.stringify(input.mapping), updated_at: new Date() }),
      )
      .execute(),
  );
  return { name: input.name, mapping: input.mapping };
}

export type PropertyView = Omit<
  Selectable<PropertyTable>,
  'home_value_cents' | 'created_at' | 'updated_at' | 'exposure_at'
> & {
  /** The street line as the dedupe reads it (kept in the key, 0014). */
  address_normalized: string;
  home_value_cents: number | null;
  created_at: string;
  updated_at: string;
  exposure_at: string | null;
};

function toView(row: Selectable<PropertyTable>): PropertyView {
  return {
    ...row,
    address_normalized: normalizedLineOfKey(row.address_key, row.zip),
    attributes: row.attributes ?? {},
    home_value_cents: row.home_value_cents === null ? null : Number(row.home_value_cents),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    exposure_at: row.exposure_at ? new Date(row.exposure_at).toISOString() : null,
  };
}

/** A page of a storm's properties in id order; pass `next_after` back as `after` for the next page. */
export async function listProperties(
  ctx: ServiceContext,
  stormId: string,
  page: { limit?: number; after?: string } = {},
): Promise<{ properties: PropertyView[]; total: number; next_after: string | null }> {
  authorize(ctx, 'properties:read');
  const limit = page.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new AppError('VALIDATION', `limit: must be a whole number from 1 to 1000, got ${limit}`);
  return withStorm(ctx, stormId, async (trx) => {
    let q = trx.selectFrom('property').selectAll().where('storm_id', '=', stormId).orderBy('property_id').limit(limit);
    if (page.after) q = q.where('property_id', '>', page.after);
    const rows = await q.execute();
    const total = await repo.countProperties(trx, stormId);
    return {
      properties: rows.map(toView),
      total,
      next_after: rows.length === limit ? (rows[rows.length - 1]?.property_id ?? null) : null,
    };
  });
}

/** Imports recorded for a storm, newest first. */
export async function listImports(ctx: ServiceContext, stormId: string) {
  authorize(ctx, 'properties:read');
  return withStorm(ctx, stormId, async (trx) =>
    trx
      .selectFrom('property_import')
      .select(repo.IMPORT_COLUMNS)
      .where('storm_id', '=', stormId)
      .orderBy('started_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(100)
      .execute(),
  );
}
