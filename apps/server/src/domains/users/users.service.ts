/**
 * A tenant's people: invite (a one-time link), list, change role, remove, and send a password reset. The operator
 * manages any tenant's; a tenant admin its own. Every change is audited; the last admin cannot be demoted or removed.
 */
import { AppError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import { actingTenant, authorize, type ServiceContext } from '../auth/principal.ts';
import { forgetTenantCredentials } from '../auth/tokens.ts';
import { findTenant } from '../tenants/tenants.repo.ts';
import { parse } from '../validate.ts';
import { INVITATION_DAYS, RESET_MINUTES, deliver, invitationLink, resetLink } from './links.ts';
import { NO_MAIL, type SignInDeps } from './mailer.ts';
import { hashSecret, newSecret } from './one-time-tokens.ts';
import * as repo from './users.repo.ts';
import {
  adminResetInput,
  inviteInput,
  listUsersInput,
  removeUserInput,
  setRoleInput,
  type AdminResetInput,
  type InvitationView,
  type InviteInput,
  type ListUsersInput,
  type RemoveUserInput,
  type SetRoleInput,
  type UserView,
} from './users.schema.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const actorId = (ctx: ServiceContext) =>
  ctx.principal.kind === 'tenant'
    ? ctx.principal.userId
    : ctx.principal.kind === 'staff'
      ? ctx.principal.staffId
      : null;

function userView(r: Awaited<ReturnType<typeof repo.listUsers>>[number]): UserView {
  return {
    user_id: r.user_id,
    email: r.email,
    role: r.role,
    has_password: r.password_hash !== null,
    created_at: new Date(r.created_at).toISOString(),
    last_login_at: iso(r.last_login_at),
  };
}

/** Invites a person: a one-time link (valid INVITATION_DAYS) e-mailed, or shown to the admin without SMTP. */
export async function inviteUser(
  ctx: ServiceContext,
  input: InviteInput,
  deps: SignInDeps = NO_MAIL,
): Promise<InvitationView> {
  authorize(ctx, 'users:admin');
  const i = parse(inviteInput, input);
  const tenantId = actingTenant(ctx, i.tenant_id);
  const token = newSecret('inv', tenantId);
  const now = new Date();
  const expires = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const made = await ctx.db.withTenant(tenantId, async (trx) => {
    const tenant = await findTenant(trx, tenantId);
    if (!tenant) throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`, { tenant_id: tenantId });
    if (await repo.findUserByEmail(trx, i.email))
      throw new AppError('CONFLICT', `${i.email} is already a user of this tenant`, { field: 'email' });
    await repo.revokeOpenInvitations(trx, i.email, now);
    const invitationId = await repo.insertInvitation(trx, {
      tenant_id: tenantId,
      email: i.email,
      role: i.role,
      token_hash: hashSecret(token),
      invited_by: actorId(ctx),
      expires_at: expires,
    });
    const after = { email: i.email, role: i.role, expires_at: expires.toISOString() };
    await audit(trx, ctx, tenantId, 'user.invite', ['invitation', invitationId], undefined, after);
    return { invitationId, org: tenant.org_name };
  });
  const link = invitationLink(deps, token);
  const sent = await deliver(deps, {
    to: i.email,
    subject: `You are invited to ${made.org} on StormOps`,
    text: `You have been invited to ${made.org} on StormOps as ${i.role}.\n\nSet your password and sign in (the link works once, for ${INVITATION_DAYS} days):\n${link}\n`,
    link,
  });
  return {
    invitation_id: made.invitationId,
    email: i.email,
    role: i.role,
    expires_at: expires.toISOString(),
    ...sent,
  };
}

/** The tenant's users and its open invitations. */
export async function listUsers(
  ctx: ServiceContext,
  input: ListUsersInput = {},
): Promise<{
  users: UserView[];
  invitations: Array<{ invitation_id: string; email: string; role: string; expires_at: string }>;
}> {
  authorize(ctx, 'users:admin');
  const tenantId = actingTenant(ctx, parse(listUsersInput, input).tenant_id);
  return ctx.db.withTenant(tenantId, async (trx) => ({
    users: (await repo.listUsers(trx)).map(userView),
    invitations: (await repo.openInvitations(trx, new Date())).map((r) => ({
      invitation_id: r.invitation_id,
      email: r.email,
      role: r.role,
      expires_at: new Date(r.expires_at).toISOString(),
    })),
  }));
}

function lastAdminGuard(before: string, after: string | undefined, admins: number): void {
  if (before === 'admin' && after !== 'admin' && admins <= 1)
    throw new AppError('CONFLICT', 'this is the last admin of the tenant: make another user admin first', {
      field: 'user_id',
    });
}

/**
 * Changes a user's role. Sessions follow at once (they read the role on every request); the user's API credentials
 * of another role are revoked, so none keeps rights the person lost.
 */
export async function setUserRole(
  ctx: ServiceContext,
  input: SetRoleInput,
): Promise<UserView & { revoked_credentials: number }> {
  authorize(ctx, 'users:admin');
  const i = parse(setRoleInput, input);
  const tenantId = actingTenant(ctx, i.tenant_id);
  const result = await ctx.db.withTenant(tenantId, async (trx) => {
    const user = await repo.findUser(trx, i.user_id);
    if (!user) throw new AppError('NOT_FOUND', `user ${i.user_id} not found`, { user_id: i.user_id });
    lastAdminGuard(user.role, i.role, await repo.countAdmins(trx));
    if (user.role === i.role) return { ...userView(user), revoked_credentials: 0 };
    const now = new Date();
    await repo.setRole(trx, i.user_id, i.role);
    const stale = (await repo.liveTokensOf(trx, i.user_id)).filter((t) => t.role !== i.role).map((t) => t.token_id);
    await repo.revokeTokens(trx, stale, now);
    await audit(
      trx,
      ctx,
      tenantId,
      'user.role',
      ['user', i.user_id],
      { role: user.role },
      {
        role: i.role,
        revoked_credentials: stale,
      },
    );
    return { ...userView({ ...user, role: i.role }), revoked_credentials: stale.length };
  });
  if (result.revoked_credentials > 0) forgetTenantCredentials(ctx.db, tenantId);
  return result;
}

/** Removes a user with their sessions and credentials (which answer 401 from then on). */
export async function removeUser(
  ctx: ServiceContext,
  input: RemoveUserInput,
): Promise<{ user_id: string; removed: true }> {
  authorize(ctx, 'users:admin');
  const i = parse(removeUserInput, input);
  const tenantId = actingTenant(ctx, i.tenant_id);
  await ctx.db.withTenant(tenantId, async (trx) => {
    const user = await repo.findUser(trx, i.user_id);
    if (!user) throw new AppError('NOT_FOUND', `user ${i.user_id} not found`, { user_id: i.user_id });
    lastAdminGuard(user.role, undefined, await repo.countAdmins(trx));
    await repo.deleteUser(trx, i.user_id);
    await audit(trx, ctx, tenantId, 'user.remove', ['user', i.user_id], { email: user.email, role: user.role });
  });
  forgetTenantCredentials(ctx.db, tenantId);
  return { user_id: i.user_id, removed: true };
}

/** An admin sends a user a one-time password reset link (valid RESET_MINUTES); shown to the admin without SMTP. */
export async function sendPasswordReset(
  ctx: ServiceContext,
  input: AdminResetInput,
  deps: SignInDeps = NO_MAIL,
): Promise<{ user_id: string; email: string; expires_at: string; delivery: 'email' | 'shown'; link?: string }> {
  authorize(ctx, 'users:admin');
  const i = parse(adminResetInput, input);
  const tenantId = actingTenant(ctx, i.tenant_id);
  const token = newSecret('rst', tenantId);
  const expires = new Date(Date.now() + RESET_MINUTES * 60_000);
  const email = await ctx.db.withTenant(tenantId, async (trx) => {
    const user = await repo.findUser(trx, i.user_id);
    if (!user) throw new AppError('NOT_FOUND', `user ${i.user_id} not found`, { user_id: i.user_id });
    const resetId = await repo.insertReset(trx, {
      tenant_id: tenantId,
      user_id: i.user_id,
      token_hash: hashSecret(token),
      expires_at: expires,
    });
    await audit(trx, ctx, tenantId, 'user.password_reset_sent', ['user', i.user_id], undefined, { reset_id: resetId });
    return user.email;
  });
  const link = resetLink(deps, token);
  const sent = await deliver(deps, {
    to: email,
    subject: 'Reset your StormOps password',
    text: `Choose a new StormOps password (the link works once, for ${RESET_MINUTES} minutes):\n${link}\n`,
    link,
  });
  return { user_id: i.user_id, email, expires_at: expires.toISOString(), ...sent };
}

/**
 * A new tenant's first admin chooses a password through a one-time link valid INVITATION_DAYS (self-serve signup):
 * e-mailed with SMTP, else handed back to the caller to show.
 */
export async function sendWelcome(
  ctx: ServiceContext,
  input: AdminResetInput,
  deps: SignInDeps = NO_MAIL,
): Promise<{ user_id: string; email: string; expires_at: string; delivery: 'email' | 'shown'; link?: string }> {
  authorize(ctx, 'users:admin');
  const i = parse(adminResetInput, input);
  const tenantId = actingTenant(ctx, i.tenant_id);
  const token = newSecret('rst', tenantId);
  const expires = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const { email, org } = await ctx.db.withTenant(tenantId, async (trx) => {
    const user = await repo.findUser(trx, i.user_id);
    if (!user) throw new AppError('NOT_FOUND', `user ${i.user_id} not found`, { user_id: i.user_id });
    const tenant = await findTenant(trx, tenantId);
    const resetId = await repo.insertReset(trx, {
      tenant_id: tenantId,
      user_id: i.user_id,
      token_hash: hashSecret(token),
      expires_at: expires,
    });
    await audit(trx, ctx, tenantId, 'user.welcome_sent', ['user', i.user_id], undefined, { reset_id: resetId });
    return { email: user.email, org: tenant?.org_name ?? 'your organization' };
  });
  const link = resetLink(deps, token);
  const sent = await deliver(deps, {
    to: email,
    subject: `Welcome to StormOps: set your password for ${org}`,
    text: `${org} is set up on StormOps with a trial plan, and you are its admin.\n\nChoose your password and sign in (the link works once, for ${INVITATION_DAYS} days):\n${link}\n`,
    link,
  });
  return { user_id: i.user_id, email, expires_at: expires.toISOString(), ...sent };
}
