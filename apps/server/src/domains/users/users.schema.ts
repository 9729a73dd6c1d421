/** Inputs of the users and sign-in operations (one strict schema each), shared by the SDK, the CLI and the routes. */
import { z } from 'zod';
import { TENANT_ROLES } from '../auth/permissions.ts';
import { actingTenantInput, email, tenantId } from '../tenants/tenants.schema.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts';
import { text } from '../fields.ts';

export const role = z.enum(TENANT_ROLES, { error: () => `must be one of ${TENANT_ROLES.join(', ')}` });
export const userId = z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` });
export const password = z
  .string({ error: () => 'must be a string' })
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);
/** A link secret as handed out (inv_/rst_...); its shape is checked when it is looked up. */
const secret = text().min(1, 'must not be empty').max(200);

/** The tenant acted in, as the query string of the users and SSO routes (an operator names it). */
export const tenantQuery = actingTenantInput;

export const inviteInput = z.object({ tenant_id: tenantId.optional(), email, role }).strict();
export type InviteInput = z.input<typeof inviteInput>;

export const listUsersInput = actingTenantInput;
export type ListUsersInput = z.input<typeof listUsersInput>;

export const setRoleInput = z.object({ tenant_id: tenantId.optional(), user_id: userId, role }).strict();
export type SetRoleInput = z.input<typeof setRoleInput>;

export const removeUserInput = z.object({ tenant_id: tenantId.optional(), user_id: userId }).strict();
export type RemoveUserInput = z.input<typeof removeUserInput>;

export const adminResetInput = z.object({ tenant_id: tenantId.optional(), user_id: userId }).strict();
export type AdminResetInput = z.input<typeof adminResetInput>;

export const loginInput = z
  .object({ email, password: text().min(1).max(PASSWORD_MAX), tenant_id: tenantId.optional() })
  .strict();
export type LoginInput = z.input<typeof loginInput>;

export const acceptInviteInput = z.object({ token: secret, password }).strict();
export type AcceptInviteInput = z.input<typeof acceptInviteInput>;

export const requestResetInput = z.object({ email, tenant_id: tenantId.optional() }).strict();
export type RequestResetInput = z.input<typeof requestResetInput>;

export const resetPasswordInput = z.object({ token: secret, password }).strict();
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;

/** Only a path on this site: never another origin (an open redirect). */
export const returnTo = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, 'must be a path on this site, starting with a single /');

export const ssoConfigInput = z
  .object({
    tenant_id: tenantId.optional(),
    issuer: z.url({ error: () => 'must be the provider issuer URL' }).max(500),
    client_id: text().min(1).max(300),
    client_secret: text().min(1).max(500),
    default_role: role,
  })
  .strict();
export type SsoConfigInput = z.input<typeof ssoConfigInput>;

export const ssoStartInput = z.object({ tenant_id: tenantId, return_to: returnTo.optional() }).strict();
export type SsoStartInput = z.input<typeof ssoStartInput>;

export interface UserView {
  user_id: string;
  email: string;
  role: string;
  /** Whether the user can sign in with a password (SSO-only users have none). */
  has_password: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface InvitationView {
  invitation_id: string;
  email: string;
  role: string;
  expires_at: string;
  /** `email` when sent through SMTP; `shown`: the link is in this answer, for the admin to pass on. */
  delivery: 'email' | 'shown';
  link?: string;
}
