/**
 * Bearer credentials. A tenant token reads `sot_<tenant id hex>_<secret>`: the tenant is known before any lookup, so
 * the lookup itself runs inside that tenant's row-level security. Only a SHA-256 of the token is stored.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { USER_ROLES, type Principal, type UserRole } from './principal.ts';

const TOKEN = /^sot_([0-9a-f]{32})_([A-Za-z0-9_-]{32})$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newTenantToken(tenantId: string): string {
  return `sot_${tenantId.replace(/-/g, '')}_${randomBytes(24).toString('base64url')}`;
}

export async function issueToken(
  trx: Trx,
  input: { tenantId: string; userId: string; role: UserRole; name: string },
): Promise<{ token: string; token_id: string }> {
  const token = newTenantToken(input.tenantId);
  const row = await trx
    .insertInto('api_token')
    .values({
      tenant_id: input.tenantId,
      user_id: input.userId,
      token_hash: hashToken(token),
      name: input.name,
      role: input.role,
    })
    .returning('token_id')
    .executeTakeFirstOrThrow();
  return { token, token_id: row.token_id };
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
 * An entry lives AUTH_CACHE_TTL_MS; suspending a tenant in this process forgets its entries at once (another
 * process sees the suspension within the TTL).
 */
export const AUTH_CACHE_TTL_MS = 30_000;
const AUTH_CACHE_MAX = 10_000;
const caches = new WeakMap<Database, Map<string, { principal: Principal; expires: number }>>();

function cacheOf(db: Database): Map<string, { principal: Principal; expires: number }> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Forgets every cached credential of a tenant (called when its status changes). */
export function forgetTenantCredentials(db: Database, tenantId: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  for (const [key, entry] of cache)
    if (entry.principal.kind === 'tenant' && entry.principal.tenantId === tenantId) cache.delete(key);
}

/** Resolves a bearer token to a principal, or throws UNAUTHENTICATED / TENANT_SUSPENDED. */
export async function authenticate(db: Database, platformToken: string | undefined, token: string): Promise<Principal> {
  if (platformToken && sameSecret(token, platformToken)) return { kind: 'platform' };
  const cache = cacheOf(db);
  const key = hashToken(token);
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && hit.expires > now) return hit.principal;
  const principal = await lookUp(db, token);
  if (cache.size >= AUTH_CACHE_MAX) cache.clear();
  cache.set(key, { principal, expires: now + AUTH_CACHE_TTL_MS });
  return principal;
}

async function lookUp(db: Database, token: string): Promise<Principal> {
  const tenantId = tenantIdOf(token);
  if (!tenantId) throw new AppError('UNAUTHENTICATED', 'the bearer token is not a StormOps credential');
  const found = await db.withTenant(tenantId, async (trx) => {
    const cred = await trx
      .selectFrom('api_token')
      .select(['user_id', 'role'])
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const tenant = await trx.selectFrom('tenant').select('status').executeTakeFirst();
    return cred && tenant ? { ...cred, status: tenant.status } : undefined;
  });
  if (!found) throw new AppError('UNAUTHENTICATED', 'the bearer token is unknown or revoked');
  if (found.status !== 'active') throw new AppError('TENANT_SUSPENDED', `tenant ${tenantId} is suspended`);
  const role = USER_ROLES.find((r) => r === found.role);
  if (!role) throw new AppError('UNAUTHENTICATED', 'the credential has an unknown role');
  return { kind: 'tenant', tenantId, userId: found.user_id, role };
}
