/** HTTP adapter for tenants: validate, call one service function, map the result. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { USER_ROLES } from '../auth/principal.ts';
import { ACTIONS } from '../auth/permissions.ts';
import { MAX_EXPIRY_DAYS } from '../auth/tokens.ts';
import * as service from './tenants.service.ts';
import { FEATURES, email, orgName, tenantId, tier } from './tenants.schema.ts';
import { text, int4 } from '../fields.ts';

const params = z.object({ tenant_id: tenantId });
const tags = ['tenants'];

export function registerTenantRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/tenants',
    {
      config: { permission: 'tenant:admin' },
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
      config: { permission: 'tenants:list' },
      schema: {
        tags,
        summary: 'List tenants (the operator and staff)',
        querystring: z.object({ status: z.enum(['active', 'suspended']).optional() }),
      },
    },
    async (request) => ({ tenants: await service.listTenants(contextOf(request, db), request.query) }),
  );

  app.get(
    '/tenants/:tenant_id',
    {
      config: { permission: 'tenant:read' },
      schema: {
        tags,
        summary: 'Show a tenant: tier, flags, status (the operator and staff; a tenant: itself)',
        params,
      },
    },
    async (request) => service.getTenant(contextOf(request, db), request.params.tenant_id),
  );

  app.patch(
    '/tenants/:tenant_id',
    {
      config: { permission: 'tenant:admin' },
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
      config: { permission: 'credentials:admin' },
      schema: {
        tags,
        summary:
          'Issue a bearer credential for a user of the tenant (operator, or its admin); the token is shown once. Scopes: a subset of the role; expiry: 90 days by default',
        params,
        body: z
          .object({
            email,
            role: z.enum(USER_ROLES),
            name: text().trim().min(1).max(100).optional(),
            scopes: z.array(z.enum(ACTIONS)).min(1).max(64).optional(),
            grants: z.array(z.enum(ACTIONS)).max(16).optional(),
            expires_in_days: int4().min(1).max(MAX_EXPIRY_DAYS).optional(),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const result = await service.createCredential(contextOf(request, db), {
        tenantId: request.params.tenant_id,
        email: b.email,
        role: b.role,
        ...(b.name ? { name: b.name } : {}),
        ...(b.scopes ? { scopes: b.scopes } : {}),
        ...(b.grants ? { grants: b.grants } : {}),
        ...(b.expires_in_days ? { expiresInDays: b.expires_in_days } : {}),
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/tenants/:tenant_id/credentials',
    {
      config: { permission: 'credentials:admin' },
      schema: { tags, summary: "The tenant's credentials with status and last use (never the tokens)", params },
    },
    async (request) => ({
      credentials: await service.listCredentials(contextOf(request, db), { tenantId: request.params.tenant_id }),
    }),
  );

  app.delete(
    '/tenants/:tenant_id/credentials/:token_id',
    {
      config: { permission: 'credentials:admin' },
      schema: {
        tags,
        summary: 'Revoke a credential: it answers 401 from then on (repeating is harmless)',
        params: z.object({ tenant_id: tenantId, token_id: z.uuid() }).strict(),
      },
    },
    async (request) =>
      service.revokeCredential(contextOf(request, db), {
        tenantId: request.params.tenant_id,
        tokenId: request.params.token_id,
      }),
  );
}
