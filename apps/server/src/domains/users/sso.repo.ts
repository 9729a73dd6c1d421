/** SQL for single sign-on: a tenant's provider settings and started logins. Run inside the tenant. */
import type { Trx } from '../../db/database.ts';

export function findConfig(trx: Trx) {
  return trx
    .selectFrom('sso_config')
    .select(['issuer', 'client_id', 'client_secret', 'default_role', 'updated_at'])
    .executeTakeFirst();
}

export async function upsertConfig(
  trx: Trx,
  row: { tenant_id: string; issuer: string; client_id: string; client_secret: string; default_role: string },
): Promise<void> {
  await trx
    .insertInto('sso_config')
    .values(row)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        issuer: row.issuer,
        client_id: row.client_id,
        client_secret: row.client_secret,
        default_role: row.default_role,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function insertLogin(
  trx: Trx,
  row: {
    tenant_id: string;
    state_hash: string;
    nonce: string;
    code_verifier: string;
    return_to: string;
    expires_at: Date;
  },
): Promise<void> {
  await trx.insertInto('sso_login').values(row).execute();
}

/** Takes a started login once: marks it used and returns it (undefined when unknown, used or expired). */
export async function takeLogin(trx: Trx, stateHash: string, now: Date) {
  const row = await trx
    .selectFrom('sso_login')
    .select(['nonce', 'code_verifier', 'return_to', 'expires_at', 'used_at'])
    .where('state_hash', '=', stateHash)
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.used_at || new Date(row.expires_at) <= now) return undefined;
  await trx.updateTable('sso_login').set({ used_at: now }).where('state_hash', '=', stateHash).execute();
  return row;
}
