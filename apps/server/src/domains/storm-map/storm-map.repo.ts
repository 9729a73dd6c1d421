/** SQL for the storm map: every property's point with its uplift and arm, and the storm's hail reports. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';

export interface MapPointRow {
  lon: number;
  lat: number;
  uplift: number | null;
  arm: string | null;
}

/**
 * Located properties only; one row each (a property has at most one score and one assignment), as [lon, lat, uplift,
 * arm] tuples in property order. They cross from the database as ONE JSON text, not 100,000 rows: on the embedded
 * database each result row costs a trip out of WebAssembly, and rows were most of a 100,000-point map's time.
 */
export async function mapPoints(trx: Trx, stormId: string): Promise<MapPointRow[]> {
  const r = await sql<{ doc: string | null }>`
    select json_agg(json_build_array(p.lon, p.lat, s.uplift, a.arm) order by p.property_id)::text as doc
    from property p
    left join property_score s on s.tenant_id = p.tenant_id and s.property_id = p.property_id
    left join assignment a on a.tenant_id = p.tenant_id and a.property_id = p.property_id
    where p.storm_id = ${stormId} and p.lat is not null and p.lon is not null`.execute(trx);
  const tuples = JSON.parse(r.rows[0]?.doc ?? '[]') as [number, number, number | null, string | null][];
  return tuples.map(([lon, lat, uplift, arm]) => ({ lon, lat, uplift, arm }));
}

export async function propertyCount(trx: Trx, stormId: string): Promise<number> {
  const r = await trx
    .selectFrom('property')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('storm_id', '=', stormId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function hailReports(trx: Trx, stormId: string) {
  return trx
    .selectFrom('storm_report')
    .select(['lat', 'lon', 'magnitude', 'occurred_at', 'location'])
    .where('storm_id', '=', stormId)
    .where('kind', '=', 'hail')
    .orderBy('occurred_at')
    .execute();
}
