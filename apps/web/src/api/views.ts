/**
 * The one response shape still declared by hand: the storm map's (GET /v1/storms/{storm_id}/map declares no response
 * schema yet; its route belongs to the storm-map work). Every other response type is generated: see types.ts.
 */

/** GET /v1/storms/{storm_id}/map: the counts and hail reports beside the map (the points: src/map/points.ts). */
export interface StormMap {
  storm_id: string;
  hail_reports: { lat: number; lon: number; size_in: number | null; occurred_at: string; location: string }[];
  counts: { properties: number; located: number; scored: number; treat: number; hold: number };
}
