/**
 * Authentication and the central permission check: resolves `Authorization: Bearer <token>`, or else a person's
 * session cookie, to a principal on every /v1 request, then enforces the permission the matched route declares
 * (`config.permission`) through the same `authorize`. A state-changing request that carries only the session cookie
 * must carry the session's CSRF token in `x-csrf-token`. A /v1 route without a permission cannot be registered.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.ts';
import { authorize, type Principal, type ServiceContext } from '../domains/auth/principal.ts';
import { PERMISSIONS, PUBLIC, isAction, type RoutePermission } from '../domains/auth/permissions.ts';
import { authenticate } from '../domains/auth/tokens.ts';
import { CSRF_HEADER, SESSION_COOKIE, authenticateSession, csrfMatches } from '../domains/users/sessions.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** The action of the permission table this route needs (docs/access-control.md). */
    permission?: RoutePermission;
  }
}

export function installAuth(app: FastifyInstance, db: Database, platformToken: string | undefined): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    const permission = (route.config as { permission?: string } | undefined)?.permission;
    // Every /v1 route declares a permission; a route outside /v1 that declares one (the playbook's /billing/*) is
    // held to it the same way.
    if (!route.url.startsWith('/v1/') && permission === undefined) return;
    if (!permission || (permission !== PUBLIC && !isAction(permission)))
      throw new Error(`${String(route.method)} ${route.url} declares no permission of the table (config.permission)`);
  });
  app.addHook('onRequest', async (request) => {
    // Decided on the matched route, never on the raw URL: `/%76%31/...` routes to a /v1 route and needs its
    // credential. An unmatched URL that is /v1/... once decoded needs one too (a 404 tells a stranger nothing).
    const declared = request.routeOptions.config?.permission;
    if (declared === undefined && !isV1Path(request.url)) return;
    if (declared === PUBLIC) return;
    request.principal = await principalOf(request, db, platformToken);
    const p = request.principal;
    request.log = request.log.child(
      p.kind === 'tenant'
        ? { tenant_id: p.tenantId, user_id: p.userId }
        : p.kind === 'staff'
          ? { staff_id: p.staffId }
          : { principal: 'platform' },
    );
    // No matched route: the 404 handler answers. Otherwise the route's declared permission, enforced here for all.
    if (request.routeOptions.url !== undefined) {
      if (!declared) throw new AppError('FORBIDDEN', 'this route declares no permission');
      authorize({ principal: p }, declared);
    }
  });
}

/** The raw URL's path, percent-decoded, under /v1/ (for requests no route matched). */
function isV1Path(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path).toLowerCase().startsWith('/v1/');
  } catch {
    return true; // undecodable: treat as ours, so it needs a credential like any /v1 request
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A bearer credential when the request sends one; otherwise a session cookie, CSRF-checked for state changes. */
async function principalOf(request: FastifyRequest, db: Database, platformToken: string | undefined) {
  const header = request.headers.authorization;
  // Cookies are parsed by @fastify/cookie, registered before this hook (app.ts); without it, bearer only.
  const cookies = request.cookies as Record<string, string | undefined> | undefined;
  const session = cookies?.[SESSION_COOKIE];
  if (header === undefined && session) {
    const principal = await authenticateSession(db, session);
    const csrf = request.headers[CSRF_HEADER];
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, typeof csrf === 'string' ? csrf : undefined))
      throw new AppError(
        'CSRF_FAILED',
        `a request signed in by cookie must send the session's CSRF token in ${CSRF_HEADER} (from login or GET /v1/auth/session)`,
      );
    return principal;
  }
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1])
    throw new AppError('UNAUTHENTICATED', 'send a credential as "Authorization: Bearer <token>", or sign in');
  return authenticate(db, platformToken, match[1]);
}

/** The service context of an authenticated request. */
export function contextOf(request: FastifyRequest, db: Database): ServiceContext {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'no credential');
  return { db, principal: request.principal, requestId: request.id };
}

/**
 * The OpenAPI transform: zod schemas to JSON Schema, plus each operation's bearer security and its permission as
 * `x-permission` (with the roles holding it as `x-roles`), read from the route's declared config.
 */
export function withPermission(
  args: Parameters<typeof jsonSchemaTransform>[0] & { route: { config?: unknown } },
): ReturnType<typeof jsonSchemaTransform> {
  const out = jsonSchemaTransform(args);
  const permission = (args.route.config as { permission?: string } | undefined)?.permission;
  const schema = out.schema as Record<string, unknown>;
  if (permission === PUBLIC)
    return { ...out, schema: { ...schema, security: [], 'x-permission': PUBLIC } } as ReturnType<
      typeof jsonSchemaTransform
    >;
  if (!permission || !isAction(permission)) return out;
  return {
    ...out,
    schema: {
      ...schema,
      security: [{ bearer: [] }, { session: [] }],
      'x-permission': permission,
      'x-roles': [...PERMISSIONS[permission].roles],
    },
  } as ReturnType<typeof jsonSchemaTransform>;
}
