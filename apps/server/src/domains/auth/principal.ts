/**
 * Who is acting, and the context every service function takes first. Services begin with `authorize(ctx, action)`
 * against the permission table (permissions.ts); they never see HTTP or CLI objects.
 */
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { Feature } from '../tenants/tenants.schema.ts';
import {
  GRANTABLE,
  PERMISSIONS,
  TENANT_ROLES,
  roleHolds,
  type Action,
  type Role,
  type StaffRole,
  type TenantRole,
} from './permissions.ts';

/** Tenant roles (kept under the old name for callers that list them). */
export const USER_ROLES = TENANT_ROLES;
export type UserRole = TenantRole;

interface Credential {
  /** The credential's id (absent for the SDK's asTenant and other in-process principals). */
  readonly tokenId?: string;
  /** A credential may carry a subset of its role's permissions; undefined: all of them. */
  readonly scopes?: readonly Action[];
  /** Actions granted beyond the role's defaults (only from GRANTABLE). */
  readonly grants?: readonly Action[];
  /** When the credential stops working (ms since epoch). */
  readonly expiresAt?: number;
}

export type Principal =
  | { readonly kind: 'platform' }
  | ({
      readonly kind: 'staff';
      readonly staffId: string;
      readonly email: string;
      readonly role: StaffRole;
    } & Credential)
  | ({
      readonly kind: 'tenant';
      readonly tenantId: string;
      readonly userId: string;
      readonly role: TenantRole;
      /** The tenant's effective feature flags when the credential was verified. */
      readonly features?: Readonly<Record<Feature, boolean>>;
      /** Set when a person signed in with a browser session (cookie) rather than a bearer credential. */
      readonly sessionId?: string;
    } & Credential);

export interface ServiceContext {
  readonly db: Database;
  readonly principal: Principal;
  /** The HTTP request id or the CLI run id, written into audit rows. */
  readonly requestId?: string;
}

export const PLATFORM: Principal = Object.freeze({ kind: 'platform' });

export function roleOf(p: Principal): Role {
  return p.kind === 'platform' ? 'operator' : p.role;
}

/** True when the principal may take the action (role or grant, within its scopes); feature flags not considered. */
export function holds(p: Principal, action: Action): boolean {
  if (p.kind === 'platform') return true;
  const granted = p.grants?.includes(action) === true && (GRANTABLE[p.role] ?? []).includes(action);
  if (!roleHolds(p.role, action) && !granted) return false;
  return p.scopes === undefined || p.scopes.includes(action);
}

function denial(p: Principal, action: Action): AppError {
  const who = p.kind === 'platform' ? 'operator' : `role ${p.role}`;
  const scoped = p.kind !== 'platform' && p.scopes !== undefined && roleHolds(p.role, action);
  const message = scoped
    ? `${action} is outside this credential's scopes (${p.scopes?.join(', ') || 'none'})`
    : `${action} needs role ${PERMISSIONS[action].roles.join(' or ')}; this credential has ${who}`;
  return new AppError('FORBIDDEN', message, { permission: action });
}

/**
 * The access check every service function starts with. A tenant principal's own feature flags are checked here too
 * (they came with its credential); `requireFeature` checks them for callers that name a tenant.
 */
export function authorize(ctx: ServiceContext | { principal: Principal }, action: Action): void {
  const p = ctx.principal;
  if (!holds(p, action)) throw denial(p, action);
  const feature: Feature | undefined = (PERMISSIONS[action] as { feature?: Feature }).feature;
  if (feature && p.kind === 'tenant' && p.features && !p.features[feature]) throw featureDisabled(feature);
}

export function featureDisabled(feature: Feature): AppError {
  return new AppError('FEATURE_DISABLED', `the ${feature} feature is not enabled for this tenant (ask the operator)`, {
    feature,
  });
}

/** @deprecated use authorize(ctx, action): kept for callers outside the permission table. */
export function requirePlatform(ctx: ServiceContext, action: string): void {
  if (ctx.principal.kind !== 'platform') {
    throw new AppError('FORBIDDEN', `${action} needs the operator's platform credential`);
  }
}

/**
 * The tenant a call acts in. A tenant principal always acts in its own tenant (naming another reads as "not found",
 * so ids of other tenants leak nothing); the operator and staff must name one.
 */
export function actingTenant(ctx: ServiceContext, tenantId?: string): string {
  const p = ctx.principal;
  if (p.kind === 'tenant') {
    if (tenantId !== undefined && tenantId !== p.tenantId)
      throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`);
    return p.tenantId;
  }
  if (!tenantId)
    throw new AppError('VALIDATION', 'a tenant id is required for this platform call', { field: 'tenant_id' });
  return tenantId;
}
