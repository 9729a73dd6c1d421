/**
 * Single sign-on (OpenID Connect) for tenants with the `sso` flag: the admin sets the provider and the role new
 * people get; people then sign in at the provider and are matched by verified e-mail, or created with that role.
 */
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import { TENANT_ROLES } from '../auth/permissions.ts';
import { actingTenant, authorize, featureDisabled, type ServiceContext } from '../auth/principal.ts';
import { requireFeature, effectiveFlags } from '../tenants/tenant-flags.ts';
import { findTenant } from '../tenants/tenants.repo.ts';
import type { Feature, Tier } from '../tenants/tenants.schema.ts';
import { parse } from '../validate.ts';
import { hashSecret, newSecret, tenantOfSecret } from './one-time-tokens.ts';
import { openSession, type SignedIn } from './sign-in.service.ts';
import { authorizationUrl, discover, verifiedEmail } from './sso.provider.ts';
import * as repo from './sso.repo.ts';
import * as users from './users.repo.ts';
import {
  listUsersInput,
  ssoConfigInput,
  ssoStartInput,
  type ListUsersInput,
  type SsoConfigInput,
  type SsoStartInput,
} from './users.schema.ts';

/** A started login waits this long for the provider to send the browser back. */
const LOGIN_MINUTES = 10;
export const SSO_CALLBACK_PATH = '/v1/auth/sso/callback';

export interface SsoConfigView {
  configured: boolean;
  issuer: string | null;
  client_id: string | null;
  default_role: string | null;
  /** Register this as the client's redirect URI at the provider. */
  redirect_uri: string;
  updated_at: string | null;
}

const callbackOf = (publicUrl: string) => `${publicUrl}${SSO_CALLBACK_PATH}`;

export async function getSsoConfig(
  ctx: ServiceContext,
  input: ListUsersInput,
  publicUrl: string,
): Promise<SsoConfigView> {
  authorize(ctx, 'users:admin');
  const tenantId = actingTenant(ctx, parse(listUsersInput, input).tenant_id);
  const row = await ctx.db.withTenant(tenantId, (trx) => repo.findConfig(trx));
  return {
    configured: row !== undefined,
    issuer: row?.issuer ?? null,
    client_id: row?.client_id ?? null,
    default_role: row?.default_role ?? null,
    redirect_uri: callbackOf(publicUrl),
    updated_at: row ? new Date(row.updated_at).toISOString() : null,
  };
}

/** Sets the tenant's provider (checked by discovery first) and default role; needs the `sso` flag. Audited. */
export async function setSsoConfig(
  ctx: ServiceContext,
  input: SsoConfigInput,
  publicUrl: string,
): Promise<SsoConfigView> {
  authorize(ctx, 'users:admin');
  const i = parse(ssoConfigInput, input);
  const tenantId = actingTenant(ctx, i.tenant_id);
  await requireFeature(ctx, tenantId, 'sso');
  await discover({ issuer: i.issuer, client_id: i.client_id, client_secret: i.client_secret });
  await ctx.db.withTenant(tenantId, async (trx) => {
    const before = await repo.findConfig(trx);
    await repo.upsertConfig(trx, {
      tenant_id: tenantId,
      issuer: i.issuer,
      client_id: i.client_id,
      client_secret: i.client_secret,
      default_role: i.default_role,
    });
    const shown = (c: { issuer: string; client_id: string; default_role: string }) => ({
      issuer: c.issuer,
      client_id: c.client_id,
      default_role: c.default_role,
    });
    await audit(trx, ctx, tenantId, 'sso.config', ['tenant', tenantId], before ? shown(before) : undefined, {
      ...shown({ issuer: i.issuer, client_id: i.client_id, default_role: i.default_role }),
      client_secret_changed: before?.client_secret !== i.client_secret,
    });
  });
  return getSsoConfig(ctx, { tenant_id: tenantId }, publicUrl);
}

async function tenantWithSso(db: Database, tenantId: string) {
  return db.withTenant(tenantId, async (trx) => {
    const tenant = await findTenant(trx, tenantId);
    if (!tenant) throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`, { tenant_id: tenantId });
    if (tenant.status !== 'active') throw new AppError('TENANT_SUSPENDED', `tenant ${tenantId} is suspended`);
    const flags = effectiveFlags(tenant.tier as Tier, tenant.feature_flags as Partial<Record<Feature, boolean>>);
    if (!flags.sso) throw featureDisabled('sso');
    const config = await repo.findConfig(trx);
    if (!config)
      throw new AppError('NOT_FOUND', 'single sign-on is not set up for this tenant (PUT /v1/auth/sso/config)', {
        tenant_id: tenantId,
      });
    return config;
  });
}

/** Starts a login: the provider URL to send the browser to, and the state to keep in its cookie. */
export async function startSso(
  db: Database,
  input: SsoStartInput,
  publicUrl: string,
): Promise<{ url: string; state: string }> {
  const i = parse(ssoStartInput, input);
  const config = await tenantWithSso(db, i.tenant_id);
  const provider = await discover(config);
  const state = newSecret('sso', i.tenant_id);
  const started = await authorizationUrl(provider, callbackOf(publicUrl), state);
  await db.withTenant(i.tenant_id, (trx) =>
    repo.insertLogin(trx, {
      tenant_id: i.tenant_id,
      state_hash: hashSecret(state),
      nonce: started.nonce,
      code_verifier: started.codeVerifier,
      return_to: i.return_to ?? '/',
      expires_at: new Date(Date.now() + LOGIN_MINUTES * 60_000),
    }),
  );
  return { url: started.url, state };
}

/**
 * Finishes a login from the provider's redirect: the state must be the one this browser started (its cookie) and
 * unused; the code exchange and ID token are verified; the person is matched by verified e-mail or created with
 * the tenant's default role. Returns the session and where to send the browser.
 */
export async function finishSso(
  db: Database,
  callback: { query: Record<string, unknown>; cookieState: string | undefined; publicUrl: string; requestId?: string },
): Promise<SignedIn & { return_to: string }> {
  const q = callback.query;
  if (typeof q['error'] === 'string')
    throw new AppError('UNAUTHENTICATED', `single sign-on refused by the provider: ${q['error']}`);
  const state = typeof q['state'] === 'string' ? q['state'] : undefined;
  const tenantId = state ? tenantOfSecret('sso', state) : undefined;
  if (!state || !tenantId || typeof q['code'] !== 'string')
    throw new AppError('UNAUTHENTICATED', 'single sign-on refused: the callback has no valid state and code');
  if (callback.cookieState !== state)
    throw new AppError('UNAUTHENTICATED', 'single sign-on refused: this browser did not start this login');
  const started = await db.withTenant(tenantId, (trx) => repo.takeLogin(trx, hashSecret(state), new Date()));
  if (!started) throw new AppError('UNAUTHENTICATED', 'single sign-on refused: the login is unknown, used or expired');
  const config = await tenantWithSso(db, tenantId);
  const provider = await discover(config);
  const redirectUri = callbackOf(callback.publicUrl);
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string') url.searchParams.set(k, v);
  const { email, subject } = await verifiedEmail(provider, url, {
    state,
    nonce: started.nonce,
    codeVerifier: started.code_verifier,
    redirectUri,
  });
  const userId = await db.withTenant(tenantId, async (trx) => {
    const found = await users.findUserByEmail(trx, email);
    if (found) return found.user_id;
    const id = await users.insertUser(trx, {
      tenant_id: tenantId,
      email,
      role: config.default_role,
      password_hash: null,
    });
    const role = TENANT_ROLES.find((r) => r === config.default_role) ?? 'viewer';
    const ctx = {
      principal: { kind: 'tenant' as const, tenantId, userId: id, role },
      ...(callback.requestId ? { requestId: callback.requestId } : {}),
    };
    await audit(trx, ctx, tenantId, 'user.create', ['user', id], undefined, {
      email,
      role: config.default_role,
      via: 'sso',
      issuer: config.issuer,
      subject,
    });
    return id;
  });
  const signedIn = await openSession(db, tenantId, userId, 'sso');
  return { ...signedIn, return_to: started.return_to };
}
