/** SQL for bearer credentials: insert, look up a live one by hash (recording its use), for tenants and staff. */
import type { Trx } from '../../db/database.ts';

export async function insertTenantToken(
  trx: Trx,
  row: {
    tenant_id: string;
    user_id: string;
    token_hash: string;
    name: string;
    role: string;
    scopes: string[] | null;
    grants: string[] | null;
    expires_at: Date;
  },
): Promise<string> {
  const r = await trx.insertInto('api_token').values(row).returning('token_id').executeTakeFirstOrThrow();
  return r.token_id;
}

/** A tenant credential that is neither revoked nor expired, with its tenant's status and flags; its use recorded. */
export async function liveTenantToken(trx: Trx, tokenHash: string, now: Date) {
  const cred = await trx
    .selectFrom('api_token')
    .select(['token_id', 'user_id', 'role', 'scopes', 'grants', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  if (!cred) return undefined;
  await trx.updateTable('api_token').set({ last_used_at: now }).where('token_id', '=', cred.token_id).execute();
  const tenant = await trx.selectFrom('tenant').select(['status', 'tier', 'feature_flags']).executeTakeFirst();
  return tenant ? { ...cred, tenant } : undefined;
}

/** A staff credential that is neither revoked nor expired, with the staff member's e-mail; its use recorded. */
export async function liveStaffToken(trx: Trx, tokenHash: string, now: Date) {
  const cred = await trx
    .selectFrom('staff_token')
    .innerJoin('staff_member', 'staff_member.staff_id', 'staff_token.staff_id')
    .select([
      'staff_token.token_id',
      'staff_token.staff_id',
      'staff_token.role',
      'staff_token.scopes',
      'staff_token.expires_at',
      'staff_member.email',
    ])
    .where('staff_token.token_hash', '=', tokenHash)
    .where('staff_token.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('staff_token.expires_at', 'is', null), eb('staff_token.expires_at', '>', now)]))
    .executeTakeFirst();
  if (cred)
    await trx.updateTable('staff_token').set({ last_used_at: now }).where('token_id', '=', cred.token_id).execute();
  return cred;
}
