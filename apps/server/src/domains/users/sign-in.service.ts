/**
 * Signing in, for people: e-mail and password, accepting an invitation, resetting a password, who am I, signing
 * out. These are reached before the caller has a credential (public routes): they take the database, never a
 * principal, and answer a wrong e-mail exactly as a wrong password (same error, same time).
 */
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import { ACTIONS, TENANT_ROLES, type Action, type TenantRole } from '../auth/permissions.ts';
import { authorize, holds, type Principal, type ServiceContext } from '../auth/principal.ts';
import { findTenant } from '../tenants/tenants.repo.ts';
import { parse } from '../validate.ts';
import { RESET_MINUTES, deliver, resetLink } from './links.ts';
import { NO_MAIL, type SignInDeps } from './mailer.ts';
import { hashSecret, newSecret, tenantOfSecret } from './one-time-tokens.ts';
import { burnVerification, hashPassword, verifyPassword } from './passwords.ts';
import { createSession, endSession, type NewSession, type SignInMethod } from './sessions.ts';
import { revokeUserSessions } from './sessions.repo.ts';
import * as repo from './users.repo.ts';
import {
  acceptInviteInput,
  loginInput,
  requestResetInput,
  resetPasswordInput,
  type AcceptInviteInput,
  type LoginInput,
  type RequestResetInput,
  type ResetPasswordInput,
} from './users.schema.ts';

export interface SignedIn {
  user: { user_id: string; email: string; role: TenantRole };
  tenant: { tenant_id: string; org_name: string };
  session: NewSession;
}

const WRONG = 'wrong e-mail or password';

function asRole(role: string): TenantRole {
  const r = TENANT_ROLES.find((x) => x === role);
  if (!r) throw new AppError('UNAUTHENTICATED', 'the user has an unknown role');
  return r;
}

/** Opens a session for a user of a tenant (after the caller proved who they are). */
export async function openSession(
  db: Database,
  tenantId: string,
  userId: string,
  method: SignInMethod,
): Promise<SignedIn> {
  return db.withTenant(tenantId, async (trx) => {
    const user = await repo.findUser(trx, userId);
    const tenant = await findTenant(trx, tenantId);
    if (!user || !tenant) throw new AppError('UNAUTHENTICATED', 'the user no longer exists');
    if (tenant.status !== 'active') throw new AppError('TENANT_SUSPENDED', `tenant ${tenantId} is suspended`);
    const now = new Date();
    const session = await createSession(trx, tenantId, userId, method, now);
    await repo.touchLogin(trx, userId, now);
    return {
      user: { user_id: userId, email: user.email, role: asRole(user.role) },
      tenant: { tenant_id: tenantId, org_name: tenant.org_name },
      session,
    };
  });
}

/**
 * E-mail and password. The e-mail may belong to people in several tenants: the password is checked against each
 * (at most 20), and when it opens more than one the caller is asked to name the tenant (409 listing them).
 */
export async function login(db: Database, input: LoginInput): Promise<SignedIn> {
  const i = parse(loginInput, input);
  const rows = await db.withPlatform((trx) => repo.usersByEmailAcrossTenants(trx, i.email));
  const candidates = rows.filter((r) => r.password_hash !== null && (!i.tenant_id || r.tenant_id === i.tenant_id));
  if (candidates.length === 0) {
    await burnVerification(i.password);
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  const matched = [];
  for (const c of candidates) if (await verifyPassword(i.password, c.password_hash as string)) matched.push(c);
  const only = matched[0];
  if (!only) throw new AppError('UNAUTHENTICATED', WRONG);
  if (matched.length > 1)
    throw new AppError('CONFLICT', 'this e-mail signs in to several organisations: name one with tenant_id', {
      field: 'tenant_id',
      organisations: matched.map((m) => ({ tenant_id: m.tenant_id, org_name: m.org_name })),
    });
  return openSession(db, only.tenant_id, only.user_id, 'password');
}

function linkTenant(kind: 'inv' | 'rst', token: string, what: string): string {
  const tenantId = tenantOfSecret(kind, token);
  if (!tenantId) throw new AppError('UNAUTHENTICATED', `this ${what} link is unknown, used or expired`);
  return tenantId;
}

/** Accepts an invitation: creates the user with the invited role and password, once; signs them in. */
export async function acceptInvitation(db: Database, input: AcceptInviteInput, requestId?: string): Promise<SignedIn> {
  const i = parse(acceptInviteInput, input);
  const tenantId = linkTenant('inv', i.token, 'invitation');
  const hash = await hashPassword(i.password);
  const userId = await db.withTenant(tenantId, async (trx) => {
    const inv = await repo.invitationByHash(trx, hashSecret(i.token));
    const now = new Date();
    if (!inv || inv.accepted_at || inv.revoked_at || new Date(inv.expires_at) <= now)
      throw new AppError('UNAUTHENTICATED', 'this invitation link is unknown, used or expired');
    if (await repo.findUserByEmail(trx, inv.email))
      throw new AppError('CONFLICT', `${inv.email} is already a user of this tenant: sign in or reset the password`);
    const id = await repo.insertUser(trx, {
      tenant_id: tenantId,
      email: inv.email,
      role: inv.role,
      password_hash: hash,
    });
    await repo.markInvitationAccepted(trx, inv.invitation_id, now);
    const ctx = actorCtx(tenantId, id, asRole(inv.role), requestId);
    await audit(trx, ctx, tenantId, 'user.create', ['user', id], undefined, {
      email: inv.email,
      role: inv.role,
      via: 'invitation',
      invitation_id: inv.invitation_id,
    });
    return id;
  });
  return openSession(db, tenantId, userId, 'invitation');
}

function actorCtx(tenantId: string, userId: string, role: TenantRole, requestId?: string) {
  const principal: Principal = { kind: 'tenant', tenantId, userId, role };
  return { principal, ...(requestId ? { requestId } : {}) };
}

/**
 * "Forgot my password": with SMTP, a reset link goes to each account of that e-mail; without SMTP nothing can be
 * sent (an admin sends one: `stormops user reset`). The answer is the same whether the e-mail exists or not.
 */
export async function requestPasswordReset(
  db: Database,
  input: RequestResetInput,
  deps: SignInDeps = NO_MAIL,
): Promise<{ accepted: true }> {
  const i = parse(requestResetInput, input);
  if (!deps.mailer) return { accepted: true };
  const rows = await db.withPlatform((trx) => repo.usersByEmailAcrossTenants(trx, i.email));
  for (const r of rows.filter((x) => !i.tenant_id || x.tenant_id === i.tenant_id)) {
    const token = newSecret('rst', r.tenant_id);
    await db.withTenant(r.tenant_id, (trx) =>
      repo.insertReset(trx, {
        tenant_id: r.tenant_id,
        user_id: r.user_id,
        token_hash: hashSecret(token),
        expires_at: new Date(Date.now() + RESET_MINUTES * 60_000),
      }),
    );
    const link = resetLink(deps, token);
    await deliver(deps, {
      to: i.email,
      subject: `Reset your StormOps password (${r.org_name})`,
      text: `Someone asked to reset your StormOps password for ${r.org_name}. If it was you, choose a new one (the link works once, for ${RESET_MINUTES} minutes):\n${link}\n\nIf not, ignore this e-mail.`,
      link,
    });
  }
  return { accepted: true };
}

/** Sets a new password from a reset link, once; every session of the user ends. */
export async function resetPassword(
  db: Database,
  input: ResetPasswordInput,
  requestId?: string,
): Promise<{ user_id: string; email: string; reset: true }> {
  const i = parse(resetPasswordInput, input);
  const tenantId = linkTenant('rst', i.token, 'password reset');
  const hash = await hashPassword(i.password);
  return db.withTenant(tenantId, async (trx) => {
    const reset = await repo.resetByHash(trx, hashSecret(i.token));
    const now = new Date();
    if (!reset || reset.used_at || new Date(reset.expires_at) <= now)
      throw new AppError('UNAUTHENTICATED', 'this password reset link is unknown, used or expired');
    const user = await repo.findUser(trx, reset.user_id);
    if (!user) throw new AppError('UNAUTHENTICATED', 'this password reset link is unknown, used or expired');
    await repo.setPassword(trx, reset.user_id, hash);
    await repo.markResetsUsed(trx, reset.user_id, now);
    await revokeUserSessions(trx, reset.user_id, now);
    const ctx = actorCtx(tenantId, reset.user_id, asRole(user.role), requestId);
    await audit(trx, ctx, tenantId, 'user.password_reset', ['user', reset.user_id], undefined, {
      reset_id: reset.reset_id,
    });
    return { user_id: reset.user_id, email: user.email, reset: true as const };
  });
}

/** Who the caller is (a session or a bearer credential). */
export function whoAmI(ctx: ServiceContext): {
  kind: Principal['kind'];
  tenant_id: string | null;
  user_id: string | null;
  role: string;
  via: 'session' | 'credential' | 'platform';
  expires_at: string | null;
  /** The actions this caller holds (role, grants and scopes; feature flags not considered): the app hides the rest. */
  permissions: Action[];
} {
  authorize(ctx, 'account:self');
  const p = ctx.principal;
  const permissions = ACTIONS.filter((a) => holds(p, a));
  if (p.kind === 'platform')
    return {
      kind: 'platform',
      tenant_id: null,
      user_id: null,
      role: 'operator',
      via: 'platform',
      expires_at: null,
      permissions,
    };
  if (p.kind === 'staff')
    return {
      kind: 'staff',
      tenant_id: null,
      user_id: null,
      role: p.role,
      via: 'credential',
      expires_at: null,
      permissions,
    };
  return {
    kind: 'tenant',
    tenant_id: p.tenantId,
    user_id: p.userId,
    role: p.role,
    via: p.sessionId ? 'session' : 'credential',
    expires_at: p.expiresAt ? new Date(p.expiresAt).toISOString() : null,
    permissions,
  };
}

/** Signs out: ends the caller's session (a bearer credential has none: revoke it instead). */
export async function logout(ctx: ServiceContext): Promise<{ signed_out: boolean }> {
  authorize(ctx, 'account:self');
  const p = ctx.principal;
  if (p.kind !== 'tenant' || !p.sessionId) return { signed_out: false };
  await endSession(ctx.db, p.tenantId, p.sessionId);
  return { signed_out: true };
}
