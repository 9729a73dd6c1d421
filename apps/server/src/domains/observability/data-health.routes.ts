/** HTTP adapter for a storm's data health. */
import { replies } from '../../http/responses.ts';
import { healthDashboard } from './data-health.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import * as service from './data-health.service.ts';
import { bandTenantQuery, healthHistoryInput, upliftBandInput } from './data-health.schema.ts';

const tags = ['data health'];
const params = z.object({ storm_id: stormId });

export function registerHealthRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/storms/:storm_id/health',
    {
      config: { permission: 'health:read' },
      schema: {
        tags,
        summary: 'Health status and issues of a storm’s data',
        params,
        response: replies({ 200: healthDashboard }),
      },
    },
    async (request) => service.getHealthDashboard(contextOf(request, db), request.params.storm_id),
  );
  app.get(
    '/storms/:storm_id/health/conversion-rates',
    {
      config: { permission: 'health:read' },
      schema: { tags, summary: 'Treat vs hold conversion, lift, anomaly', params },
    },
    async (request) => service.checkConversionRates(contextOf(request, db), request.params.storm_id),
  );
  app.get(
    '/storms/:storm_id/health/uplift-distribution',
    {
      config: { permission: 'health:read' },
      schema: { tags, summary: 'Predicted uplift drift (PSI, KS / Wasserstein, mean band)', params },
    },
    async (request) => service.checkUpliftDistribution(contextOf(request, db), request.params.storm_id),
  );
  app.get(
    '/health/uplift-band',
    {
      config: { permission: 'health:read' },
      schema: {
        tags,
        summary: "The tenant's band for mean predicted uplift (default: the playbook's 0.10 to 0.30)",
        querystring: bandTenantQuery,
      },
    },
    async (request) => service.getUpliftBand(contextOf(request, db), request.query.tenant_id),
  );
  app.put(
    '/health/uplift-band',
    {
      config: { permission: 'health:write' },
      schema: {
        tags,
        summary:
          "Set the tenant's band for mean predicted uplift: outside it the drift check raises an issue and an alert",
        querystring: bandTenantQuery,
        body: upliftBandInput,
      },
    },
    async (request) => service.setUpliftBand(contextOf(request, db), request.body, request.query.tenant_id),
  );
  app.get(
    '/storms/:storm_id/health/history',
    {
      config: { permission: 'health:read' },
      schema: {
        tags,
        summary: 'Earlier check results, newest first',
        params,
        querystring: healthHistoryInput,
      },
    },
    async (request) => ({
      checks: await service.getHealthHistory(contextOf(request, db), request.params.storm_id, request.query),
    }),
  );
}
