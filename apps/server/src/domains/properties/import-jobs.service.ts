/**
 * Property imports as API jobs: the upload is already on disk (streamed there by the route), the job is recorded as
 * 'running' at once so it can be polled, and the import itself runs in the background as one transaction. Each running
 * job names the process that owns it and carries that process' heartbeat (0025); a job whose owner stopped beating
 * belonged to a process that died: it is marked 'interrupted' (nothing of it was committed; uploading the file again
 * completes it). Embedded: one process, so every job found running at start-up is.
 */
import { randomUUID } from 'node:crypto';
import type { ImportStatus } from './properties.responses.ts';
import { sql } from 'kysely';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { csvRow } from '../../lib/csv/writer.ts';
import type { Database } from '../../db/database.ts';
import type { JobProgress, JobRegistry } from '../../jobs/job-registry.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { IMPORT_COLUMNS } from './properties.repo.ts';
import { importProperties, stormTenant } from './properties.service.ts';
import type { ImportPropertiesInput } from './properties.schema.ts';

export type ImportJobInput = Omit<ImportPropertiesInput, 'source' | 'importId' | 'onProgress' | 'onRejected'> & {
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
    ({ tenantId } = await checkImportTarget(ctx, input.stormId));
  } catch (err) {
    await rm(input.path, { force: true });
    throw err;
  }
  const importId = randomUUID();
  let size: number;
  let record: Record<string, unknown>;
  try {
    record = await ctx.db.withTenant(tenantId, (trx) =>
      trx
        .insertInto('property_import')
        .values({
          tenant_id: tenantId,
          import_id: importId,
          storm_id: input.stormId,
          status: 'running',
          source_name: input.sourceName ?? null,
          skip_invalid: Boolean(input.skipInvalid),
          owner_id: jobs.ownerId,
          heartbeat_at: sql<Date>`now()`,
        })
        .returning(IMPORT_COLUMNS)
        .executeTakeFirstOrThrow(),
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
        await importProperties(ctx, {
          ...input,
          importId,
          source: createReadStream(input.path),
          onProgress: (p) => report(p),
        });
      } catch (err) {
        const body =
          err instanceof AppError ? err.toBody().error : { code: 'INTERNAL', message: (err as Error).message };
        await ctx.db.withTenant(tenantId, (trx) =>
          trx
            .updateTable('property_import')
            .set({ status: 'failed', error: JSON.stringify(body), finished_at: new Date() })
            .where('import_id', '=', importId)
            .execute(),
        );
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
      : await ctx.db.withPlatform(
          async (trx) =>
            (
              await trx
                .selectFrom('property_import')
                .select('tenant_id')
                .where('import_id', '=', importId)
                .executeTakeFirst()
            )?.tenant_id,
        );
  const row = tenantId
    ? await ctx.db.withTenant(tenantId, (trx) =>
        trx.selectFrom('property_import').select(IMPORT_COLUMNS).where('import_id', '=', importId).executeTakeFirst(),
      )
    : undefined;
  if (!row) throw new AppError('NOT_FOUND', `import ${importId} not found`, { import_id: importId });
  return row;
}

/** The rows an import rejected, as CSV text (row, column, value, code, reason). */
export async function importErrorsCsv(ctx: ServiceContext, importId: string): Promise<string> {
  authorize(ctx, 'properties:read');
  const row = await findImport(ctx, importId);
  const errors = await ctx.db.withTenant(row.tenant_id, (trx) =>
    trx.selectFrom('property_import_error').selectAll().where('import_id', '=', importId).orderBy('seq').execute(),
  );
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
  const result = await db.withPlatform((trx) => {
    let q = trx
      .updateTable('property_import')
      .set({
        status: 'interrupted',
        finished_at: new Date(),
        error: JSON.stringify({
          code: 'INTERRUPTED',
          message: 'the process stopped during the import; nothing was written: upload the file again',
        }),
      })
      .where('status', '=', 'running');
    if (opts.staleAfterMs !== undefined) {
      // The database's clock, the one every process' heartbeat was stamped with.
      const before = sql<Date>`now() - make_interval(secs => ${opts.staleAfterMs / 1000})`;
      q = q.where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', before)]));
    }
    if (opts.exceptOwner !== undefined)
      q = q.where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '!=', opts.exceptOwner!)]));
    return q.executeTakeFirst();
  });
  return Number(result.numUpdatedRows);
}

/** Renews the heartbeat of every import this process runs. */
export async function beatImports(db: Database, ownerId: string): Promise<number> {
  const result = await db.withPlatform((trx) =>
    trx
      .updateTable('property_import')
      .set({ heartbeat_at: sql<Date>`now()` })
      .where('status', '=', 'running')
      .where('owner_id', '=', ownerId)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows);
}
