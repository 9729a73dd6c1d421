/** SQL for browser sessions (hashes only). Run inside the tenant. */
import type { Trx } from '../../db/database.ts';

export async function insertSession(
  trx: Trx,
  row: { tenant_id: string; user_id: string; token_hash: string; method: string; expires_at: Date },
): Promise<string> {
  const r = await trx.insertInto('user_session').values(row).returning('session_id').executeTakeFirstOrThrow();
  return r.session_id;
}

/** A live session with its user's current role and e-mail and its tenant's status and flags; its use recorded. */
export async function liveSession(trx: Trx, tokenHash: string, now: Date) {
  const s = await trx
    .selectFrom('user_session')
    .innerJoin('app_user', (j) =>
      j
        .onRef('app_user.tenant_id', '=', 'user_session.tenant_id')
        .onRef('app_user.user_id', '=', 'user_session.user_id'),
    )
    .select([
      'user_session.session_id',
      'user_session.user_id',
      'user_session.expires_at',
      'user_session.method',
      'app_user.role',
      'app_user.email',
    ])
    .where('user_session.token_hash', '=', tokenHash)
    .where('user_session.revoked_at', 'is', null)
    .where('user_session.expires_at', '>', now)
    .executeTakeFirst();
  if (!s) return undefined;
  await trx.updateTable('user_session').set({ last_seen_at: now }).where('session_id', '=', s.session_id).execute();
  const tenant = await trx.selectFrom('tenant').select(['status', 'tier', 'feature_flags']).executeTakeFirst();
  return tenant ? { ...s, tenant } : undefined;
}

export async function revokeSession(trx: Trx, sessionId: string, at: Date): Promise<void> {
  await trx
    .updateTable('user_session')
    .set({ revoked_at: at })
    .where('session_id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of a user (password reset, role change, removal). */
export async function revokeUserSessions(trx: Trx, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable('user_session')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
