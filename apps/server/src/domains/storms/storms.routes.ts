/** HTTP adapter for storms: validate, call one service function, map the result. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import * as service from './storms.service.ts';
import { STORM_STATUSES, stormFields, stormId } from './storms.schema.ts';
import { text, queryInt4 } from '../fields.ts';

const params = z.object({ storm_id: stormId });
const tags = ['storms'];
const optionalTenant = stormFields.tenantId.optional().describe('operator only: the tenant to act in');

export function registerStormRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/storms',
    {
      config: { permission: 'storms:write' },
      schema: {
        tags,
        summary: 'Create a storm (event id unique per tenant); it starts in planning',
        body: z.object({
          tenant_id: optionalTenant,
          event_id: stormFields.eventId,
          name: stormFields.name,
          starts_at: stormFields.date.optional(),
          ends_at: stormFields.date.optional(),
          region: stormFields.region.optional(),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const storm = await service.createStorm(contextOf(request, db), {
        ...(b.tenant_id ? { tenantId: b.tenant_id } : {}),
        eventId: b.event_id,
        name: b.name,
        ...(b.starts_at ? { startsAt: b.starts_at } : {}),
        ...(b.ends_at ? { endsAt: b.ends_at } : {}),
        ...(b.region ? { region: b.region } : {}),
      });
      return reply.status(201).send(storm);
    },
  );

  app.get(
    '/storms',
    {
      config: { permission: 'storms:read' },
      schema: {
        tags,
        summary: 'List storms, newest first',
        querystring: z.object({
          tenant_id: optionalTenant,
          status: z.enum(STORM_STATUSES).optional(),
          limit: queryInt4().min(1).max(1000).optional(),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const storms = await service.listStorms(contextOf(request, db), {
        ...(q.tenant_id ? { tenantId: q.tenant_id } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      return { storms };
    },
  );

  app.get(
    '/storms/:storm_id',
    {
      config: { permission: 'storms:read' },
      schema: { tags, summary: 'Show a storm with its status history', params },
    },
    async (request) => service.getStorm(contextOf(request, db), request.params.storm_id),
  );

  app.post(
    '/storms/:storm_id/status',
    {
      config: { permission: 'storms:write' },
      schema: {
        tags,
        summary: 'Move a storm: planning -> active -> closed, or cancelled; other moves are refused with the reason',
        params,
        body: z.object({ status: z.enum(STORM_STATUSES), reason: text().max(500).optional() }),
      },
    },
    async (request) =>
      service.setStormStatus(contextOf(request, db), request.params.storm_id, {
        status: request.body.status,
        ...(request.body.reason ? { reason: request.body.reason } : {}),
      }),
  );
}
