/** Tenant inputs and views, shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { text } from '../fields.ts';

export const TIERS = ['trial', 'standard', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

/** Every switchable capability; the tier sets defaults, the operator may override any of them per tenant. */
export const FEATURES = [
  'uplift_scoring',
  'policy_control',
  'pilot_reports',
  'api_access',
  'pdf_reports',
  'shadow_models',
  'crm_export',
  'custom_policies',
  'sso',
] as const;
export type Feature = (typeof FEATURES)[number];

export const TIER_FEATURES: Record<Tier, readonly Feature[]> = {
  trial: ['uplift_scoring', 'policy_control', 'pilot_reports', 'api_access'],
  standard: [
    'uplift_scoring',
    'policy_control',
    'pilot_reports',
    'api_access',
    'pdf_reports',
    'shadow_models',
    'crm_export',
  ],
  enterprise: FEATURES,
};

export const orgName = text().trim().min(1, 'must not be empty').max(200);
export const tier = z.enum(TIERS, { error: () => `must be one of ${TIERS.join(', ')}` });
export const email = z
  .email({ error: (i) => `${JSON.stringify(i.input)} is not a valid e-mail address` })
  .transform((e) => e.toLowerCase());
export const tenantId = z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` });

/** The tenant an operation acts in: a tenant principal's own (may be omitted), named by an operator or staff. */
export const actingTenantInput = z
  .object({ tenant_id: tenantId.optional().describe('operator only: the tenant to act in') })
  .strict();
export type ActingTenantInput = z.input<typeof actingTenantInput>;
export const featureFlags = z.partialRecord(
  z.enum(FEATURES, { error: () => `feature must be one of ${FEATURES.join(', ')}` }),
  z.boolean(),
);

export const TENANT_STATUSES = ['active', 'suspended'] as const;
const tenantStatus = z.enum(TENANT_STATUSES, { error: () => `must be one of ${TENANT_STATUSES.join(', ')}` });

/** POST /tenants, `tenant provision`, `tenants.provision(...)`. */
export const provisionInput = z.object({ org_name: orgName, tier, admin_email: email }).strict();
export type ProvisionInput = z.input<typeof provisionInput>;

/** GET /tenants, `tenant list`, `tenants.list(...)`. */
export const listTenantsInput = z.object({ status: tenantStatus.optional() }).strict();
export type ListTenantsInput = z.input<typeof listTenantsInput>;

/** PATCH /tenants/:tenant_id, `tenants.update(tenantId, ...)`: null for a flag returns it to its tier default. */
export const updateTenantInput = z
  .object({
    tier: tier.optional(),
    feature_flags: z
      .partialRecord(
        z.enum(FEATURES, { error: () => `feature must be one of ${FEATURES.join(', ')}` }),
        z.boolean().nullable(),
      )
      .optional(),
    status: tenantStatus.optional(),
  })
  .strict();
export type UpdateTenantInput = z.input<typeof updateTenantInput>;

export interface TenantView {
  tenant_id: string;
  org_name: string;
  tier: Tier;
  status: 'active' | 'suspended';
  admin_email: string;
  /** Effective flags: the tier's defaults with this tenant's overrides applied. */
  feature_flags: Record<Feature, boolean>;
  /** Only the overrides set for this tenant. */
  feature_overrides: Partial<Record<Feature, boolean>>;
  created_at: string;
  updated_at: string;
}

export interface ProvisionResult extends TenantView {
  /** False when the org was already provisioned with the same tier and admin (provisioning is idempotent). */
  created: boolean;
  admin_user_id: string;
  /** The admin's bearer credential; shown once, only when the tenant is created. */
  admin_token?: string;
}
