/** HTTP adapter for platform staff credentials (operator only). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { ACTIONS } from './permissions.ts';
import * as service from './staff.service.ts';
import { MAX_EXPIRY_DAYS } from './tokens.ts';
import { text, int4 } from '../fields.ts';

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
        body: z
          .object({
            email: z.email(),
            role: z
              .string()
              .min(1)
              .max(64)
              .describe('customer_success_manager (alias CustomerSuccessManager) | support'),
            name: text().trim().min(1).max(100).optional(),
            scopes: z.array(z.enum(ACTIONS)).min(1).max(64).optional(),
            expires_in_days: int4().min(1).max(MAX_EXPIRY_DAYS).optional(),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const result = await service.createStaffCredential(contextOf(request, db), {
        email: b.email,
        role: b.role,
        ...(b.name ? { name: b.name } : {}),
        ...(b.scopes ? { scopes: b.scopes } : {}),
        ...(b.expires_in_days ? { expiresInDays: b.expires_in_days } : {}),
      });
      return reply.status(201).send(result);
    },
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
      schema: { tags, summary: 'Revoke a staff credential', params: z.object({ token_id: z.uuid() }).strict() },
    },
    async (request) => service.revokeStaffCredential(contextOf(request, db), { tokenId: request.params.token_id }),
  );
}
