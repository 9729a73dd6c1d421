/**
 * Property imports as API jobs: the upload is already on disk (streamed there by the route), the job is recorded as
 * 'running' at once so it can be polled, and the import itself runs in the background as one transaction. Each running
 * job names the process that owns it and carries that process' heartbeat (0025); a job whose owner stopped beating
 * belonged to a process that died: it is marked 'interrupted' (nothing of it was committed; uploading the file again
 * completes it). Embedded: one process, so every job found running at start-up is.
 */
import { randomUUID } from 'node:crypto';
import type { ImportStatus } from './properties.responses.ts';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { csvRow } from '../../lib/csv/writer.ts';
import type { Database } from '../../db/database.ts';
import type { JobProgress, JobRegistry } from '../../jobs/job-registry.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import * as repo from './import-jobs.repo.ts';
import { importProperties, stormTenant } from './properties.service.ts';
import type { ImportPropertiesInput } from './properties.schema.ts';

export type ImportJobInput = Omit<ImportPropertiesInput, 'source'> & {
  /** The uploaded file; removed when the job ends. */
  path: string;
};

/**
 * Whether the caller may import into the storm now (permission, the storm exists in the caller's tenant and is
 * open); answers its tenant. The upload route calls it before it stores a byte of the file.
 */
export async function checkImportTarget(ctx: ServiceContext, stormId: string): Promise<{ tenantId: string }> {
  authorize(ctx, 'properties:write');
  const { tenantId, status } = await stormTenant(ctx, stormId);
  if (status === 'closed' || status === 'cancelled')
    throw new AppError('CONFLICT', `storm ${stormId} is ${status}: properties can no longer be imported`);
  return { tenantId };
}

export async function startImportJob(
  ctx: ServiceContext,
  jobs: JobRegistry,
  input: ImportJobInput,
): Promise<{ import_id: string; status: 'running' }> {
  let tenantId: string;
  try {
    ({ tenantId } = await checkImportTarget(ctx, input.storm_id));
  } catch (err) {
    await rm(input.path, { force: true });
    throw err;
  }
  const importId = randomUUID();
  let size: number;
  let record: Record<string, unknown>;
  try {
    record = await ctx.db.withTenant(tenantId, (trx) =>
      repo.insertRunningImport(
        trx,
        {
          tenantId,
          importId,
          stormId: input.storm_id,
          sourceName: input.source_name ?? null,
          skipInvalid: Boolean(input.skip_invalid),
        },
        jobs.ownerId,
      ),
    );
    size = (await stat(input.path)).size;
  } catch (err) {
    await rm(input.path, { force: true });
    throw err;
  }
  jobs.start(
    importId,
    size,
    async (report) => {
      try {
        const { path, ...options } = input;
        await importProperties(
          ctx,
          { ...options, source: createReadStream(path) },
          { importId, onProgress: (p) => report(p) },
        );
      } catch (err) {
        const body =
          err instanceof AppError ? err.toBody().error : { code: 'INTERNAL', message: (err as Error).message };
        await ctx.db.withTenant(tenantId, (trx) => repo.markImportFailed(trx, importId, body));
      } finally {
        await rm(input.path, { force: true });
      }
    },
    { tenantId, record },
  );
  return { import_id: importId, status: 'running' };
}

export async function getImportJob(ctx: ServiceContext, jobs: JobRegistry, importId: string) {
  authorize(ctx, 'properties:read');
  // Running here: answered from this process without the database, which the import's transaction may hold (the
  // embedded database has one connection), so progress can be watched while it runs.
  const here = jobs.running(importId);
  if (here && (ctx.principal.kind !== 'tenant' || ctx.principal.tenantId === here.tenantId)) {
    const r = here.record as { started_at: Date | string };
    return {
      ...(here.record as Awaited<ReturnType<typeof findImport>>),
      status: 'running' as const,
      started_at: new Date(r.started_at).toISOString(),
      finished_at: null,
      progress: here.progress,
    };
  }
  const row = await findImport(ctx, importId);
  const live: JobProgress | undefined = row.status === 'running' ? jobs.progress(importId) : undefined;
  return {
    ...row,
    status: row.status as ImportStatus,
    started_at: new Date(row.started_at).toISOString(),
    finished_at: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    ...(live ? { progress: live } : {}),
  };
}

async function findImport(ctx: ServiceContext, importId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(importId))
    throw new AppError('VALIDATION', `import_id: ${JSON.stringify(importId)} is not a valid UUID`);
  const tenantId =
    ctx.principal.kind === 'tenant'
      ? ctx.principal.tenantId
      : await ctx.db.withPlatform((trx) => repo.importTenant(trx, importId));
  const row = tenantId ? await ctx.db.withTenant(tenantId, (trx) => repo.findImport(trx, importId)) : undefined;
  if (!row) throw new AppError('NOT_FOUND', `import ${importId} not found`, { import_id: importId });
  return row;
}

/** The rows an import rejected, as CSV text (row, column, value, code, reason). */
export async function importErrorsCsv(ctx: ServiceContext, importId: string): Promise<string> {
  authorize(ctx, 'properties:read');
  const row = await findImport(ctx, importId);
  const errors = await ctx.db.withTenant(row.tenant_id, (trx) => repo.importErrors(trx, importId));
  return (
    [
      'row,column,value,code,reason',
      ...errors.map((e) => csvRow([e.row_number, e.column_name, e.value, e.code, e.reason])),
    ].join('\n') + '\n'
  );
}

/** A running import whose owner has not beaten for this long belongs to a process that stopped. */
export const JOB_STALE_MS = 60_000;

/**
 * Imports left 'running' by a process that is gone did not commit; say so. `staleAfterMs` (server Postgres, where
 * several processes share the database): only imports whose owner's heartbeat is older than that, or that have no
 * owner (written before 0025). Without it (embedded: one process by the data-folder lock): every running import.
 */
export async function markInterruptedImports(
  db: Database,
  opts: { staleAfterMs?: number; exceptOwner?: string } = {},
): Promise<number> {
  return db.withPlatform((trx) => repo.markInterrupted(trx, opts));
}

/** Renews the heartbeat of every import this process runs. */
export async function beatImports(db: Database, ownerId: string): Promise<number> {
  return db.withPlatform((trx) => repo.beatImports(trx, ownerId));
}
