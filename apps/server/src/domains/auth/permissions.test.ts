/** The permission table: docs/access-control.md is generated from it, and every role and flag it names is real. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FEATURES } from '../tenants/tenants.schema.ts';
import { renderAccessControlDoc } from './access-doc.ts';
import { ACTIONS, PERMISSIONS, ROLES, actionsOf } from './permissions.ts';
import { authorize, type Principal } from './principal.ts';

it('docs/access-control.md is the generated matrix (regenerate: npx tsx apps/server/src/domains/auth/access-doc.ts)', () => {
  const file = readFileSync(new URL('../../../../../docs/access-control.md', import.meta.url), 'utf8');
  expect(file).toBe(renderAccessControlDoc());
});

it('names only known roles and flags; the operator holds everything; staff never hold tenant data', () => {
  for (const a of ACTIONS) {
    const spec = PERMISSIONS[a] as { roles: readonly string[]; feature?: string };
    for (const r of spec.roles) expect(ROLES).toContain(r);
    if (spec.feature) expect(FEATURES).toContain(spec.feature);
    expect(spec.roles).toContain('operator');
  }
  const data = ['properties:read', 'outcomes:read', 'reports:read', 'storms:read', 'models:read', 'health:read'];
  for (const staff of ['customer_success_manager', 'support'] as const)
    expect(actionsOf(staff).filter((a) => data.includes(a))).toEqual([]);
  expect(actionsOf('customer_success_manager')).toContain('billing:read');
  // Support reads, and like everyone may ask who it is signed in as (account:self).
  expect(
    actionsOf('support').every(
      (a) => a.endsWith(':read') || a.endsWith(':list') || a.endsWith(':health') || a === 'account:self',
    ),
  ).toBe(true);
  // A viewer reads, and manages only its own sign-in (who am I, sign out).
  expect(actionsOf('viewer').every((a) => a.endsWith(':read') || a === 'account:self')).toBe(true);
});

it('authorize: role, scopes, grants and tenant flags', () => {
  const tenant = (extra: Partial<Extract<Principal, { kind: 'tenant' }>> = {}): { principal: Principal } => ({
    principal: { kind: 'tenant', tenantId: 't', userId: 'u', role: 'analyst', ...extra },
  });
  expect(() => authorize(tenant(), 'storms:write')).not.toThrow();
  expect(() => authorize(tenant(), 'policy:apply')).toThrow(/policy:apply needs role operator or admin/);
  expect(() => authorize(tenant({ grants: ['policy:apply'] }), 'policy:apply')).not.toThrow();
  expect(() => authorize(tenant({ grants: ['users:admin'] }), 'users:admin')).toThrow(/FORBIDDEN|needs role/);
  expect(() => authorize(tenant({ scopes: ['outcomes:write'] }), 'storms:write')).toThrow(/outside this credential/);
  expect(() => authorize(tenant({ scopes: ['outcomes:write'] }), 'outcomes:write')).not.toThrow();
  const off = Object.fromEntries(FEATURES.map((f) => [f, f !== 'uplift_scoring'])) as never;
  expect(() => authorize(tenant({ features: off }), 'scoring:run')).toThrow(
    expect.objectContaining({ code: 'FEATURE_DISABLED', details: { feature: 'uplift_scoring' } }),
  );
  expect(() => authorize({ principal: { kind: 'platform' } }, 'tenant:admin')).not.toThrow();
});
