/**
 * Bearer credentials. A tenant token reads `sot_<tenant id hex>_<secret>`: the tenant is known before any lookup, so
 * the lookup itself runs inside that tenant's row-level security. A staff token reads `sos_<secret>` and is looked up
 * in the platform's staff_token table. Only a SHA-256 of each token is stored. A credential may carry scopes (a
 * subset of its role's permissions), grants (from GRANTABLE) and an expiry; its last use is recorded.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { effectiveFlags } from '../tenants/tenant-flags.ts';
import type { Feature, Tier } from '../tenants/tenants.schema.ts';
import { STAFF_ROLES, TENANT_ROLES, isAction, type Action, type StaffRole, type TenantRole } from './permissions.ts';
import { featureDisabled, type Principal } from './principal.ts';
import * as repo from './tokens.repo.ts';
import { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS } from './expiry.ts';

export { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS };

const TOKEN = /^sot_([0-9a-f]{32})_([A-Za-z0-9_-]{32})$/;
const STAFF_TOKEN = /^sos_[A-Za-z0-9_-]{43}$/;

/** API keys expire after this many days unless issued with another lifetime. */
const DAY_MS = 86_400_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newTenantToken(tenantId: string): string {
  return `sot_${tenantId.replace(/-/g, '')}_${randomBytes(24).toString('base64url')}`;
}

export function newStaffToken(): string {
  return `sos_${randomBytes(32).toString('base64url')}`;
}

export function expiryFrom(days: number | undefined, now = Date.now()): Date {
  return new Date(now + (days ?? DEFAULT_EXPIRY_DAYS) * DAY_MS);
}

export async function issueToken(
  trx: Trx,
  input: {
    tenantId: string;
    userId: string;
    role: TenantRole;
    name: string;
    scopes?: readonly Action[];
    grants?: readonly Action[];
    expiresInDays?: number;
  },
): Promise<{ token: string; token_id: string; expires_at: string }> {
  const token = newTenantToken(input.tenantId);
  const expires = expiryFrom(input.expiresInDays);
  const tokenId = await repo.insertTenantToken(trx, {
    tenant_id: input.tenantId,
    user_id: input.userId,
    token_hash: hashToken(token),
    name: input.name,
    role: input.role,
    scopes: input.scopes ? [...input.scopes] : null,
    grants: input.grants?.length ? [...input.grants] : null,
    expires_at: expires,
  });
  return { token, token_id: tokenId, expires_at: expires.toISOString() };
}

function tenantIdOf(token: string): string | undefined {
  const m = TOKEN.exec(token);
  const hex = m?.[1];
  if (!hex) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashToken(a), 'hex');
  const y = Buffer.from(hashToken(b), 'hex');
  return timingSafeEqual(x, y);
}

/**
 * Recently verified credentials per database, so a busy client does not pay a database transaction per request.
 * An entry lives AUTH_CACHE_TTL_MS (never past the credential's expiry); revoking a credential, suspending a tenant
 * or changing its flags in this process forgets the entries at once (another process sees it within the TTL).
 */
export const AUTH_CACHE_TTL_MS = 30_000;
const AUTH_CACHE_MAX = 10_000;
const caches = new WeakMap<Database, Map<string, { principal: Principal; expires: number }>>();

function cacheOf(db: Database): Map<string, { principal: Principal; expires: number }> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Forgets every cached credential of a tenant (called when its status or flags change). */
export function forgetTenantCredentials(db: Database, tenantId: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  for (const [key, entry] of cache)
    if (entry.principal.kind === 'tenant' && entry.principal.tenantId === tenantId) cache.delete(key);
}

/** Forgets one cached credential by its id (called when it is revoked). */
export function forgetCredential(db: Database, tokenId: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  for (const [key, entry] of cache)
    if (entry.principal.kind !== 'platform' && entry.principal.tokenId === tokenId) cache.delete(key);
}

/**
 * Resolves a bearer token to a principal, or throws UNAUTHENTICATED (unknown, revoked, expired), TENANT_SUSPENDED,
 * or FEATURE_DISABLED (a tenant API key while the tenant's api_access flag is off).
 */
export async function authenticate(db: Database, platformToken: string | undefined, token: string): Promise<Principal> {
  if (platformToken && sameSecret(token, platformToken)) return { kind: 'platform' };
  const cache = cacheOf(db);
  const key = hashToken(token);
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && hit.expires > now) return hit.principal;
  const principal = STAFF_TOKEN.test(token) ? await lookUpStaff(db, token) : await lookUp(db, token);
  if (cache.size >= AUTH_CACHE_MAX) cache.clear();
  const until = principal.kind !== 'platform' && principal.expiresAt !== undefined ? principal.expiresAt : Infinity;
  cache.set(key, { principal, expires: Math.min(now + AUTH_CACHE_TTL_MS, until) });
  return principal;
}

const UNKNOWN = 'the bearer token is unknown, revoked or expired';

function actions(list: string[] | null): Action[] | undefined {
  return list ? list.filter(isAction) : undefined;
}

async function lookUp(db: Database, token: string): Promise<Principal> {
  const tenantId = tenantIdOf(token);
  if (!tenantId) throw new AppError('UNAUTHENTICATED', 'the bearer token is not a StormOps credential');
  const found = await db.withTenant(tenantId, (trx) => repo.liveTenantToken(trx, hashToken(token), new Date()));
  if (!found) throw new AppError('UNAUTHENTICATED', UNKNOWN);
  if (found.tenant.status !== 'active') throw new AppError('TENANT_SUSPENDED', `tenant ${tenantId} is suspended`);
  const role = TENANT_ROLES.find((r) => r === found.role);
  if (!role) throw new AppError('UNAUTHENTICATED', 'the credential has an unknown role');
  const features = effectiveFlags(
    found.tenant.tier as Tier,
    found.tenant.feature_flags as Partial<Record<Feature, boolean>>,
  );
  if (!features.api_access) throw featureDisabled('api_access');
  const scopes = actions(found.scopes);
  const grants = actions(found.grants);
  return {
    kind: 'tenant',
    tenantId,
    userId: found.user_id,
    role,
    tokenId: found.token_id,
    features,
    ...(scopes ? { scopes } : {}),
    ...(grants ? { grants } : {}),
    ...(found.expires_at ? { expiresAt: new Date(found.expires_at).getTime() } : {}),
  };
}

async function lookUpStaff(db: Database, token: string): Promise<Principal> {
  const found = await db.withPlatform((trx) => repo.liveStaffToken(trx, hashToken(token), new Date()));
  if (!found) throw new AppError('UNAUTHENTICATED', UNKNOWN);
  const role = STAFF_ROLES.find((r): r is StaffRole => r === found.role);
  if (!role) throw new AppError('UNAUTHENTICATED', 'the credential has an unknown role');
  const scopes = actions(found.scopes);
  return {
    kind: 'staff',
    staffId: found.staff_id,
    email: found.email,
    role,
    tokenId: found.token_id,
    ...(scopes ? { scopes } : {}),
    ...(found.expires_at ? { expiresAt: new Date(found.expires_at).getTime() } : {}),
  };
}
