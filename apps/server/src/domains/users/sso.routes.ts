/**
 * HTTP adapter for single sign-on: the admin's provider settings (users:admin), and the browser's round trip
 * (public): start redirects to the provider with the state in a short-lived cookie; the callback (whose query the
 * provider shapes, so it is read as given, not strictly) verifies, sets the session cookie and redirects back.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { publicUrlOf, setSessionCookie, type SignInOptions } from './sign-in.routes.ts';
import * as service from './sso.service.ts';
import { ssoConfigInput, ssoStartInput, tenantQuery } from './users.schema.ts';

const tags = ['sign-in'];
const SSO_COOKIE = 'stormops_sso';

export function registerSsoRoutes(root: FastifyInstance, db: Database, opts?: SignInOptions): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/auth/sso/config',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary: "The tenant's single sign-on settings (never the client secret) and the redirect URI to register",
        querystring: tenantQuery,
      },
    },
    async (request) => service.getSsoConfig(contextOf(request, db), request.query, publicUrlOf(request, opts)),
  );

  app.put(
    '/auth/sso/config',
    {
      config: { permission: 'users:admin' },
      schema: {
        tags,
        summary:
          'Set the OpenID provider (issuer, client id and secret) and the role new people get (needs the sso flag; audited)',
        querystring: tenantQuery,
        body: ssoConfigInput.omit({ tenant_id: true }),
      },
    },
    async (request) =>
      service.setSsoConfig(contextOf(request, db), { ...request.query, ...request.body }, publicUrlOf(request, opts)),
  );

  app.get(
    '/auth/sso/start',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          'Start single sign-on for a tenant: redirects (302) to its OpenID provider (403 FEATURE_DISABLED without sso)',
        querystring: ssoStartInput,
      },
    },
    async (request, reply) => {
      const r = await service.startSso(db, request.query, publicUrlOf(request, opts));
      reply.setCookie(SSO_COOKIE, r.state, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts?.secureCookies === true,
        path: '/v1/auth/sso',
        maxAge: 600,
      });
      return reply.redirect(r.url, 302);
    },
  );

  app.get(
    '/auth/sso/callback',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          "Where the OpenID provider sends the browser back (code, state and the provider's own parameters): sets the session cookie, redirects to return_to",
      },
    },
    async (request, reply) => {
      const r = await service.finishSso(db, {
        query: (request.query ?? {}) as Record<string, unknown>,
        cookieState: request.cookies[SSO_COOKIE],
        publicUrl: publicUrlOf(request, opts),
        requestId: request.id,
      });
      reply.clearCookie(SSO_COOKIE, { path: '/v1/auth/sso' });
      setSessionCookie(reply, r.session, opts);
      return reply.redirect(r.return_to, 302);
    },
  );
}
