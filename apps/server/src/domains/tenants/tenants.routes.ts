/** HTTP adapter for tenants: validate, call one service function, map the result. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { USER_ROLES } from '../auth/principal.ts';
import * as service from './tenants.service.ts';
import { FEATURES, email, orgName, tenantId, tier } from './tenants.schema.ts';

const params = z.object({ tenant_id: tenantId });
const tags = ['tenants'];

export function registerTenantRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/tenants',
    {
      schema: {
        tags,
        summary: 'Provision a tenant (operator). Idempotent per organisation: a repeat returns the same tenant.',
        body: z.object({ org_name: orgName, tier, admin_email: email }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const result = await service.provisionTenant(contextOf(request, db), {
        orgName: b.org_name,
        tier: b.tier,
        adminEmail: b.admin_email,
      });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/tenants',
    {
      schema: {
        tags,
        summary: 'List tenants (operator)',
        querystring: z.object({ status: z.enum(['active', 'suspended']).optional() }),
      },
    },
    async (request) => ({ tenants: await service.listTenants(contextOf(request, db), request.query) }),
  );

  app.get(
    '/tenants/:tenant_id',
    { schema: { tags, summary: 'Show a tenant (operator, or the tenant itself)', params } },
    async (request) => service.getTenant(contextOf(request, db), request.params.tenant_id),
  );

  app.patch(
    '/tenants/:tenant_id',
    {
      schema: {
        tags,
        summary: 'Change tier, feature flags (null returns a flag to its tier default) or status (operator)',
        params,
        body: z
          .object({
            tier: tier.optional(),
            feature_flags: z.partialRecord(z.enum(FEATURES), z.boolean().nullable()).optional(),
            status: z.enum(['active', 'suspended']).optional(),
          })
          .strict(),
      },
    },
    async (request) => {
      const { tier: newTier, feature_flags, status } = request.body;
      return service.updateTenant(contextOf(request, db), request.params.tenant_id, {
        ...(newTier ? { tier: newTier } : {}),
        ...(feature_flags ? { featureFlags: feature_flags } : {}),
        ...(status ? { status } : {}),
      });
    },
  );

  app.post(
    '/tenants/:tenant_id/credentials',
    {
      schema: {
        tags,
        summary: 'Issue a bearer credential for a user of the tenant (operator); the token is shown once',
        params,
        body: z.object({ email, role: z.enum(USER_ROLES), name: z.string().trim().min(1).max(100).optional() }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const result = await service.createCredential(contextOf(request, db), {
        tenantId: request.params.tenant_id,
        email: b.email,
        role: b.role,
        ...(b.name ? { name: b.name } : {}),
      });
      return reply.status(201).send(result);
    },
  );
}
