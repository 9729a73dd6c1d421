/** SQL for the append-only audit log: insert and list. No updates or deletes exist (the database refuses them). */
import type { Trx } from '../../db/database.ts';

export interface AuditRow {
  actor_kind: string;
  actor_id: string | null;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
}

export async function insertTenantEvent(trx: Trx, tenantId: string, row: AuditRow): Promise<void> {
  await trx
    .insertInto('audit_event')
    .values({ tenant_id: tenantId, ...row })
    .execute();
}

export async function insertPlatformEvent(trx: Trx, row: AuditRow): Promise<void> {
  await trx.insertInto('platform_audit_event').values(row).execute();
}

const COLUMNS = [
  'event_id',
  'at',
  'actor_kind',
  'actor_id',
  'actor_role',
  'action',
  'target_type',
  'target_id',
  'before',
  'after',
  'request_id',
] as const;

export function listTenantEvents(trx: Trx, filter: { since?: Date; limit: number }) {
  let q = trx
    .selectFrom('audit_event')
    .select([...COLUMNS, 'tenant_id'])
    .orderBy('at', 'desc')
    .orderBy('event_id')
    .limit(filter.limit);
  if (filter.since) q = q.where('at', '>=', filter.since);
  return q.execute();
}

export function listPlatformEvents(trx: Trx, filter: { since?: Date; limit: number }) {
  let q = trx
    .selectFrom('platform_audit_event')
    .select(COLUMNS)
    .orderBy('at', 'desc')
    .orderBy('event_id')
    .limit(filter.limit);
  if (filter.since) q = q.where('at', '>=', filter.since);
  return q.execute();
}
