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
import { parse } from '../validate.ts';
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
import {
  DELIMITERS,
  ERRORS_SHOWN,
  importPropertiesInput,
  listImportsInput,
  listPropertiesInput,
  saveMappingInput,
  type ImportHooks,
  type ImportPropertiesInput,
  type ImportSummary,
  type ListImportsInput,
  type ListPropertiesInput,
  type SaveMappingInput,
} from './properties.schema.ts';
import type { ByteSource } from '../../lib/csv/tabular.ts';

/** Which tenant owns the storm (checked inside that tenant), without holding a transaction open. */
export async function stormTenant(ctx: ServiceContext, stormId: string): Promise<{ tenantId: string; status: string }> {
  return withStorm(ctx, stormId, async (_trx, storm) => ({ tenantId: storm.tenant_id, status: storm.status }));
}

async function resolveMapping(ctx: ServiceContext, tenantId: string, mapping: string | ColumnMapping | undefined) {
  if (typeof mapping !== 'string') return mapping;
  const saved = await ctx.db.withTenant(tenantId, (trx) => repo.findMapping(trx, mapping));
  if (!saved) throw new AppError('NOT_FOUND', `no saved mapping named ${mapping}`, { mapping });
  return saved;
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

export async function importProperties(
  ctx: ServiceContext,
  input: ImportPropertiesInput,
  hooks: ImportHooks = {},
): Promise<ImportSummary> {
  authorize(ctx, 'properties:write');
  const started = performance.now();
  const { source: rawSource, ...options } = input;
  const o = parse(importPropertiesInput, options);
  const { tenantId, status } = await stormTenant(ctx, o.storm_id);
  if (status === 'closed' || status === 'cancelled') {
    throw new AppError('CONFLICT', `storm ${o.storm_id} is ${status}: properties can no longer be imported`);
  }
  // A trial tenant at its monthly quota is refused before a byte is read.
  await ctx.db.withTenant(tenantId, (trx) => checkQuota(trx, tenantId, 'properties_imported', 1));
  const mapping = await resolveMapping(ctx, tenantId, o.mapping);
  const importId = hooks.importId ?? randomUUID();
  const counter = { bytes: 0 };
  const alerts: QuotaAlert[] = [];
  const packer = new ChunkPacker(importIdPrefix());
  let pipeline: PropertyLoad;
  try {
    const loadOptions = {
      ...(o.format ? { format: o.format } : {}),
      ...(o.source_name ? { fileName: o.source_name } : {}),
      ...(o.delimiter ? { delimiter: DELIMITERS[o.delimiter] } : {}),
      ...(mapping ? { mapping } : {}),
    };
    pipeline = await openPropertyLoad(counted(rawSource, counter), loadOptions, packer);
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, o.source_name) : err;
  }
  try {
    const summary = await timeJob('properties.import', () =>
      ctx.db.withTenantBulk(tenantId, (tx) =>
        runImport(tx, { ...o, ...hooks, tenantId, importId, packer, pipeline, counter, started, mapping, alerts }),
      ),
    );
    metrics.propertiesImported.inc(summary.inserted + summary.updated);
    await announceQuotaAlerts(ctx.db, alerts).catch(() => {});
    return summary;
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, o.source_name) : err;
  }
}

type ParsedImport = ReturnType<typeof importPropertiesInput.parse>;

interface RunState extends Omit<ImportHooks, 'importId'> {
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

async function runImport(tx: BulkTx, s: ParsedImport & RunState): Promise<ImportSummary> {
  if (!(await repo.lockStorm(tx, s.storm_id))) throw new AppError('NOT_FOUND', `storm ${s.storm_id} not found`);
  const ids: repo.MergeIds = { tenantId: s.tenantId, stormId: s.storm_id, importId: s.importId };
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
      if (invalid === 0 || s.skip_invalid) yield* batch.chunks;
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
  // The first import into a storm moves its rows into `property` as they are read; a later one stages the whole
  // file, then merges it into the storm's properties.
  const first = !(await repo.stormHasProperties(tx, s.storm_id));
  let inserted = 0;
  let updated = 0;
  if (first) {
    await loadAll(tx, repo.beginLoad(ids), chunks, (c) => packer.recycle(c));
    inserted = packer.packed;
  } else {
    await repo.createStage(tx);
    await stageAll(tx, chunks, (c) => packer.recycle(c));
  }
  if (invalid > 0 && !s.skip_invalid) {
    const first = rejected[0];
    throw new AppError(
      'VALIDATION',
      `${s.source_name ?? 'the file'}: ${invalid} invalid row(s), nothing imported; first: row ${first?.row}, column ${first?.column}: ${first?.reason}` +
        ' (fix them, or import with --skip-invalid)',
      { file: s.source_name ?? null, invalid, errors: rejected.slice(0, ERRORS_SHOWN) },
    );
  }
  if (!first) {
    updated = await repo.updateStaged(tx, ids);
    inserted = await repo.insertStaged(tx, ids);
  }
  // Properties arriving after the storm reports get their exposure in the same transaction.
  if (inserted + updated > 0 && (await repo.hasStormReports(tx, s.storm_id))) {
    await updateExposure(tx, s.tenantId, s.storm_id, DEFAULT_EXPOSURE_RADIUS_MILES);
  }
  const stats = s.pipeline.stats;
  const staged = stats.imported;
  const elapsed = Math.round(performance.now() - s.started);
  const summary: ImportSummary = {
    import_id: s.importId,
    storm_id: s.storm_id,
    status: 'completed',
    source_name: s.source_name ?? null,
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
  await repo.recordImport(
    tx,
    {
      tenantId: s.tenantId,
      importId: s.importId,
      stormId: s.storm_id,
      sourceName: summary.source_name,
      format: s.format ?? null,
      mapping: s.pipeline.mapping.mapping,
      skipInvalid: Boolean(s.skip_invalid),
      rowsRead: summary.rows_read,
      inserted: summary.inserted,
      updated: summary.updated,
      unchanged: summary.unchanged,
      duplicates: summary.duplicates,
      invalid: summary.invalid,
      elapsedMs: summary.elapsed_ms,
      idPrefix: propertyId(packer.idPrefix, 0),
    },
    rejected,
  );
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

/** Saves (or replaces) a named column mapping for the tenant. */
export async function saveMapping(ctx: ServiceContext, raw: SaveMappingInput) {
  authorize(ctx, 'properties:write');
  const input = parse(saveMappingInput, raw);
  const tenantId = actingTenant(ctx, input.tenant_id);
  try {
    // Checks the field names; the headers are the mapping's own values, so only unknown fields can fail.
    checkMapping(
      Object.values(input.mapping).filter((v): v is string => typeof v === 'string'),
      input.mapping,
    );
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, undefined) : err;
  }
  await ctx.db.withTenant(tenantId, (trx) => repo.upsertMapping(trx, tenantId, input.name, input.mapping));
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
  raw: ListPropertiesInput,
): Promise<{ properties: PropertyView[]; total: number; next_after: string | null }> {
  authorize(ctx, 'properties:read');
  const { storm_id: stormId, limit = 100, after } = parse(listPropertiesInput, raw);
  return withStorm(ctx, stormId, async (trx) => {
    const rows = await repo.propertyPage(trx, stormId, limit, after);
    const total = await repo.countProperties(trx, stormId);
    return {
      properties: rows.map(toView),
      total,
      next_after: rows.length === limit ? (rows[rows.length - 1]?.property_id ?? null) : null,
    };
  });
}

/** Imports recorded for a storm, newest first. */
export async function listImports(ctx: ServiceContext, raw: ListImportsInput) {
  authorize(ctx, 'properties:read');
  const { storm_id: stormId } = parse(listImportsInput, raw);
  return withStorm(ctx, stormId, (trx) => repo.stormImports(trx, stormId));
}
