/** SQL for territories and walk lists: a storm's treat doors with their locations, and their walking order. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';

/** The storm's treat doors, located or not, in property id order. */
export async function treatDoors(trx: Trx, stormId: string) {
  const r = await sql<{ property_id: string; lat: number | null; lon: number | null }>`
    select a.property_id, p.lat, p.lon from assignment a join property p on p.storm_id = ${stormId} and p.property_id = a.property_id
    where a.storm_id = ${stormId} and a.arm = 'treat' order by a.property_id`.execute(trx);
  return r.rows;
}

/** Replaces the storm's territories: every treat door is cleared, then the given doors get territory, order, canvasser. */
export async function replaceTerritories(
  trx: Trx,
  stormId: string,
  doors: { ids: string[]; territory: number[]; seq: number[]; canvasser: string[] },
): Promise<void> {
  await sql`update assignment a set territory = null, walk_seq = null, canvasser = null
    where a.storm_id = ${stormId} and a.arm = 'treat'`.execute(trx);
  await sql`update assignment a set territory = i.t, walk_seq = i.s, canvasser = i.c
    from unnest(${doors.ids}::uuid[], ${doors.territory}::int[], ${doors.seq}::int[], ${doors.canvasser}::text[]) as i(id, t, s, c)
    where a.property_id = i.id`.execute(trx);
}

export interface WalkRow {
  territory: number;
  canvasser: string;
  walk_seq: number;
  property_id: string;
  address_line: string;
  city: string | null;
  zip: string | null;
  lat: number;
  lon: number;
  uplift: number | null;
}

/** Planned doors in walking order: one territory's, or every territory's. */
export async function walkList(trx: Trx, stormId: string, territory?: number): Promise<WalkRow[]> {
  const r = await sql<WalkRow>`
    select a.territory, a.canvasser, a.walk_seq, a.property_id, p.address_line, p.city, p.zip, p.lat, p.lon, a.uplift
    from assignment a join property p on p.storm_id = ${stormId} and p.property_id = a.property_id
    where a.storm_id = ${stormId} and a.arm = 'treat' and a.territory is not null
      ${territory !== undefined ? sql`and a.territory = ${territory}` : sql``}
    order by a.territory, a.walk_seq`.execute(trx);
  return r.rows;
}
