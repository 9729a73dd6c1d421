import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../../test/helpers.ts';
import { authenticate } from '../auth/tokens.ts';
import * as tenants from './tenants.service.ts';

/** The token with its last character changed (to a different one, whatever it was). */
function tamper(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

describeEachDatabase('tenants', (t) => {
  it('provisions a tenant with its admin, a working credential and tier flags', async () => {
    const { db } = t();
    const r = await tenants.provisionTenant(operator(db), {
      org_name: 'DFW Elite Roofing',
      tier: 'standard',
      admin_email: 'Admin@DFWElite.com',
    });
    expect(r).toMatchObject({ created: true, tier: 'standard', status: 'active', admin_email: 'admin@dfwelite.com' });
    expect(r.tenant_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.feature_flags).toMatchObject({ pdf_reports: true, sso: false, uplift_scoring: true });
    const principal = await authenticate(db, undefined, r.admin_token ?? '');
    expect(principal).toMatchObject({ kind: 'tenant', tenantId: r.tenant_id, userId: r.admin_user_id, role: 'admin' });
  });

  it('returns the same tenant for the same org (case and punctuation aside), and refuses a conflicting request', async () => {
    const { db } = t();
    const first = await tenants.provisionTenant(operator(db), {
      org_name: 'Hail Pros LLC',
      tier: 'trial',
      admin_email: 'a@hailpros.com',
    });
    const again = await tenants.provisionTenant(operator(db), {
      org_name: '  hail pros, llc ',
      tier: 'trial',
      admin_email: 'A@hailpros.com',
    });
    expect(again).toMatchObject({ created: false, tenant_id: first.tenant_id, admin_user_id: first.admin_user_id });
    expect(again.admin_token).toBeUndefined();
    await expect(
      tenants.provisionTenant(operator(db), {
        org_name: 'Hail Pros LLC',
        tier: 'enterprise',
        admin_email: 'a@hailpros.com',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(first.tenant_id) });
  });

  it('provisions once under concurrent identical requests', async () => {
    const { db } = t();
    const input = { org_name: 'Race Roofing', tier: 'standard' as const, admin_email: 'r@race.com' };
    const all = await Promise.all(Array.from({ length: 6 }, () => tenants.provisionTenant(operator(db), input)));
    expect(new Set(all.map((r) => r.tenant_id)).size).toBe(1);
    expect(all.filter((r) => r.created)).toHaveLength(1);
  });

  it.each([
    [{ org_name: '', tier: 'trial', admin_email: 'a@b.com' }, 'org_name'],
    [{ org_name: 'X', tier: 'gold', admin_email: 'a@b.com' }, 'tier'],
    [{ org_name: 'X', tier: 'trial', admin_email: 'not-an-email' }, 'admin_email'],
  ])('refuses bad input %j naming the field', async (input, field) => {
    await expect(tenants.provisionTenant(operator(t().db), input as never)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining(field),
    });
  });

  it('changes tier (flags follow), overrides and resets flags, suspends and reactivates', async () => {
    const { db } = t();
    const { tenantId, token } = await newTenant(db, 'trial');
    expect((await tenants.getTenant(operator(db), tenantId)).feature_flags.pdf_reports).toBe(false);
    expect((await tenants.setTier(operator(db), tenantId, 'enterprise')).feature_flags.sso).toBe(true);
    const off = await tenants.setFeatureFlags(operator(db), tenantId, { sso: false });
    expect(off.feature_flags.sso).toBe(false);
    expect(off.feature_overrides).toEqual({ sso: false });
    expect((await tenants.setFeatureFlags(operator(db), tenantId, { sso: null })).feature_flags.sso).toBe(true);
    await expect(tenants.setFeatureFlags(operator(db), tenantId, { teleport: true } as never)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await authenticate(db, undefined, token); // now cached: suspension must still take effect at once
    await tenants.setStatus(operator(db), tenantId, 'suspended');
    await expect(authenticate(db, undefined, token)).rejects.toMatchObject({ code: 'TENANT_SUSPENDED' });
    await tenants.setStatus(operator(db), tenantId, 'active');
    await expect(authenticate(db, undefined, token)).resolves.toMatchObject({ kind: 'tenant', tenantId });
  });

  it('applies a combined change all or nothing', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db, 'trial');
    await expect(
      tenants.updateTenant(operator(db), tenantId, { tier: 'enterprise', status: 'closed' as never }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('status'),
    });
    expect((await tenants.getTenant(operator(db), tenantId)).tier).toBe('trial');
    const both = await tenants.updateTenant(operator(db), tenantId, {
      tier: 'enterprise',
      feature_flags: { sso: false },
      status: 'suspended',
    });
    expect(both).toMatchObject({ tier: 'enterprise', status: 'suspended', feature_overrides: { sso: false } });
  });

  it('lists for the operator only; a tenant reads only itself', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const other = await newTenant(db);
    expect((await tenants.listTenants(operator(db))).map((x) => x.tenant_id)).toContain(tenantId);
    await expect(tenants.listTenants(tenantCtx(db, tenantId))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await tenants.getTenant(tenantCtx(db, tenantId), tenantId)).tenant_id).toBe(tenantId);
    await expect(tenants.getTenant(tenantCtx(db, tenantId), other.tenantId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(tenants.getTenant(operator(db), 'not-a-uuid')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(tenants.getTenant(operator(db), '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('issues further credentials and rejects unknown or malformed tokens', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const cred = await tenants.createCredential(operator(db), {
      tenant_id: tenantId,
      email: 'viewer@x.com',
      role: 'viewer',
    });
    await expect(authenticate(db, undefined, cred.token)).resolves.toMatchObject({ role: 'viewer' });
    await expect(authenticate(db, undefined, tamper(cred.token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(authenticate(db, undefined, 'garbage')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(
      tenants.createCredential(operator(db), { tenant_id: tenantId, email: 'not-an-email', role: 'analyst' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('email'),
    });
    await expect(
      tenants.createCredential(operator(db), { tenant_id: tenantId, email: 'x@y.com', role: 'wizard' as never }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('role'),
    });
  });
});
