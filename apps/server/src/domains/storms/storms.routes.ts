/** HTTP adapter for storms: each route validates with its operation's schema and hands the value to the service. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import * as service from './storms.service.ts';
import { replies } from '../../http/responses.ts';
import { stormDetail, stormList, stormView } from './storms.responses.ts';
import { createStormInput, listStormsInput, statusChangeInput, stormId } from './storms.schema.ts';

const params = z.object({ storm_id: stormId });
const tags = ['storms'];

export function registerStormRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/storms',
    {
      config: { permission: 'storms:write' },
      schema: {
        tags,
        summary: 'Create a storm (event id unique per tenant); it starts in planning',
        body: createStormInput,
        response: replies({ 201: stormView }),
      },
    },
    async (request, reply) => reply.status(201).send(await service.createStorm(contextOf(request, db), request.body)),
  );

  app.get(
    '/storms',
    {
      config: { permission: 'storms:read' },
      schema: {
        tags,
        summary: 'List storms, newest first',
        querystring: listStormsInput,
        response: replies({ 200: stormList }),
      },
    },
    async (request) => ({ storms: await service.listStorms(contextOf(request, db), request.query) }),
  );

  app.get(
    '/storms/:storm_id',
    {
      config: { permission: 'storms:read' },
      schema: {
        tags,
        summary: 'Show a storm with its status history',
        params,
        response: replies({ 200: stormDetail }),
      },
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
        body: statusChangeInput,
        response: replies({ 200: stormView }),
      },
    },
    async (request) => service.setStormStatus(contextOf(request, db), request.params.storm_id, request.body),
  );
}
