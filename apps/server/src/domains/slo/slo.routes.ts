/** HTTP adapter for the SLO monitor: dashboard, active alerts, definitions, one evaluation pass (operator only). */
import { replies } from '../../http/responses.ts';
import { alertList, sloDashboard } from './slo.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import * as service from './slo.service.ts';
import { text, queryInt4 } from '../fields.ts';

const tags = ['slo'];

export function registerSloRoutes(root: FastifyInstance, db: Database, deps: service.SloDeps = {}): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/slo/status',
    {
      config: { permission: 'platform:health' },
      schema: {
        tags,
        summary: 'SLO dashboard: per SLO status, SLI over the last hours, error budget left, burn rates, breaches',
        querystring: z.object({ hours: queryInt4().min(1).max(2160).default(24) }),
        response: replies({ 200: sloDashboard }),
      },
    },
    async (request) => service.getSloDashboard(contextOf(request, db), { hours: request.query.hours }, deps),
  );

  app.get(
    '/slo/alerts',
    {
      config: { permission: 'platform:health' },
      schema: {
        tags,
        summary: 'Open alert incidents (page or ticket) of every source, oldest first',
        querystring: z.object({ source: text().max(50).optional() }),
        response: replies({ 200: alertList }),
      },
    },
    async (request) => ({
      alerts: await service.getActiveAlerts(
        contextOf(request, db),
        request.query.source ? { source: request.query.source } : {},
      ),
    }),
  );

  app.get(
    '/slo/definitions',
    { config: { permission: 'platform:health' }, schema: { tags, summary: 'The SLOs in force (slos.json)' } },
    async (request) => ({
      slos: await service.listSlos(contextOf(request, db), deps),
    }),
  );

  app.post(
    '/slo/evaluate',
    {
      config: { permission: 'platform:admin' },
      schema: { tags, summary: 'Run one evaluation pass now: open/resolve incidents, deliver alerts' },
    },
    async (request) => service.evaluateSlos(contextOf(request, db), deps),
  );
}
