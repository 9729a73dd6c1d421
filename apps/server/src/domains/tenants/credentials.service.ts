/**
 * Tenant credentials: issue (scopes, grants, expiry; the token shown once), list with last use, revoke. The operator
 * manages any tenant's; a tenant admin its own. Every issue and revocation is audited.
 */
import { AppError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import { type Action, type TenantRole } from '../auth/permissions.ts';
import { actingTenant, authorize, type ServiceContext } from '../auth/principal.ts';
import { checkGrants, checkScopes } from '../auth/scopes.ts';
import { forgetCredential, issueToken } from '../auth/tokens.ts';
import { parse } from '../validate.ts';
import * as repo from './tenants.repo.ts';
import * as creds from './credentials.repo.ts';
import {
  credentialInput,
  listCredentialsInput,
  revokeCredentialInput,
  type CredentialInput,
  type ListCredentialsInput,
  type RevokeCredentialInput,
} from './credentials.schema.ts';

export interface IssuedCredential {
  token: string;
  token_id: string;
  user_id: string;
  role: TenantRole;
  scopes: Action[] | null;
  grants: Action[] | null;
  expires_at: string;
}

/** A new bearer credential for a user of the tenant (the user is created with the role if the e-mail is new). */
export async function createCredential(ctx: ServiceContext, input: CredentialInput): Promise<IssuedCredential> {
  authorize(ctx, 'credentials:admin');
  const i = parse(credentialInput, input);
  const id = actingTenant(ctx, i.tenant_id);
  const grants = checkGrants(i.role, i.grants);
  const scopes = checkScopes(i.role, i.scopes, grants);
  return ctx.db.withTenant(id, async (trx) => {
    if (!(await repo.findTenant(trx, id))) throw new AppError('NOT_FOUND', `tenant ${id} not found`, { tenant_id: id });
    let user = await repo.findUserByEmail(trx, id, i.email);
    if (!user) {
      const created = await repo.insertUser(trx, { tenant_id: id, email: i.email, role: i.role });
      user = { user_id: created.user_id, role: i.role };
      await audit(trx, ctx, id, 'user.create', ['user', user.user_id], undefined, { email: i.email, role: i.role });
    }
    const issued = await issueToken(trx, {
      tenantId: id,
      userId: user.user_id,
      role: i.role,
      name: i.name ?? i.role,
      ...(scopes ? { scopes } : {}),
      grants,
      ...(i.expires_in_days ? { expiresInDays: i.expires_in_days } : {}),
    });
    const view = {
      token_id: issued.token_id,
      user_id: user.user_id,
      role: i.role,
      scopes: scopes ?? null,
      grants: grants.length ? grants : null,
      expires_at: issued.expires_at,
    };
    await audit(trx, ctx, id, 'credential.issue', ['credential', issued.token_id], undefined, view);
    return { token: issued.token, ...view };
  });
}

export interface CredentialView {
  token_id: string;
  user_id: string;
  email: string;
  role: string;
  name: string;
  scopes: string[] | null;
  grants: string[] | null;
  status: 'active' | 'expired' | 'revoked';
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The tenant's credentials (never their tokens) with status and last use. */
export async function listCredentials(ctx: ServiceContext, input: ListCredentialsInput): Promise<CredentialView[]> {
  authorize(ctx, 'credentials:admin');
  const id = actingTenant(ctx, parse(listCredentialsInput, input).tenant_id);
  const now = Date.now();
  const rows = await ctx.db.withTenant(id, (trx) => creds.listCredentials(trx));
  return rows.map((r) => ({
    token_id: r.token_id,
    user_id: r.user_id,
    email: r.email,
    role: r.role,
    name: r.name,
    scopes: r.scopes,
    grants: r.grants,
    status: r.revoked_at ? 'revoked' : r.expires_at && new Date(r.expires_at).getTime() <= now ? 'expired' : 'active',
    created_at: new Date(r.created_at).toISOString(),
    expires_at: iso(r.expires_at),
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  }));
}

/** Revokes a credential at once (repeating is harmless); it answers 401 from then on. */
export async function revokeCredential(
  ctx: ServiceContext,
  input: RevokeCredentialInput,
): Promise<{ token_id: string; revoked_at: string }> {
  authorize(ctx, 'credentials:admin');
  const i = parse(revokeCredentialInput, input);
  const id = actingTenant(ctx, i.tenant_id);
  const tokenId = i.token_id;
  const result = await ctx.db.withTenant(id, async (trx) => {
    const found = await creds.findCredential(trx, tokenId);
    if (!found) throw new AppError('NOT_FOUND', `credential ${tokenId} not found`, { token_id: tokenId });
    if (found.revoked_at) return { token_id: tokenId, revoked_at: new Date(found.revoked_at).toISOString() };
    const at = new Date();
    await creds.revokeCredential(trx, tokenId, at);
    await audit(trx, ctx, id, 'credential.revoke', ['credential', tokenId], { revoked_at: null }, { revoked_at: at });
    return { token_id: tokenId, revoked_at: at.toISOString() };
  });
  forgetCredential(ctx.db, tokenId);
  return result;
}
