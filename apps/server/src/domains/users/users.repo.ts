/** SQL for users, invitations and password resets. Run inside the tenant unless named `...AcrossTenants`. */
import type { Trx } from '../../db/database.ts';

const USER_COLUMNS = ['user_id', 'email', 'role', 'password_hash', 'created_at', 'last_login_at'] as const;

export function listUsers(trx: Trx) {
  return trx.selectFrom('app_user').select(USER_COLUMNS).orderBy('created_at').orderBy('user_id').execute();
}

export function findUser(trx: Trx, userId: string) {
  return trx.selectFrom('app_user').select(USER_COLUMNS).where('user_id', '=', userId).forUpdate().executeTakeFirst();
}

export function findUserByEmail(trx: Trx, email: string) {
  return trx.selectFrom('app_user').select(USER_COLUMNS).where('email', '=', email).executeTakeFirst();
}

/** Users of that e-mail in every tenant (platform role: login before the tenant is known), with their tenant. */
export function usersByEmailAcrossTenants(trx: Trx, email: string) {
  return trx
    .selectFrom('app_user')
    .innerJoin('tenant', 'tenant.tenant_id', 'app_user.tenant_id')
    .select([
      'app_user.tenant_id',
      'app_user.user_id',
      'app_user.role',
      'app_user.password_hash',
      'tenant.org_name',
      'tenant.status',
    ])
    .where('app_user.email', '=', email)
    .orderBy('app_user.tenant_id')
    .limit(20)
    .execute();
}

export async function insertUser(
  trx: Trx,
  row: { tenant_id: string; email: string; role: string; password_hash: string | null },
): Promise<string> {
  const r = await trx.insertInto('app_user').values(row).returning('user_id').executeTakeFirstOrThrow();
  return r.user_id;
}

export async function setRole(trx: Trx, userId: string, role: string): Promise<void> {
  await trx.updateTable('app_user').set({ role, updated_at: new Date() }).where('user_id', '=', userId).execute();
}

export async function setPassword(trx: Trx, userId: string, hash: string): Promise<void> {
  await trx
    .updateTable('app_user')
    .set({ password_hash: hash, updated_at: new Date() })
    .where('user_id', '=', userId)
    .execute();
}

export async function touchLogin(trx: Trx, userId: string, at: Date): Promise<void> {
  await trx.updateTable('app_user').set({ last_login_at: at }).where('user_id', '=', userId).execute();
}

export async function deleteUser(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('app_user').where('user_id', '=', userId).execute();
}

export async function countAdmins(trx: Trx): Promise<number> {
  const r = await trx
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Live API credentials of a user (for revoking them when the user's role changes). */
export function liveTokensOf(trx: Trx, userId: string) {
  return trx
    .selectFrom('api_token')
    .select(['token_id', 'role'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeTokens(trx: Trx, tokenIds: string[], at: Date): Promise<void> {
  if (tokenIds.length === 0) return;
  await trx.updateTable('api_token').set({ revoked_at: at }).where('token_id', 'in', tokenIds).execute();
}

export async function insertInvitation(
  trx: Trx,
  row: {
    tenant_id: string;
    email: string;
    role: string;
    token_hash: string;
    invited_by: string | null;
    expires_at: Date;
  },
): Promise<string> {
  const r = await trx.insertInto('user_invitation').values(row).returning('invitation_id').executeTakeFirstOrThrow();
  return r.invitation_id;
}

/** Earlier open invitations of an e-mail stop working when a new one is sent. */
export async function revokeOpenInvitations(trx: Trx, email: string, at: Date): Promise<void> {
  await trx
    .updateTable('user_invitation')
    .set({ revoked_at: at })
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

export function openInvitations(trx: Trx, now: Date) {
  return trx
    .selectFrom('user_invitation')
    .select(['invitation_id', 'email', 'role', 'created_at', 'expires_at'])
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute();
}

export function invitationByHash(trx: Trx, tokenHash: string) {
  return trx
    .selectFrom('user_invitation')
    .select(['invitation_id', 'email', 'role', 'expires_at', 'accepted_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markInvitationAccepted(trx: Trx, invitationId: string, at: Date): Promise<void> {
  await trx.updateTable('user_invitation').set({ accepted_at: at }).where('invitation_id', '=', invitationId).execute();
}

export async function insertReset(
  trx: Trx,
  row: { tenant_id: string; user_id: string; token_hash: string; expires_at: Date },
): Promise<string> {
  const r = await trx.insertInto('password_reset').values(row).returning('reset_id').executeTakeFirstOrThrow();
  return r.reset_id;
}

export function resetByHash(trx: Trx, tokenHash: string) {
  return trx
    .selectFrom('password_reset')
    .select(['reset_id', 'user_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

/** A used link, and every other open link of the same user, stop working. */
export async function markResetsUsed(trx: Trx, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable('password_reset')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
