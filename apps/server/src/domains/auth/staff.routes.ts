/** HTTP adapter for platform staff credentials (operator only). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import * as service from './staff.service.ts';
import { revokeStaffCredentialInput, staffCredentialInput } from './staff.schema.ts';

const tags = ['staff'];

export function registerStaffRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/staff/credentials',
    {
      config: { permission: 'platform:admin' },
      schema: {
        tags,
        summary: 'Issue a staff credential (customer_success_manager or support); the token is shown once',
        body: staffCredentialInput,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createStaffCredential(contextOf(request, db), request.body)),
  );
  app.get(
    '/staff/credentials',
    {
      config: { permission: 'platform:admin' },
      schema: { tags, summary: 'Staff credentials with status and last use' },
    },
    async (request) => ({ credentials: await service.listStaffCredentials(contextOf(request, db)) }),
  );
  app.delete(
    '/staff/credentials/:token_id',
    {
      config: { permission: 'platform:admin' },
      schema: { tags, summary: 'Revoke a staff credential', params: revokeStaffCredentialInput },
    },
    async (request) => service.revokeStaffCredential(contextOf(request, db), request.params),
  );
}
