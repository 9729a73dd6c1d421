/**
 * Tenants: provisioning (idempotent per organisation), tiers, feature flags, suspension, credentials.
 * Platform-wide work runs under the platform role; a tenant may read only itself.
 */
import { randomUUID } from 'node:crypto';
import { AppError, fromDatabaseError } from '../../errors.ts';
import type { TenantRow } from '../../db/schema.ts';
import { z } from 'zod';
import { USER_ROLES, actingTenant, requirePlatform, type ServiceContext, type UserRole } from '../auth/principal.ts';
import { forgetTenantCredentials, issueToken } from '../auth/tokens.ts';
import * as repo from './tenants.repo.ts';
import {
  FEATURES,
  TIER_FEATURES,
  email as emailSchema,
  featureFlags as featureFlagsSchema,
  provisionInput,
  tenantId as tenantIdSchema,
  tier as tierSchema,
  type Feature,
  type ProvisionInput,
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

export function effectiveFlags(tier: Tier, overrides: Partial<Record<Feature, boolean>>): Record<Feature, boolean> {
  const on = new Set(TIER_FEATURES[tier]);
  return Object.fromEntries(FEATURES.map((f) => [f, overrides[f] ?? on.has(f)])) as Record<Feature, boolean>;
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
  requirePlatform(ctx, 'provisioning a tenant');
  const { orgName, tier, adminEmail } = parse(provisionInput, input);
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
      const admin = await repo.insertUser(trx, { tenant_id: tenant.tenant_id, email: adminEmail, role: 'admin' });
      const { token } = await issueToken(trx, {
        tenantId: tenant.tenant_id,
        userId: admin.user_id,
        role: 'admin',
        name: 'admin (provisioning)',
      });
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

export async function listTenants(
  ctx: ServiceContext,
  filter: { status?: 'active' | 'suspended' } = {},
): Promise<TenantView[]> {
  requirePlatform(ctx, 'listing tenants');
  const rows = await ctx.db.withPlatform((trx) => repo.listTenants(trx, filter));
  return rows.map(toView);
}

export async function getTenant(ctx: ServiceContext, tenantId: string): Promise<TenantView> {
  const id = actingTenant(ctx, parse(tenantIdSchema, tenantId, 'tenant_id'));
  const row = await ctx.db.withTenant(id, (trx) => repo.findTenant(trx, id));
  if (!row) throw new AppError('NOT_FOUND', `tenant ${id} not found`, { tenant_id: id });
  return toView(row);
}

export interface TenantChange {
  tier?: Tier;
  /** Overrides to merge; `null` for a flag returns it to the tier default. */
  featureFlags?: Partial<Record<Feature, boolean | null>>;
  status?: 'active' | 'suspended';
}

/** Changes tier, flag overrides and status together: all validated first, then written in one transaction. */
export async function updateTenant(ctx: ServiceContext, tenantId: string, change: TenantChange): Promise<TenantView> {
  requirePlatform(ctx, 'changing a tenant');
  const id = parse(tenantIdSchema, tenantId, 'tenant_id');
  const tier = change.tier === undefined ? undefined : parse(tierSchema, change.tier, 'tier');
  const status =
    change.status === undefined ? undefined : parse(z.enum(['active', 'suspended']), change.status, 'status');
  const flags = change.featureFlags;
  const sets =
    flags &&
    parse(featureFlagsSchema, Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== null)), 'feature_flags');
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
    return repo.updateTenant(trx, id, patch);
  });
  if (!row) throw new AppError('NOT_FOUND', `tenant ${id} not found`, { tenant_id: id });
  if (status) forgetTenantCredentials(ctx.db, id);
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
  return updateTenant(ctx, tenantId, { featureFlags: flags });
}

export function setStatus(ctx: ServiceContext, tenantId: string, status: 'active' | 'suspended'): Promise<TenantView> {
  return updateTenant(ctx, tenantId, { status });
}

/** A new bearer credential for a user of the tenant (created with the role if the e-mail is new). */
export async function createCredential(
  ctx: ServiceContext,
  input: { tenantId: string; email: string; role: UserRole; name?: string },
): Promise<{ token: string; token_id: string; user_id: string; role: UserRole }> {
  requirePlatform(ctx, 'issuing credentials');
  const id = parse(tenantIdSchema, input.tenantId, 'tenant_id');
  const email = parse(emailSchema, input.email, 'email');
  const role = parse(
    z.enum(USER_ROLES, { error: () => `must be one of ${USER_ROLES.join(', ')}` }),
    input.role,
    'role',
  );
  await getTenant(ctx, id);
  return ctx.db.withTenant(id, async (trx) => {
    const user =
      (await repo.findUserByEmail(trx, id, email)) ?? (await repo.insertUser(trx, { tenant_id: id, email, role }));
    const issued = await issueToken(trx, { tenantId: id, userId: user.user_id, role, name: input.name ?? role });
    return { ...issued, user_id: user.user_id, role };
  });
}
