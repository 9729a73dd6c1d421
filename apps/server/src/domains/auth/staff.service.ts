/**
 * Platform staff (customer_success_manager, support): credentials issued by the operator, shown once, with scopes
 * (a subset of the staff role), an expiry, listing with last use, and revocation. Audited in the platform's log.
 */
import { AppError } from '../../errors.ts';
import { recordPlatformAudit } from '../audit/audit.service.ts';
import { parse } from '../validate.ts';
import { STAFF_ROLES, STAFF_ROLE_ALIASES, type Action, type StaffRole } from './permissions.ts';
import { authorize, type ServiceContext } from './principal.ts';
import { checkScopes } from './scopes.ts';
import * as repo from './staff.repo.ts';
import { expiryFrom, forgetCredential, hashToken, newStaffToken } from './tokens.ts';
import {
  revokeStaffCredentialInput,
  staffCredentialInput,
  type RevokeStaffCredentialInput,
  type StaffCredentialInput,
} from './staff.schema.ts';

/** The canonical staff role of a name or one of its aliases (the playbook's `CustomerSuccessManager`). */
export function staffRole(name: string): StaffRole {
  const role = STAFF_ROLES.find((r) => r === name) ?? STAFF_ROLE_ALIASES[name];
  if (!role)
    throw new AppError('VALIDATION', `role: must be one of ${STAFF_ROLES.join(', ')} (or CustomerSuccessManager)`, {
      field: 'role',
    });
  return role;
}

export async function createStaffCredential(ctx: ServiceContext, input: StaffCredentialInput) {
  authorize(ctx, 'platform:admin');
  const i = parse(staffCredentialInput, input);
  const role = staffRole(i.role);
  const scopes = checkScopes(role, i.scopes);
  const token = newStaffToken();
  const expires = expiryFrom(i.expires_in_days);
  return ctx.db.withPlatform(async (trx) => {
    const staff = await repo.upsertStaff(trx, i.email, role);
    if (staff.previous_role !== role)
      await recordPlatformAudit(trx, ctx, {
        action: staff.created ? 'staff.create' : 'staff.role',
        targetType: 'staff',
        targetId: staff.staff_id,
        before: staff.previous_role ? { role: staff.previous_role } : undefined,
        after: { email: i.email, role },
      });
    const tokenId = await repo.insertStaffToken(trx, {
      staff_id: staff.staff_id,
      token_hash: hashToken(token),
      name: i.name ?? role,
      role,
      scopes: scopes ?? null,
      expires_at: expires,
    });
    const view = {
      token_id: tokenId,
      staff_id: staff.staff_id,
      email: i.email,
      role,
      scopes: (scopes ?? null) as Action[] | null,
      expires_at: expires.toISOString(),
    };
    await recordPlatformAudit(trx, ctx, {
      action: 'credential.issue',
      targetType: 'staff_credential',
      targetId: tokenId,
      after: view,
    });
    return { token, ...view };
  });
}

export async function listStaffCredentials(ctx: ServiceContext) {
  authorize(ctx, 'platform:admin');
  const now = Date.now();
  const rows = await ctx.db.withPlatform((trx) => repo.listStaffTokens(trx));
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    ...r,
    status: r.revoked_at ? 'revoked' : r.expires_at && new Date(r.expires_at).getTime() <= now ? 'expired' : 'active',
    created_at: new Date(r.created_at).toISOString(),
    expires_at: iso(r.expires_at),
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  }));
}

export async function revokeStaffCredential(ctx: ServiceContext, input: RevokeStaffCredentialInput) {
  authorize(ctx, 'platform:admin');
  const tokenId = parse(revokeStaffCredentialInput, input).token_id;
  const at = new Date();
  const result = await ctx.db.withPlatform(async (trx) => {
    const found = await repo.revokeStaffToken(trx, tokenId, at);
    if (!found) throw new AppError('NOT_FOUND', `credential ${tokenId} not found`, { token_id: tokenId });
    if (found.revoked_at) return { token_id: tokenId, revoked_at: new Date(found.revoked_at).toISOString() };
    await recordPlatformAudit(trx, ctx, {
      action: 'credential.revoke',
      targetType: 'staff_credential',
      targetId: tokenId,
      before: { revoked_at: null },
      after: { revoked_at: at },
    });
    return { token_id: tokenId, revoked_at: at.toISOString() };
  });
  forgetCredential(ctx.db, tokenId);
  return result;
}
