/** SQL for tenant credentials (api_token): list with the user's e-mail, revoke. Run inside the tenant. */
import type { Trx } from '../../db/database.ts';

export function listCredentials(trx: Trx) {
  return trx
    .selectFrom('api_token')
    .innerJoin('app_user', (j) =>
      j.onRef('app_user.tenant_id', '=', 'api_token.tenant_id').onRef('app_user.user_id', '=', 'api_token.user_id'),
    )
    .select([
      'api_token.token_id',
      'api_token.user_id',
      'app_user.email',
      'api_token.role',
      'api_token.name',
      'api_token.scopes',
      'api_token.grants',
      'api_token.created_at',
      'api_token.expires_at',
      'api_token.last_used_at',
      'api_token.revoked_at',
    ])
    .orderBy('api_token.created_at')
    .orderBy('api_token.token_id')
    .execute();
}

export function findCredential(trx: Trx, tokenId: string) {
  return trx
    .selectFrom('api_token')
    .select(['token_id', 'user_id', 'role', 'name', 'revoked_at', 'expires_at'])
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
}

export async function revokeCredential(trx: Trx, tokenId: string, at: Date): Promise<boolean> {
  const r = await trx
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('token_id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
