/** HTTP adapter for a tenant's users (users:admin): invite, list, change role, remove, send a password reset. */
import { replies } from '../../http/responses.ts';
import { invitation, resetSent, roleChanged, userList, userRemoved } from './users.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { depsFor, type SignInOptions } from './sign-in.routes.ts';
import * as service from './users.service.ts';
import { inviteInput, setRoleInput, tenantQuery, userId } from './users.schema.ts';

const tags = ['users'];
const params = z.object({ user_id: userId });

export function registerUserRoutes(root: FastifyInstance, db: Database, opts?: SignInOptions): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/users',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary: "The tenant's users and open invitations",
        querystring: tenantQuery,
        response: replies({ 200: userList }),
      },
    },
    async (request) => service.listUsers(contextOf(request, db), request.query),
  );

  app.post(
    '/users/invitations',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary:
          'Invite a person with a role: a one-time link by e-mail (SMTP_URL), or in this answer for the admin to pass on',
        querystring: tenantQuery,
        body: inviteInput.pick({ email: true, role: true }),
        response: replies({ 201: invitation }),
      },
    },
    async (request, reply) => {
      const r = await service.inviteUser(
        contextOf(request, db),
        { ...request.query, ...request.body },
        depsFor(request, opts),
      );
      return reply.status(201).send(r);
    },
  );

  app.patch(
    '/users/:user_id',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary: "Change a user's role (not the last admin's); their credentials of another role are revoked",
        params,
        querystring: tenantQuery,
        body: setRoleInput.pick({ role: true }),
        response: replies({ 200: roleChanged }),
      },
    },
    async (request) =>
      service.setUserRole(contextOf(request, db), { ...request.query, ...request.params, ...request.body }),
  );

  app.delete(
    '/users/:user_id',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary: 'Remove a user (not the last admin) with their sessions and credentials',
        params,
        querystring: tenantQuery,
        response: replies({ 200: userRemoved }),
      },
    },
    async (request) => service.removeUser(contextOf(request, db), { ...request.query, ...request.params }),
  );

  app.post(
    '/users/:user_id/password-reset',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary: 'Send a user a one-time password reset link (e-mailed, or in this answer without SMTP)',
        params,
        querystring: tenantQuery,
        response: replies({ 201: resetSent }),
      },
    },
    async (request, reply) => {
      const r = await service.sendPasswordReset(
        contextOf(request, db),
        { ...request.query, ...request.params },
        depsFor(request, opts),
      );
      return reply.status(201).send(r);
    },
  );
}
