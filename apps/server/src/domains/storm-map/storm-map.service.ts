/**
 * The storm map's data (the web app's storm page): every located property as a binary columnar document (lon, lat,
 * uplift, arm: map-points.format.ts), which a browser reads as typed arrays and draws without per-point objects; and
 * a small JSON document with the storm's hail reports and the counts the page shows beside the map.
 */
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { encodePoints } from './map-points.format.ts';
import * as repo from './storm-map.repo.ts';

export interface StormMap {
  storm_id: string;
  hail_reports: { lat: number; lon: number; size_in: number | null; occurred_at: string; location: string }[];
  counts: repo.MapCounts;
}

export async function getStormMap(ctx: ServiceContext, stormId: string): Promise<StormMap> {
  authorize(ctx, 'properties:read');
  return withStorm(ctx, stormId, async (trx, storm) => {
    const counts = await repo.mapCounts(trx, storm.storm_id);
    const reports = await repo.hailReports(trx, storm.storm_id);
    return {
      storm_id: storm.storm_id,
      hail_reports: reports.map((r) => ({
        lat: r.lat,
        lon: r.lon,
        size_in: r.magnitude,
        occurred_at: new Date(r.occurred_at).toISOString(),
        location: r.location,
      })),
      counts,
    };
  });
}

/** The located properties as the binary columnar document (map-points.format.ts). */
export async function getStormMapPoints(ctx: ServiceContext, stormId: string): Promise<Buffer> {
  authorize(ctx, 'properties:read');
  return withStorm(ctx, stormId, async (trx, storm) => encodePoints(await repo.pointColumns(trx, storm.storm_id)));
}
