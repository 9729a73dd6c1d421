/** SQL for the canvassing log: knocks, with contamination (a knock on a hold property) flagged when written. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { ContaminationView } from './policy.schema.ts';

export interface KnockRow {
  knock_id: string;
  storm_id: string;
  property_id: string;
  canvasser: string;
  result: string;
  knocked_at: Date;
  arm: string | null;
  contaminated: boolean;
  idempotency_key: string | null;
  recorded_at: Date;
}

/**
 * Records knocks given as parallel arrays (one statement for any number). The arm is read from `assignment` in the
 * same statement, so contamination is decided by the database; a repeated idempotency key is skipped.
 * Only properties of the storm are written; returns the rows written.
 */
export async function insertKnocks(
  trx: Trx,
  k: {
    tenantId: string;
    stormId: string;
    propertyIds: string[];
    canvassers: string[];
    results: string[];
    knockedAt: string[];
    keys: (string | null)[];
  },
): Promise<KnockRow[]> {
  const r = await sql<KnockRow>`
    insert into knock (tenant_id, storm_id, property_id, canvasser, result, knocked_at, arm, contaminated, idempotency_key)
    select ${k.tenantId}::uuid, p.storm_id, p.property_id, i.canvasser, i.result, i.knocked_at, a.arm, coalesce(a.arm = 'hold', false), i.key
    from unnest(${k.propertyIds}::uuid[], ${k.canvassers}::text[], ${k.results}::text[], ${k.knockedAt}::timestamptz[], ${k.keys}::text[])
      as i(property_id, canvasser, result, knocked_at, key)
    join property p on p.property_id = i.property_id and p.storm_id = ${k.stormId}
    left join assignment a on a.tenant_id = p.tenant_id and a.property_id = p.property_id
    on conflict (tenant_id, idempotency_key) do nothing
    returning knock_id, storm_id, property_id, canvasser, result, knocked_at, arm, contaminated, idempotency_key, recorded_at`.execute(
    trx,
  );
  return r.rows;
}

export async function knockByKey(trx: Trx, key: string): Promise<KnockRow | undefined> {
  const r =
    await sql<KnockRow>`select knock_id, storm_id, property_id, canvasser, result, knocked_at, arm, contaminated, idempotency_key, recorded_at
    from knock where idempotency_key = ${key}`.execute(trx);
  return r.rows[0];
}

/** Hold properties knocked anyway: the experiment's contamination, for apply/knock responses and the pilot report. */
export async function contamination(trx: Trx, stormId: string): Promise<ContaminationView> {
  const r = await sql<{ hold: string; hold_knocked: string; knocks: string }>`
    select (select count(*) from assignment where storm_id = ${stormId} and arm = 'hold') as hold,
      count(distinct property_id) as hold_knocked, count(*) as knocks
    from knock where storm_id = ${stormId} and contaminated`.execute(trx);
  const ids = await sql<{ property_id: string }>`
    select property_id from knock where storm_id = ${stormId} and contaminated
    group by property_id order by min(knocked_at), property_id limit 100`.execute(trx);
  const row = r.rows[0]!;
  const hold = Number(row.hold);
  const knocked = Number(row.hold_knocked);
  return {
    storm_id: stormId,
    hold,
    hold_knocked: knocked,
    contamination_knocks: Number(row.knocks),
    contamination_rate: hold ? knocked / hold : 0,
    property_ids: ids.rows.map((x) => x.property_id),
  };
}
