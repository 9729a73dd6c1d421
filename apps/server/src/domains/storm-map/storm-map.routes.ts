/** `GET /v1/storms/{storm_id}/map` (counts, hail reports) and `/map/points` (the points, binary): the storm page's map. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { replies } from '../../http/responses.ts';
import { stormMapView } from './storm-map.responses.ts';
import { stormMapParams } from './storm-map.schema.ts';
import { getStormMap, getStormMapPoints } from './storm-map.service.ts';

export function registerStormMapRoutes(v1: FastifyInstance, db: Database): void {
  const app = v1.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/storms/:storm_id/map',
    {
      config: { permission: 'properties:read' },
      schema: {
        tags: ['properties'],
        summary: "The storm map's counts (properties, located, scored, treat, hold) and hail reports",
        params: stormMapParams,
        response: replies({ 200: stormMapView }),
      },
    },
    async (request) => getStormMap(contextOf(request, db), request.params.storm_id),
  );
  app.get(
    '/storms/:storm_id/map/points',
    {
      config: { permission: 'properties:read' },
      schema: {
        tags: ['properties'],
        summary: "The storm's located properties as binary columns (application/octet-stream)",
        description: [
          'Little-endian, columnar; n = located properties. Header (16 bytes): bytes 0-3 the ASCII magic `SMP1`;',
          'Uint32 n at 4; Float32 uplift scale S at 8 (10000); Int16 not-scored code at 12 (-32768), 2 zero bytes.',
          'Then Float32 longitude x n at 16, Float32 latitude x n at 16+4n, Int16 uplift x n at 16+8n',
          '(round(uplift x S), clamped to +-32767, or the not-scored code), Uint8 arm x n at 16+10n',
          '(0 none, 1 treat, 2 hold). 16 + 11n bytes; each column is aligned for a typed array view. See docs/web.md.',
        ].join(' '),
        params: stormMapParams,
      },
    },
    async (request, reply) => {
      const body = await getStormMapPoints(contextOf(request, db), request.params.storm_id);
      return reply.type('application/octet-stream').header('cache-control', 'no-store').send(body);
    },
  );
}
