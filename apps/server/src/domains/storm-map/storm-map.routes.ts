/** `GET /v1/storms/{storm_id}/map`: the storm page's map data. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormMapParams } from './storm-map.schema.ts';
import { getStormMap } from './storm-map.service.ts';

export function registerStormMapRoutes(v1: FastifyInstance, db: Database): void {
  v1.withTypeProvider<ZodTypeProvider>().get(
    '/storms/:storm_id/map',
    {
      config: { permission: 'properties:read' },
      schema: {
        tags: ['properties'],
        summary:
          "The storm's map: located properties as columns (lon, lat, uplift, arm t/h), hail reports, treat/hold counts",
        params: stormMapParams,
      },
    },
    async (request) => getStormMap(contextOf(request, db), request.params.storm_id),
  );
}
