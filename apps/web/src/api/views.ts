/**
 * The one response shape still declared by hand: the storm map's (GET /v1/storms/{storm_id}/map declares no response
 * schema yet; its route belongs to the storm-map work). Every other response type is generated: see types.ts.
 */

/** GET /v1/storms/{storm_id}/map: columnar, so 100,000 properties stay one small JSON document. */
export interface StormMap {
  storm_id: string;
  properties: {
    count: number;
    lon: number[];
    lat: number[];
    /** Predicted uplift (probability points, e.g. 0.02), null when not scored. */
    uplift: (number | null)[];
    /** 't' treat, 'h' hold, null unassigned. */
    arm: ('t' | 'h' | null)[];
  };
  hail_reports: { lat: number; lon: number; size_in: number | null; occurred_at: string; location: string }[];
  counts: { properties: number; located: number; scored: number; treat: number; hold: number };
}
