/**
 * Browser sessions for people. The cookie holds `ses_<tenant hex>_<secret>` (httpOnly, SameSite=Lax); only its hash
 * is stored. A session's principal is a tenant principal like a credential's, with the user's CURRENT role (read on
 * every request), and goes through the same `authorize`. State-changing requests carrying only the cookie need the
 * session's CSRF token in `x-csrf-token`: an HMAC of the cookie that a page of another site can neither read nor
 * compute (synchronizer token, nothing extra stored).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database, Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { TENANT_ROLES } from '../auth/permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { effectiveFlags } from '../tenants/tenant-flags.ts';
import type { Feature, Tier } from '../tenants/tenants.schema.ts';
import { hashSecret, newSecret, tenantOfSecret } from './one-time-tokens.ts';
import * as repo from './sessions.repo.ts';

export const SESSION_COOKIE = 'stormops_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends this long after sign-in, used or not (sign in again). */
export const SESSION_HOURS = 12;

export type SignInMethod = 'password' | 'invitation' | 'reset' | 'sso';

export interface NewSession {
  /** The cookie value: set by the HTTP layer, never shown in a body. */
  token: string;
  session_id: string;
  csrf_token: string;
  expires_at: string;
}

export function csrfFor(sessionToken: string): string {
  return createHmac('sha256', 'stormops-csrf-v1').update(sessionToken).digest('base64url');
}

export function csrfMatches(sessionToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(csrfFor(sessionToken));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function createSession(
  trx: Trx,
  tenantId: string,
  userId: string,
  method: SignInMethod,
  now = new Date(),
): Promise<NewSession> {
  const token = newSecret('ses', tenantId);
  const expires = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  const sessionId = await repo.insertSession(trx, {
    tenant_id: tenantId,
    user_id: userId,
    token_hash: hashSecret(token),
    method,
    expires_at: expires,
  });
  return { token, session_id: sessionId, csrf_token: csrfFor(token), expires_at: expires.toISOString() };
}

const UNKNOWN = 'the session is unknown, signed out or expired: sign in again';

/**
 * The principal of a session cookie, or UNAUTHENTICATED (forged, expired, signed out, user removed) or
 * TENANT_SUSPENDED. People signing in need no `api_access`: that flag gates API keys only.
 */
export async function authenticateSession(db: Database, token: string): Promise<Principal> {
  const tenantId = tenantOfSecret('ses', token);
  if (!tenantId) throw new AppError('UNAUTHENTICATED', UNKNOWN);
  const found = await db.withTenant(tenantId, (trx) => repo.liveSession(trx, hashSecret(token), new Date()));
  if (!found) throw new AppError('UNAUTHENTICATED', UNKNOWN);
  if (found.tenant.status !== 'active') throw new AppError('TENANT_SUSPENDED', `tenant ${tenantId} is suspended`);
  const role = TENANT_ROLES.find((r) => r === found.role);
  if (!role) throw new AppError('UNAUTHENTICATED', 'the user has an unknown role');
  return {
    kind: 'tenant',
    tenantId,
    userId: found.user_id,
    role,
    sessionId: found.session_id,
    features: effectiveFlags(
      found.tenant.tier as Tier,
      found.tenant.feature_flags as Partial<Record<Feature, boolean>>,
    ),
    expiresAt: new Date(found.expires_at).getTime(),
  };
}

/** Ends one session (sign out); repeating is harmless. */
export async function endSession(db: Database, tenantId: string, sessionId: string): Promise<void> {
  await db.withTenant(tenantId, (trx) => repo.revokeSession(trx, sessionId, new Date()));
}
