/** Small builders shared by tests: an operator context, a provisioned tenant with its token. */
import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/database.ts';
import { PLATFORM, type ServiceContext } from '../src/domains/auth/principal.ts';
import { provisionTenant } from '../src/domains/tenants/tenants.service.ts';

export function operator(db: Database): ServiceContext {
  return { db, principal: PLATFORM };
}

export async function newTenant(db: Database, tier: 'trial' | 'standard' | 'enterprise' = 'standard') {
  const org = `Test Roofing ${randomUUID()}`; // the whole UUID: two tenants of one suite must never share an org key
  const t = await provisionTenant(operator(db), { orgName: org, tier, adminEmail: `admin@${org.replace(/\W/g, '').toLowerCase()}.example` });
  if (!t.admin_token) throw new Error('expected a new tenant');
  return { tenantId: t.tenant_id, token: t.admin_token, orgName: org, view: t };
}

/**
 * Waits until the wall clock has left the current millisecond. PGlite's clock (now(), clock_timestamp()) has
 * millisecond resolution, so two transactions in a row can carry the same timestamp and a "newest first" order
 * between them is a coin toss; call this between writes whose order a test checks.
 */
export async function nextMillisecond(): Promise<void> {
  const start = Date.now();
  while (Date.now() <= start) await new Promise((r) => setTimeout(r, 1));
}

export function tenantCtx(db: Database, tenantId: string): ServiceContext {
  return { db, principal: { kind: 'tenant', tenantId, userId: randomUUID(), role: 'admin' } };
}
