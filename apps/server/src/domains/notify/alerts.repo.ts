/** SQL for alert incidents (platform table alert_incident). Functions take a platform transaction first. */
import { sql, type Selectable } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { AlertIncidentTable } from '../../db/schema.ts';

export type IncidentRow = Selectable<AlertIncidentTable>;

export async function openIncidents(trx: Trx, keys?: readonly string[]): Promise<IncidentRow[]> {
  let q = trx.selectFrom('alert_incident').selectAll().where('resolved_at', 'is', null);
  if (keys) {
    if (keys.length === 0) return [];
    q = q.where('alert_key', 'in', keys);
  }
  return q.orderBy('opened_at').orderBy('alert_key').execute();
}

/** Opens an incident unless one is already open for the key (then returns undefined: it pages once). */
export async function insertIncident(
  trx: Trx,
  v: { key: string; source: string; severity: string; message: string; details: Record<string, unknown>; at: Date },
): Promise<IncidentRow | undefined> {
  return trx
    .insertInto('alert_incident')
    .values({
      alert_key: v.key,
      source: v.source,
      severity: v.severity,
      message: v.message,
      details: JSON.stringify(v.details),
      opened_at: v.at,
    })
    .onConflict((oc) => oc.column('alert_key').where('resolved_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function resolveIncident(trx: Trx, alertId: string, at: Date): Promise<IncidentRow | undefined> {
  return trx
    .updateTable('alert_incident')
    .set({ resolved_at: sql`greatest(opened_at, ${at}::timestamptz)` })
    .where('alert_id', '=', alertId)
    .where('resolved_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Incidents whose trigger or resolve has not been delivered yet, oldest first. */
export async function pendingDeliveries(trx: Trx, maxAttempts: number): Promise<IncidentRow[]> {
  return trx
    .selectFrom('alert_incident')
    .selectAll()
    .where('delivery_attempts', '<', maxAttempts)
    .where((eb) =>
      eb.or([
        eb('trigger_sent_at', 'is', null),
        eb.and([eb('resolved_at', 'is not', null), eb('resolve_sent_at', 'is', null)]),
      ]),
    )
    .orderBy('opened_at')
    .orderBy('seq')
    .limit(100)
    .execute();
}

export async function markDelivery(
  trx: Trx,
  alertId: string,
  v: { triggerSentAt?: Date; resolveSentAt?: Date; error?: string | null; attempted: boolean },
): Promise<void> {
  await trx
    .updateTable('alert_incident')
    .set({
      ...(v.triggerSentAt ? { trigger_sent_at: v.triggerSentAt } : {}),
      ...(v.resolveSentAt ? { resolve_sent_at: v.resolveSentAt } : {}),
      ...(v.error !== undefined ? { last_delivery_error: v.error } : {}),
      ...(v.attempted ? { delivery_attempts: sql`delivery_attempts + 1` } : {}),
    })
    .where('alert_id', '=', alertId)
    .execute();
}

/** Incidents open at any time in [from, to], optionally for keys starting with a prefix. */
export async function incidentsInRange(trx: Trx, from: Date, to: Date, keyPrefix?: string): Promise<IncidentRow[]> {
  let q = trx
    .selectFrom('alert_incident')
    .selectAll()
    .where('opened_at', '<=', to)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>', from)]));
  if (keyPrefix) q = q.where('alert_key', 'like', `${keyPrefix.replace(/[\\%_]/g, '\\$&')}%`);
  return q.orderBy('opened_at').orderBy('seq').execute();
}
