/** SQL for tenants and their users. Functions take a transaction first and hold no business rules. */
import type { Trx } from '../../db/database.ts';
import type { TenantRow } from '../../db/schema.ts';

export function findTenantByOrgKey(trx: Trx, orgKey: string): Promise<TenantRow | undefined> {
  return trx.selectFrom('tenant').selectAll().where('org_key', '=', orgKey).executeTakeFirst();
}

export function findTenant(trx: Trx, tenantId: string): Promise<TenantRow | undefined> {
  return trx.selectFrom('tenant').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export function findTenantForUpdate(trx: Trx, tenantId: string): Promise<TenantRow | undefined> {
  return trx.selectFrom('tenant').selectAll().where('tenant_id', '=', tenantId).forUpdate().executeTakeFirst();
}

export function listTenants(trx: Trx, filter: { status?: string }): Promise<TenantRow[]> {
  let q = trx.selectFrom('tenant').selectAll().orderBy('created_at').orderBy('tenant_id');
  if (filter.status) q = q.where('status', '=', filter.status);
  return q.execute();
}

export function insertTenant(
  trx: Trx,
  row: { tenant_id: string; org_name: string; org_key: string; tier: string; admin_email: string },
): Promise<TenantRow> {
  return trx
    .insertInto('tenant')
    .values({ ...row, feature_flags: '{}' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateTenant(
  trx: Trx,
  tenantId: string,
  patch: { tier?: string; status?: string; feature_flags?: string },
): Promise<TenantRow | undefined> {
  return trx
    .updateTable('tenant')
    .set({ ...patch, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
}

export function insertUser(
  trx: Trx,
  row: { tenant_id: string; email: string; role: string },
): Promise<{ user_id: string }> {
  return trx.insertInto('app_user').values(row).returning('user_id').executeTakeFirstOrThrow();
}

export function findUserByEmail(
  trx: Trx,
  tenantId: string,
  email: string,
): Promise<{ user_id: string; role: string } | undefined> {
  return trx
    .selectFrom('app_user')
    .select(['user_id', 'role'])
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
}
