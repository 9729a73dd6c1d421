/** Response schema of the storm map's JSON route (storm-map.routes.ts); the points route answers binary columns. */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';

export const stormMapView = z
  .strictObject({
    storm_id: z.uuid(),
    hail_reports: z.array(
      z.strictObject({
        lat: z.number(),
        lon: z.number(),
        size_in: z.number().nullable(),
        occurred_at: isoTime,
        location: z.string(),
      }),
    ),
    counts: z.strictObject({
      properties: z.number(),
      located: z.number(),
      scored: z.number(),
      treat: z.number(),
      hold: z.number(),
    }),
  })
  .meta({ id: 'StormMap' });
