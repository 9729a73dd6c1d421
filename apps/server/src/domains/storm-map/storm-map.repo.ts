/** SQL for the storm map: every located property's point with its uplift and arm, the counts, the hail reports. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import { NULL_UPLIFT, UPLIFT_SCALE } from './map-points.format.ts';

/** The four columns as the database's big-endian bytes (`float4send`, `int2send`), one value per located property. */
export interface PointColumnsBE {
  count: number;
  lon: Uint8Array;
  lat: Uint8Array;
  uplift: Uint8Array;
  arm: Uint8Array;
}

const joined = sql`from property p
    left join property_score s on s.tenant_id = p.tenant_id and s.property_id = p.property_id
    left join assignment a on a.tenant_id = p.tenant_id and a.property_id = p.property_id`;

/**
 * Located properties only, in property order; a property has at most one score and one assignment. The columns leave
 * the database as four byte strings in ONE row (a binary aggregate), not 100,000 rows: on the embedded database each
 * result row costs a trip out of WebAssembly, and building and parsing JSON was most of a 100,000-point map's time.
 * Uplift is stored as round(uplift x UPLIFT_SCALE) clamped to an Int16, NULL_UPLIFT when not scored; arm 1 treat,
 * 2 hold, 0 none.
 */
export async function pointColumns(trx: Trx, stormId: string): Promise<PointColumnsBE> {
  const order = sql`order by p.property_id`;
  const r = await sql<{
    n: number;
    lon: Uint8Array | null;
    lat: Uint8Array | null;
    up: Uint8Array | null;
    arm: Uint8Array | null;
  }>`
    select count(*)::int as n,
      string_agg(float4send(p.lon::float4), ''::bytea ${order}) as lon,
      string_agg(float4send(p.lat::float4), ''::bytea ${order}) as lat,
      string_agg(int2send(case when s.uplift is null then (${sql.lit(NULL_UPLIFT)})::int2
        else greatest(-32767, least(32767, round(s.uplift * ${sql.lit(UPLIFT_SCALE)})))::int2 end), ''::bytea ${order}) as up,
      string_agg(case a.arm when 'treat' then '\\x01'::bytea when 'hold' then '\\x02'::bytea else '\\x00'::bytea end,
        ''::bytea ${order}) as arm
    ${joined}
    where p.storm_id = ${stormId} and p.lat is not null and p.lon is not null`.execute(trx);
  const row = r.rows[0];
  const empty = new Uint8Array(0);
  return {
    count: Number(row?.n ?? 0),
    lon: row?.lon ?? empty,
    lat: row?.lat ?? empty,
    uplift: row?.up ?? empty,
    arm: row?.arm ?? empty,
  };
}

export interface MapCounts {
  properties: number;
  located: number;
  scored: number;
  treat: number;
  hold: number;
}

/**
 * The counts beside the map: the storm's properties, the located ones, and the scored, treat and hold ones (located
 * or not), each from its own table's storm index: no join of 100,000 rows (it cost as much as the points on PGlite).
 */
export async function mapCounts(trx: Trx, stormId: string): Promise<MapCounts> {
  const r = await sql<Record<keyof MapCounts, number>>`
    select
      (select count(*) from property where storm_id = ${stormId})::int as properties,
      (select count(*) from property where storm_id = ${stormId} and lat is not null and lon is not null)::int
        as located,
      (select count(*) from property_score where storm_id = ${stormId})::int as scored,
      (select count(*) from assignment where storm_id = ${stormId} and arm = 'treat')::int as treat,
      (select count(*) from assignment where storm_id = ${stormId} and arm = 'hold')::int as hold`.execute(trx);
  const c = r.rows[0];
  return {
    properties: Number(c?.properties ?? 0),
    located: Number(c?.located ?? 0),
    scored: Number(c?.scored ?? 0),
    treat: Number(c?.treat ?? 0),
    hold: Number(c?.hold ?? 0),
  };
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
