/** Response schemas of a tenant's credential routes (tenants.routes.ts). */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';
import { ACTIONS, TENANT_ROLES, type Action } from '../auth/permissions.ts';

const action = z.enum(ACTIONS as [Action, ...Action[]]);

/** A credential just issued: its token is shown this once. */
export const issuedCredential = z.strictObject({
  token: z.string(),
  token_id: z.uuid(),
  user_id: z.uuid(),
  role: z.enum(TENANT_ROLES),
  scopes: z.array(action).nullable(),
  grants: z.array(action).nullable(),
  expires_at: isoTime,
});

export const credentialView = z
  .strictObject({
    token_id: z.uuid(),
    user_id: z.uuid(),
    email: z.string(),
    role: z.string(),
    name: z.string(),
    scopes: z.array(z.string()).nullable(),
    grants: z.array(z.string()).nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
    created_at: isoTime,
    expires_at: isoTime.nullable(),
    last_used_at: isoTime.nullable(),
    revoked_at: isoTime.nullable(),
  })
  .meta({ id: 'Credential' });

export const credentialList = z.strictObject({ credentials: z.array(credentialView) });
export const credentialRevoked = z.strictObject({ token_id: z.uuid(), revoked_at: isoTime });
