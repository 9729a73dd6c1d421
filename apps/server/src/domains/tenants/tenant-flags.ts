/**
 * Feature flags in force for a tenant (its tier's defaults with the operator's overrides), and the check that a gated
 * action's flag is on: a disabled feature is FEATURE_DISABLED (403) naming the flag, for every principal.
 */
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { featureDisabled, type ServiceContext } from '../auth/principal.ts';
import { FEATURES, TIER_FEATURES, type Feature, type Tier } from './tenants.schema.ts';
import * as repo from './tenants.repo.ts';

export function effectiveFlags(tier: Tier, overrides: Partial<Record<Feature, boolean>>): Record<Feature, boolean> {
  const on = new Set(TIER_FEATURES[tier]);
  return Object.fromEntries(FEATURES.map((f) => [f, overrides[f] ?? on.has(f)])) as Record<Feature, boolean>;
}

/**
 * Throws FEATURE_DISABLED unless `feature` is on in the tenant. A tenant credential carries its flags (verified
 * with it); the operator's and staff calls read them, inside `trx` when the caller already holds the tenant's.
 */
export async function requireFeature(
  ctx: ServiceContext,
  tenantId: string,
  feature: Feature,
  trx?: Trx,
): Promise<void> {
  const p = ctx.principal;
  if (p.kind === 'tenant' && p.tenantId === tenantId && p.features) {
    if (!p.features[feature]) throw featureDisabled(feature);
    return;
  }
  const row = trx
    ? await repo.findTenant(trx, tenantId)
    : await ctx.db.withTenant(tenantId, (t) => repo.findTenant(t, tenantId));
  if (!row) throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`, { tenant_id: tenantId });
  const flags = effectiveFlags(row.tier as Tier, row.feature_flags as Partial<Record<Feature, boolean>>);
  if (!flags[feature]) throw featureDisabled(feature);
}
