/** Bearer authentication: resolves `Authorization: Bearer <token>` to a principal on every /v1 request. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import type { Principal, ServiceContext } from '../domains/auth/principal.ts';
import { authenticate } from '../domains/auth/tokens.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export function installAuth(app: FastifyInstance, db: Database, platformToken: string | undefined): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/')) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'send a credential as "Authorization: Bearer <token>"');
    request.principal = await authenticate(db, platformToken, match[1]);
    const p = request.principal;
    request.log = request.log.child(
      p.kind === 'tenant' ? { tenant_id: p.tenantId, user_id: p.userId } : { principal: 'platform' },
    );
  });
}

/** The service context of an authenticated request. */
export function contextOf(request: FastifyRequest, db: Database): ServiceContext {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'no credential');
  return { db, principal: request.principal };
}
