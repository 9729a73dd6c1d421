/**
 * Tenants: provisioning (idempotent per organisation), tiers, feature flags, suspension, credentials.
 * Platform-wide work runs under the platform role; a tenant may read only itself.
 */
import { randomUUID } from 'node:crypto';
import { AppError, fromDatabaseError } from '../../errors.ts';
import type { TenantRow } from '../../db/schema.ts';
import { authorize, actingTenant, type ServiceContext } from '../auth/principal.ts';
import { forgetTenantCredentials, issueToken } from '../auth/tokens.ts';
import { audit } from '../audit/audit.service.ts';
import { assignPlan } from '../billing/plans.service.ts';
import * as repo from './tenants.repo.ts';
import { effectiveFlags } from './tenant-flags.ts';

export { effectiveFlags };
import {
  listTenantsInput,
  provisionInput,
  tenantId as tenantIdSchema,
  updateTenantInput,
  type Feature,
  type ListTenantsInput,
  type ProvisionInput,
  type UpdateTenantInput,
  type ProvisionResult,
  type TenantView,
  type Tier,
} from './tenants.schema.ts';
import { parse } from '../validate.ts';

/** Case, spacing and punctuation do not make a different organisation. */
export function orgKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function toView(row: TenantRow): TenantView {
  const tier = row.tier as Tier;
  const overrides = row.feature_flags as Partial<Record<Feature, boolean>>;
  return {
    tenant_id: row.tenant_id,
    org_name: row.org_name,
    tier,
    status: row.status as TenantView['status'],
    admin_email: row.admin_email,
    feature_flags: effectiveFlags(tier, overrides),
    feature_overrides: overrides,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export async function provisionTenant(ctx: ServiceContext, input: ProvisionInput): Promise<ProvisionResult> {
  authorize(ctx, 'tenant:admin');
  const { org_name: orgName, tier, admin_email: adminEmail } = parse(provisionInput, input);
  const key = orgKey(orgName);
  try {
    return await ctx.db.withPlatform(async (trx) => {
      const existing = await repo.findTenantByOrgKey(trx, key);
      if (existing) return sameRequestOrConflict(trx, existing, tier, adminEmail);
      const tenant = await repo.insertTenant(trx, {
        tenant_id: randomUUID(),
        org_name: orgName,
        org_key: key,
        tier,
        admin_email: adminEmail,
      });
      await assignPlan(trx, tenant.tenant_id, tier);
      const admin = await repo.insertUser(trx, { tenant_id: tenant.tenant_id, email: adminEmail, role: 'admin' });
      const { token, token_id, expires_at } = await issueToken(trx, {
        tenantId: tenant.tenant_id,
        userId: admin.user_id,
        role: 'admin',
        name: 'admin (provisioning)',
      });
      const id = tenant.tenant_id;
      await audit(trx, ctx, id, 'tenant.provision', ['tenant', id], undefined, {
        org_name: orgName,
        tier,
        admin_email: adminEmail,
      });
      await audit(trx, ctx, id, 'user.create', ['user', admin.user_id], undefined, {
        email: adminEmail,
        role: 'admin',
      });
      await audit(trx, ctx, id, 'credential.issue', ['credential', token_id], undefined, { role: 'admin', expires_at });
      return { ...toView(tenant), created: true, admin_user_id: admin.user_id, admin_token: token };
    });
  } catch (err) {
    // A concurrent provisioning of the same org won the race: answer as the idempotent repeat.
    if (fromDatabaseError(err)?.code === 'CONFLICT') {
      return ctx.db.withPlatform(async (trx) => {
        const existing = await repo.findTenantByOrgKey(trx, key);
        if (!existing) throw err;
        return sameRequestOrConflict(trx, existing, tier, adminEmail);
      });
    }
    throw err;
  }
}

async function sameRequestOrConflict(
  trx: Parameters<typeof repo.findTenant>[0],
  existing: TenantRow,
  tier: Tier,
  adminEmail: string,
): Promise<ProvisionResult> {
  if (existing.tier !== tier || existing.admin_email !== adminEmail) {
    throw new AppError(
      'CONFLICT',
      `organisation "${existing.org_name}" is already provisioned (tenant ${existing.tenant_id}, tier ${existing.tier}, admin ${existing.admin_email}); change its tier with 'tenant set-tier'`,
      { tenant_id: existing.tenant_id, tier: existing.tier, admin_email: existing.admin_email },
    );
  }
  const admin = await repo.findUserByEmail(trx, existing.tenant_id, adminEmail);
  return { ...toView(existing), created: false, admin_user_id: admin?.user_id ?? '' };
}

export async function listTenants(ctx: ServiceContext, input: ListTenantsInput = {}): Promise<TenantView[]> {
  authorize(ctx, 'tenants:list');
  const filter = parse(listTenantsInput, input);
  const rows = await ctx.db.withPlatform((trx) => repo.listTenants(trx, filter));
  return rows.map(toView);
}

export async function getTenant(ctx: ServiceContext, tenantId: string): Promise<TenantView> {
  authorize(ctx, 'tenant:read');
  const id = actingTenant(ctx, parse(tenantIdSchema, tenantId, 'tenant_id'));
  const row = await ctx.db.withTenant(id, (trx) => repo.findTenant(trx, id));
  if (!row) throw new AppError('NOT_FOUND', `tenant ${id} not found`, { tenant_id: id });
  return toView(row);
}

/** Changes tier, flag overrides and status together: all validated first, then written in one transaction. */
export async function updateTenant(
  ctx: ServiceContext,
  tenantId: string,
  input: UpdateTenantInput,
): Promise<TenantView> {
  authorize(ctx, 'tenant:admin');
  const id = parse(tenantIdSchema, tenantId, 'tenant_id');
  const { tier, status, feature_flags: flags } = parse(updateTenantInput, input);
  const sets =
    flags &&
    (Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== null)) as Partial<Record<Feature, boolean>>);
  const row = await ctx.db.withPlatform(async (trx) => {
    const current = await repo.findTenantForUpdate(trx, id);
    if (!current) return undefined;
    const patch: Parameters<typeof repo.updateTenant>[2] = { ...(tier ? { tier } : {}), ...(status ? { status } : {}) };
    if (flags) {
      const merged: Partial<Record<Feature, boolean>> = {
        ...(current.feature_flags as Partial<Record<Feature, boolean>>),
        ...sets,
      };
      for (const [k, v] of Object.entries(flags)) if (v === null) delete merged[k as Feature];
      patch.feature_flags = JSON.stringify(merged);
    }
    const updated = await repo.updateTenant(trx, id, patch);
    // A new plan from now on: the period's invoice prorates the two by the day.
    if (updated && tier && tier !== current.tier) await assignPlan(trx, id, tier);
    const before = { tier: current.tier, status: current.status, feature_flags: current.feature_flags };
    const after = updated && { tier: updated.tier, status: updated.status, feature_flags: updated.feature_flags };
    if (updated) await audit(trx, ctx, id, 'tenant.update', ['tenant', id], before, after);
    return updated;
  });
  if (!row) throw new AppError('NOT_FOUND', `tenant ${id} not found`, { tenant_id: id });
  // Credentials carry the tenant's status and flags: forget them, so the change holds from the next request.
  if (status || flags) forgetTenantCredentials(ctx.db, id);
  return toView(row);
}

export function setTier(ctx: ServiceContext, tenantId: string, tier: Tier): Promise<TenantView> {
  return updateTenant(ctx, tenantId, { tier });
}

export function setFeatureFlags(
  ctx: ServiceContext,
  tenantId: string,
  flags: Partial<Record<Feature, boolean | null>>,
): Promise<TenantView> {
  return updateTenant(ctx, tenantId, { feature_flags: flags });
}

export function setStatus(ctx: ServiceContext, tenantId: string, status: 'active' | 'suspended'): Promise<TenantView> {
  return updateTenant(ctx, tenantId, { status });
}

export { createCredential, listCredentials, revokeCredential } from './credentials.service.ts';
