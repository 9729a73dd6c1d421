/** SQL for storms. Functions take a transaction first; tenant confinement comes from row-level security. */
import type { Trx } from '../../db/database.ts';
import type { NewStorm, StormRow } from '../../db/schema.ts';

export function insertStorm(trx: Trx, row: NewStorm): Promise<StormRow> {
  return trx.insertInto('storm').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findStorm(trx: Trx, stormId: string): Promise<StormRow | undefined> {
  return trx.selectFrom('storm').selectAll().where('storm_id', '=', stormId).executeTakeFirst();
}

export function findStormForUpdate(trx: Trx, stormId: string): Promise<StormRow | undefined> {
  return trx.selectFrom('storm').selectAll().where('storm_id', '=', stormId).forUpdate().executeTakeFirst();
}

export function listStorms(trx: Trx, filter: { status?: string; limit: number }): Promise<StormRow[]> {
  let q = trx.selectFrom('storm').selectAll().orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(filter.limit);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q.execute();
}

/** Platform role only: which tenant owns a storm id. */
export async function tenantOfStorm(trx: Trx, stormId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('storm').select('tenant_id').where('storm_id', '=', stormId).executeTakeFirst();
  return row?.tenant_id;
}

export async function updateStatus(
  trx: Trx,
  storm: StormRow,
  to: string,
  reason: string | undefined,
): Promise<StormRow> {
  await trx
    .insertInto('storm_status_change')
    .values({
      tenant_id: storm.tenant_id,
      storm_id: storm.storm_id,
      from_status: storm.status,
      to_status: to,
      reason: reason ?? null,
    })
    .execute();
  return trx
    .updateTable('storm')
    .set({ status: to, updated_at: new Date() })
    .where('storm_id', '=', storm.storm_id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function statusHistory(trx: Trx, stormId: string) {
  return trx
    .selectFrom('storm_status_change')
    .select(['from_status', 'to_status', 'reason', 'changed_at'])
    .where('storm_id', '=', stormId)
    .orderBy('changed_at')
    .orderBy('seq')
    .execute();
}
