/** SQL for the storm map: every property's point with its uplift and arm, and the storm's hail reports. */
import type { Trx } from '../../db/database.ts';

export interface MapPointRow {
  lon: number;
  lat: number;
  uplift: number | null;
  arm: string | null;
}

/** Located properties only; one row each (a property has at most one score and one assignment). */
export async function mapPoints(trx: Trx, stormId: string): Promise<MapPointRow[]> {
  const rows = await trx
    .selectFrom('property as p')
    .leftJoin('property_score as s', (j) =>
      j.onRef('s.tenant_id', '=', 'p.tenant_id').onRef('s.property_id', '=', 'p.property_id'),
    )
    .leftJoin('assignment as a', (j) =>
      j.onRef('a.tenant_id', '=', 'p.tenant_id').onRef('a.property_id', '=', 'p.property_id'),
    )
    .select(['p.lon', 'p.lat', 's.uplift', 'a.arm'])
    .where('p.storm_id', '=', stormId)
    .where('p.lat', 'is not', null)
    .where('p.lon', 'is not', null)
    .orderBy('p.property_id')
    .execute();
  return rows as MapPointRow[];
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
