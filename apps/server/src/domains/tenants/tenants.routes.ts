/** HTTP adapter for tenants: validate, call one service function, map the result. */
import { replies } from '../../http/responses.ts';
import { credentialList, credentialRevoked, issuedCredential } from './credentials.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import * as service from './tenants.service.ts';
import { listTenantsInput, provisionInput, tenantId, updateTenantInput } from './tenants.schema.ts';
import { credentialInput, revokeCredentialInput } from './credentials.schema.ts';

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
        body: provisionInput,
      },
    },
    async (request, reply) => {
      const result = await service.provisionTenant(contextOf(request, db), request.body);
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
        querystring: listTenantsInput,
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
        body: updateTenantInput,
      },
    },
    async (request) => service.updateTenant(contextOf(request, db), request.params.tenant_id, request.body),
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
        body: credentialInput.omit({ tenant_id: true }),
        response: replies({ 201: issuedCredential }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await service.createCredential(contextOf(request, db), {
          ...request.body,
          tenant_id: request.params.tenant_id,
        }),
      ),
  );

  app.get(
    '/tenants/:tenant_id/credentials',
    {
      config: { permission: 'credentials:admin' },
      schema: {
        tags,
        summary: "The tenant's credentials with status and last use (never the tokens)",
        params,
        response: replies({ 200: credentialList }),
      },
    },
    async (request) => ({
      credentials: await service.listCredentials(contextOf(request, db), request.params),
    }),
  );

  app.delete(
    '/tenants/:tenant_id/credentials/:token_id',
    {
      config: { permission: 'credentials:admin' },
      schema: {
        tags,
        summary: 'Revoke a credential: it answers 401 from then on (repeating is harmless)',
        params: revokeCredentialInput,
        response: replies({ 200: credentialRevoked }),
      },
    },
    async (request) => service.revokeCredential(contextOf(request, db), request.params),
  );
}
