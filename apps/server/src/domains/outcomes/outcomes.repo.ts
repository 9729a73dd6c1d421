/**
 * SQL for one outcome. Two statements inside the tenant transaction: lock the property row (serializes corrections of
 * one property, nothing else), then one INSERT ... ON CONFLICT on (tenant_id, idempotency_key) that also retires the
 * previous current outcome. Racing retries with one key resolve in the database: exactly one row is written.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';

export interface PropertyStorm {
  storm_id: string;
  event_id: string;
  status: string;
  closed_at: Date | null;
  now: Date;
}

export interface OutcomeRow {
  outcome_id: string;
  storm_id: string;
  property_id: string;
  converted: boolean;
  value_cents: string;
  idempotency_key: string;
  supersedes: string | null;
  is_current: boolean;
  late: boolean;
  source: string;
  recorded_at: Date;
}

const COLUMNS = sql.raw('outcome_id, storm_id, property_id, converted, value_cents, idempotency_key, supersedes, is_current, late, source, recorded_at');

/** The property's storm (and when it closed), with the property row locked against concurrent corrections. */
export async function lockProperty(trx: Trx, propertyId: string): Promise<PropertyStorm | undefined> {
  const r = await sql<PropertyStorm>`
    select p.storm_id, s.event_id, s.status, now() as now,
      (select max(c.changed_at) from storm_status_change c
        where c.tenant_id = s.tenant_id and c.storm_id = s.storm_id and c.to_status = 'closed') as closed_at
    from property p join storm s on s.tenant_id = p.tenant_id and s.storm_id = p.storm_id
    where p.property_id = ${propertyId}
    for no key update of p`.execute(trx);
  return r.rows[0];
}

/** Inserts the outcome unless its key exists; the previous current outcome of the property is superseded. */
export async function insertOutcome(
  trx: Trx,
  o: { tenantId: string; stormId: string; propertyId: string; converted: boolean; valueCents: number; key: string; late: boolean; source: string },
): Promise<OutcomeRow | undefined> {
  const r = await sql<OutcomeRow>`
    with cur as (
      select outcome_id from outcome where property_id = ${o.propertyId} and is_current limit 1
    ), ins as (
      insert into outcome (tenant_id, storm_id, property_id, converted, value_cents, idempotency_key, supersedes, late, source)
      select ${o.tenantId}::uuid, ${o.stormId}::uuid, ${o.propertyId}::uuid, ${o.converted}, ${o.valueCents}, ${o.key},
        (select outcome_id from cur), ${o.late}, ${o.source}
      on conflict (tenant_id, idempotency_key) do nothing
      returning ${COLUMNS}
    ), retired as (
      update outcome set is_current = false
      where outcome_id in (select outcome_id from cur) and exists (select 1 from ins)
      returning outcome_id
    )
    select ins.*, (select count(*) from retired) as retired from ins`.execute(trx);
  return r.rows[0];
}

export async function outcomeByKey(trx: Trx, key: string): Promise<OutcomeRow | undefined> {
  const r = await sql<OutcomeRow>`select ${COLUMNS} from outcome where idempotency_key = ${key}`.execute(trx);
  return r.rows[0];
}

/** Every version of a property's outcome, oldest first (the audit trail). */
export async function outcomeHistory(trx: Trx, propertyId: string): Promise<OutcomeRow[]> {
  const r = await sql<OutcomeRow>`select ${COLUMNS} from outcome where property_id = ${propertyId} order by recorded_at, outcome_id`.execute(trx);
  return r.rows;
}

export async function eventOfStorm(trx: Trx, stormId: string): Promise<string | undefined> {
  const r = await sql<{ event_id: string }>`select event_id from storm where storm_id = ${stormId}`.execute(trx);
  return r.rows[0]?.event_id;
}

/** A storm by id or event id, with when it closed and the database's clock. */
export async function lockStorm(trx: Trx, ref: { stormId?: string | undefined; eventId?: string | undefined }): Promise<(PropertyStorm & { storm_id: string }) | undefined> {
  const r = await sql<PropertyStorm>`
    select s.storm_id, s.event_id, s.status, now() as now,
      (select max(c.changed_at) from storm_status_change c
        where c.tenant_id = s.tenant_id and c.storm_id = s.storm_id and c.to_status = 'closed') as closed_at
    from storm s
    where ${ref.stormId ? sql`s.storm_id = ${ref.stormId}` : sql`s.event_id = ${ref.eventId ?? ''}`}`.execute(trx);
  return r.rows[0];
}
