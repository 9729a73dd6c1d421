/** Response schemas of the sign-in routes (sign-in.routes.ts) and the user administration routes (users.routes.ts). */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';
import { ACTIONS, TENANT_ROLES, type Action } from '../auth/permissions.ts';

const role = z.enum(TENANT_ROLES);
const delivery = z.enum(['email', 'shown']);

/** A sign-in's answer (login, accept-invite): never the session token itself, which is in the cookie. */
export const signedIn = z
  .strictObject({
    user: z.strictObject({ user_id: z.uuid(), email: z.string(), role }),
    tenant: z.strictObject({ tenant_id: z.uuid(), org_name: z.string() }),
    csrf_token: z.string(),
    expires_at: isoTime,
  })
  .meta({ id: 'SignedIn' });

/** GET /auth/session: who is signed in. */
export const whoAmI = z
  .strictObject({
    kind: z.enum(['tenant', 'staff', 'platform']),
    tenant_id: z.uuid().nullable(),
    user_id: z.uuid().nullable(),
    role: z.string(),
    via: z.enum(['session', 'credential', 'platform']),
    expires_at: isoTime.nullable(),
    /** A session's CSRF token, for its writes. */
    csrf_token: z.string().optional(),
    /** The actions this caller holds (role, grants and scopes; feature flags not considered). */
    permissions: z.array(z.enum(ACTIONS as [Action, ...Action[]])),
  })
  .meta({ id: 'WhoAmI' });

export const resetRequested = z.strictObject({ accepted: z.literal(true) });
export const passwordReset = z.strictObject({ user_id: z.uuid(), email: z.string(), reset: z.literal(true) });
export const signedOut = z.strictObject({ signed_out: z.boolean() });

export const userView = z
  .strictObject({
    user_id: z.uuid(),
    email: z.string(),
    role: z.string(),
    has_password: z.boolean(),
    created_at: isoTime,
    last_login_at: isoTime.nullable(),
  })
  .meta({ id: 'User' });

export const openInvitation = z.strictObject({
  invitation_id: z.uuid(),
  email: z.string(),
  role: z.string(),
  expires_at: isoTime,
});

export const userList = z.strictObject({ users: z.array(userView), invitations: z.array(openInvitation) });

/** An invitation made: the link is in the answer only when it was not e-mailed. */
export const invitation = openInvitation.extend({ delivery, link: z.string().optional() }).meta({ id: 'Invitation' });

export const roleChanged = userView.extend({ revoked_credentials: z.number().int() });
export const userRemoved = z.strictObject({ user_id: z.uuid(), removed: z.literal(true) });
export const resetSent = z.strictObject({
  user_id: z.uuid(),
  email: z.string(),
  expires_at: isoTime,
  delivery,
  link: z.string().optional(),
});
