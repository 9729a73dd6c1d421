/** SQL for platform staff and their credentials (platform tables; run under the platform role). */
import type { Trx } from '../../db/database.ts';

export async function upsertStaff(
  trx: Trx,
  email: string,
  role: string,
): Promise<{ staff_id: string; role: string; created: boolean; previous_role: string | null }> {
  const existing = await trx
    .selectFrom('staff_member')
    .select(['staff_id', 'role'])
    .where('email', '=', email)
    .forUpdate()
    .executeTakeFirst();
  if (existing) {
    if (existing.role !== role)
      await trx.updateTable('staff_member').set({ role }).where('staff_id', '=', existing.staff_id).execute();
    return { staff_id: existing.staff_id, role, created: false, previous_role: existing.role };
  }
  const row = await trx
    .insertInto('staff_member')
    .values({ email, role })
    .returning('staff_id')
    .executeTakeFirstOrThrow();
  return { staff_id: row.staff_id, role, created: true, previous_role: null };
}

export async function insertStaffToken(
  trx: Trx,
  row: { staff_id: string; token_hash: string; name: string; role: string; scopes: string[] | null; expires_at: Date },
): Promise<string> {
  const r = await trx.insertInto('staff_token').values(row).returning('token_id').executeTakeFirstOrThrow();
  return r.token_id;
}

export function listStaffTokens(trx: Trx) {
  return trx
    .selectFrom('staff_token')
    .innerJoin('staff_member', 'staff_member.staff_id', 'staff_token.staff_id')
    .select([
      'staff_token.token_id',
      'staff_token.staff_id',
      'staff_member.email',
      'staff_token.role',
      'staff_token.name',
      'staff_token.scopes',
      'staff_token.created_at',
      'staff_token.expires_at',
      'staff_token.last_used_at',
      'staff_token.revoked_at',
    ])
    .orderBy('staff_token.created_at')
    .execute();
}

export async function revokeStaffToken(trx: Trx, tokenId: string, at: Date) {
  const found = await trx
    .selectFrom('staff_token')
    .select(['token_id', 'revoked_at'])
    .where('token_id', '=', tokenId)
    .forUpdate()
    .executeTakeFirst();
  if (!found || found.revoked_at) return found;
  await trx.updateTable('staff_token').set({ revoked_at: at }).where('token_id', '=', tokenId).execute();
  return { ...found, revoked_at: null };
}
