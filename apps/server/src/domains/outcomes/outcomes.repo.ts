/**
 * SQL for reading outcomes. Writes, single or batched, go through the set-based writer (outcomes-batch.repo.ts); single
 * calls are grouped by outcomes.coalesce.ts.
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

const COLUMNS = sql.raw(
  'outcome_id, storm_id, property_id, converted, value_cents, idempotency_key, supersedes, is_current, late, source, recorded_at',
);

/** Every version of a property's outcome, oldest first (the audit trail). */
export async function outcomeHistory(trx: Trx, propertyId: string): Promise<OutcomeRow[]> {
  const r =
    await sql<OutcomeRow>`select ${COLUMNS} from outcome where property_id = ${propertyId} order by recorded_at, outcome_id`.execute(
      trx,
    );
  return r.rows;
}

export async function propertyExists(trx: Trx, propertyId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('property')
    .select('property_id')
    .where('property_id', '=', propertyId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function eventOfStorm(trx: Trx, stormId: string): Promise<string | undefined> {
  const r = await sql<{ event_id: string }>`select event_id from storm where storm_id = ${stormId}`.execute(trx);
  return r.rows[0]?.event_id;
}

/** The PropertyStorm columns of storm `s`: its state, when it closed and the database's clock (for the grace window). */
export const STORM_STATE = sql`s.storm_id, s.event_id, s.status, now() as now,
  (select max(c.changed_at) from storm_status_change c
    where c.tenant_id = s.tenant_id and c.storm_id = s.storm_id and c.to_status = 'closed') as closed_at`;

/** A storm by id or event id, with when it closed and the database's clock. */
export async function lockStorm(
  trx: Trx,
  ref: { stormId?: string | undefined; eventId?: string | undefined },
): Promise<(PropertyStorm & { storm_id: string }) | undefined> {
  const r = await sql<PropertyStorm>`
    select ${STORM_STATE}
    from storm s
    where ${ref.stormId ? sql`s.storm_id = ${ref.stormId}` : sql`s.event_id = ${ref.eventId ?? ''}`}`.execute(trx);
  return r.rows[0];
}

/** The database clock now (outcomes are stamped with clock_timestamp()). */
export async function databaseNow(trx: Trx): Promise<Date> {
  return (await sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx)).rows[0]!.now;
}

/**
 * Ingestion lag of the outcomes written since `since` in this storm: good when logged within `targetHours` of the
 * home's first knock (when it happened, as far as the platform knows); outcomes of homes never knocked are not counted.
 */
export async function ingestionLag(
  trx: Trx,
  stormId: string,
  since: Date,
  targetHours: number,
): Promise<{ good: number; total: number }> {
  const r = await sql<{ good: number; total: number }>`
    select (count(*) filter (where o.recorded_at - k.at <= make_interval(hours => ${targetHours})))::int as good,
      count(*)::int as total
    from outcome o
    join (select property_id, min(knocked_at) as at from knock where storm_id = ${stormId} group by property_id) k
      on k.property_id = o.property_id
    where o.storm_id = ${stormId} and o.recorded_at >= ${since}`.execute(trx);
  return r.rows[0] ?? { good: 0, total: 0 };
}

/**
 * Each property's storm (and when it closed), the property rows locked in id order for the group's writes. The call
 * may not name its storm: one probe of the property table's (tenant_id, property_id) key per id finds it.
 */
export async function lockPropertyStorms(
  trx: Trx,
  propertyIds: string[],
): Promise<Map<string, PropertyStorm & { property_id: string }>> {
  const ids = [...new Set(propertyIds)].sort();
  const r = await sql<PropertyStorm & { property_id: string }>`
    select p.property_id, ${STORM_STATE}
    from property p join storm s on s.tenant_id = p.tenant_id and s.storm_id = p.storm_id
    where p.property_id = any(${ids}::uuid[])
    order by p.property_id
    for no key update of p`.execute(trx);
  return new Map(r.rows.map((row) => [row.property_id, row]));
}

/** True once any outcome of the storm is logged. */
export async function stormHasOutcomes(trx: Trx, stormId: string): Promise<boolean> {
  const r = await sql<{
    found: boolean;
  }>`select exists (select 1 from outcome where storm_id = ${stormId}) as found`.execute(trx);
  return r.rows[0]?.found === true;
}
