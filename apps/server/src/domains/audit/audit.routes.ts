/** HTTP adapter for the audit log. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { listAudit } from './audit.service.ts';
import { text, queryInt4 } from '../fields.ts';

export function registerAuditRoutes(root: FastifyInstance, db: Database): void {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary:
          "The audit log, newest first: a tenant's (a tenant admin: its own), or the platform's when the operator names none",
        querystring: z
          .object({
            tenant_id: z.uuid().optional(),
            since: text().max(40).optional().describe('a date or ISO time'),
            limit: queryInt4().min(1).max(1000).optional(),
          })
          .strict(),
      },
    },
    async (request) => {
      const q = request.query;
      return {
        events: await listAudit(contextOf(request, db), {
          ...(q.tenant_id ? { tenantId: q.tenant_id } : {}),
          ...(q.since ? { since: q.since } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
        }),
      };
    },
  );
}
