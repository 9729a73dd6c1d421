/**
 * The storm map's data (the web app's storm page): each located property as columns (lon, lat, uplift, arm), so
 * 100,000 points travel as one compact document and draw on a canvas without per-point objects; the storm's hail
 * reports; and the counts the page shows beside the map.
 */
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import * as repo from './storm-map.repo.ts';

export interface StormMap {
  storm_id: string;
  properties: { count: number; lon: number[]; lat: number[]; uplift: (number | null)[]; arm: ('t' | 'h' | null)[] };
  hail_reports: { lat: number; lon: number; size_in: number | null; occurred_at: string; location: string }[];
  counts: { properties: number; located: number; scored: number; treat: number; hold: number };
}

const ARM_CODE: Record<string, 't' | 'h'> = { treat: 't', hold: 'h' };
/** Six decimals of a degree is about 10 cm: enough for a door, and shorter JSON. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export async function getStormMap(ctx: ServiceContext, stormId: string): Promise<StormMap> {
  authorize(ctx, 'properties:read');
  return withStorm(ctx, stormId, async (trx, storm) => {
    const [points, total, reports] = [
      await repo.mapPoints(trx, storm.storm_id),
      await repo.propertyCount(trx, storm.storm_id),
      await repo.hailReports(trx, storm.storm_id),
    ];
    const n = points.length;
    const lon = new Array<number>(n);
    const lat = new Array<number>(n);
    const uplift = new Array<number | null>(n);
    const arm = new Array<'t' | 'h' | null>(n);
    let scored = 0;
    let treat = 0;
    let hold = 0;
    for (let i = 0; i < n; i++) {
      const p = points[i] as repo.MapPointRow;
      lon[i] = round6(p.lon);
      lat[i] = round6(p.lat);
      uplift[i] = p.uplift === null ? null : Math.round(p.uplift * 1e5) / 1e5;
      const a = p.arm === null ? null : (ARM_CODE[p.arm] ?? null);
      arm[i] = a;
      if (p.uplift !== null) scored++;
      if (a === 't') treat++;
      else if (a === 'h') hold++;
    }
    return {
      storm_id: storm.storm_id,
      properties: { count: n, lon, lat, uplift, arm },
      hail_reports: reports.map((r) => ({
        lat: r.lat,
        lon: r.lon,
        size_in: r.magnitude,
        occurred_at: new Date(r.occurred_at).toISOString(),
        location: r.location,
      })),
      counts: { properties: total, located: n, scored, treat, hold },
    };
  });
}
