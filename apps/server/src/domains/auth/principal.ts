/**
 * Who is acting, and the context every service function takes first. Services begin with an access check built
 * from these helpers; they never see HTTP or CLI objects.
 */
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

export const USER_ROLES = ['admin', 'analyst', 'canvasser', 'customer_success'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type Principal =
  | { readonly kind: 'platform' }
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly userId: string; readonly role: UserRole };

export interface ServiceContext {
  readonly db: Database;
  readonly principal: Principal;
}

export const PLATFORM: Principal = Object.freeze({ kind: 'platform' });

export function requirePlatform(ctx: ServiceContext, action: string): void {
  if (ctx.principal.kind !== 'platform') {
    throw new AppError('FORBIDDEN', `${action} needs the operator's platform credential`);
  }
}

/**
 * The tenant a call acts in. A tenant principal always acts in its own tenant (naming another reads as "not found",
 * so ids of other tenants leak nothing); the platform must name one.
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

export function requireRole(ctx: ServiceContext, roles: readonly UserRole[], action: string): void {
  const p = ctx.principal;
  if (p.kind === 'tenant' && !roles.includes(p.role)) {
    throw new AppError('FORBIDDEN', `${action} needs role ${roles.join(' or ')}; this credential has ${p.role}`);
  }
}
