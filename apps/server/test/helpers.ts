/** Small builders shared by tests: an operator context, a provisioned tenant with its token. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Trx } from '../src/db/database.ts';
import { PLATFORM, type ServiceContext } from '../src/domains/auth/principal.ts';
import { provisionTenant } from '../src/domains/tenants/tenants.service.ts';

export function operator(db: Database): ServiceContext {
  return { db, principal: PLATFORM };
}

export async function newTenant(db: Database, tier: 'trial' | 'standard' | 'enterprise' = 'standard') {
  const org = `Test Roofing ${randomUUID()}`; // the whole UUID: two tenants of one suite must never share an org key
  const t = await provisionTenant(operator(db), {
    org_name: org,
    tier,
    admin_email: `admin@${org.replace(/\W/g, '').toLowerCase()}.example`,
  });
  if (!t.admin_token) throw new Error('expected a new tenant');
  return { tenantId: t.tenant_id, token: t.admin_token, orgName: org, view: t };
}

export function tenantCtx(db: Database, tenantId: string): ServiceContext {
  return { db, principal: { kind: 'tenant', tenantId, userId: randomUUID(), role: 'admin' } };
}

/**
 * Runs `read` in a tenant transaction twice, with the planner's own plan and with index scans off, and returns both
 * answers. Rows with equal sort keys leave an index scan in index order and a scan-and-sort in table order: a query
 * whose order is not fully determined by its ORDER BY gives two different answers.
 */
export async function underBothPlans<T>(
  db: Database,
  tenantId: string,
  read: (trx: Trx) => Promise<T>,
): Promise<{ index: T; scan: T }> {
  const run = (on: 'on' | 'off') =>
    db.withTenant(tenantId, async (trx) => {
      await sql`select set_config('enable_indexscan', ${on}, true), set_config('enable_bitmapscan', ${on}, true)`.execute(
        trx,
      );
      return read(trx);
    });
  return { index: await run('on'), scan: await run('off') };
}
