/** SQL for property import jobs: the job's row in `property_import` (running, failed, interrupted), and its errors. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import { IMPORT_COLUMNS } from './properties.repo.ts';

/** Registers an API job's import as running, owned by `ownerId`, with a first heartbeat; answers its record. */
export async function insertRunningImport(
  trx: Trx,
  job: { tenantId: string; importId: string; stormId: string; sourceName: string | null; skipInvalid: boolean },
  ownerId: string,
) {
  return trx
    .insertInto('property_import')
    .values({
      tenant_id: job.tenantId,
      import_id: job.importId,
      storm_id: job.stormId,
      status: 'running',
      source_name: job.sourceName,
      skip_invalid: job.skipInvalid,
      owner_id: ownerId,
      heartbeat_at: sql<Date>`now()`,
    })
    .returning(IMPORT_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Marks an import failed with the error's body. */
export async function markImportFailed(trx: Trx, importId: string, error: unknown): Promise<void> {
  await trx
    .updateTable('property_import')
    .set({ status: 'failed', error: JSON.stringify(error), finished_at: new Date() })
    .where('import_id', '=', importId)
    .execute();
}

/** Which tenant an import belongs to (platform: reads across tenants). */
export async function importTenant(trx: Trx, importId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('property_import')
    .select('tenant_id')
    .where('import_id', '=', importId)
    .executeTakeFirst();
  return row?.tenant_id;
}

export async function findImport(trx: Trx, importId: string) {
  return trx.selectFrom('property_import').select(IMPORT_COLUMNS).where('import_id', '=', importId).executeTakeFirst();
}

/** The rows an import rejected, in the order found. */
export async function importErrors(trx: Trx, importId: string) {
  return trx.selectFrom('property_import_error').selectAll().where('import_id', '=', importId).orderBy('seq').execute();
}

/**
 * Marks running imports interrupted: all of them, or (staleAfterMs) those whose owner's heartbeat is older than that
 * or that have no owner; never those of `exceptOwner`. Answers how many.
 */
export async function markInterrupted(
  trx: Trx,
  opts: { staleAfterMs?: number; exceptOwner?: string },
): Promise<number> {
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
  const except = opts.exceptOwner;
  if (except !== undefined) q = q.where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '!=', except)]));
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Renews the heartbeat of every running import `ownerId` owns; answers how many. */
export async function beatImports(trx: Trx, ownerId: string): Promise<number> {
  const result = await trx
    .updateTable('property_import')
    .set({ heartbeat_at: sql<Date>`now()` })
    .where('status', '=', 'running')
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
