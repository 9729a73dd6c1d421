/** HTTP adapter for the audit log. */
import { replies } from '../../http/responses.ts';
import { auditList } from './audit.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { listAudit } from './audit.service.ts';
import { listAuditInput } from './audit.schema.ts';

export function registerAuditRoutes(root: FastifyInstance, db: Database): void {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary:
          "The audit log, newest first: a tenant's (a tenant admin: its own), or the platform's when the operator names none",
        querystring: listAuditInput,
        response: replies({ 200: auditList }),
      },
    },
    async (request) => ({ events: await listAudit(contextOf(request, db), request.query) }),
  );
}
