/** HTTP adapter for the operator's KPI export: per-tenant activity counts (Customer Success and the operator). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { exportKpis } from './ops.service.ts';
import { queryInt4 } from '../fields.ts';

export function registerOpsRoutes(root: FastifyInstance, db: Database): void {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/ops/kpis',
    {
      config: { permission: 'billing:read' },
      schema: {
        tags: ['ops'],
        summary:
          'Usage of every tenant over the last days (tier, status, storms, properties, knocks, outcomes): counts, never the data',
        querystring: z
          .object({
            days: queryInt4().min(1).max(3650).default(30),
            anonymize: z.enum(['true', 'false']).default('false'),
          })
          .strict(),
      },
    },
    async (request) =>
      exportKpis(contextOf(request, db), {
        days: request.query.days,
        anonymize: request.query.anonymize === 'true',
      }),
  );
}
