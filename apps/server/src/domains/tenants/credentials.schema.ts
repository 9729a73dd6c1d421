/** Tenant credential inputs (issue, list, revoke), shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { ACTIONS, TENANT_ROLES } from '../auth/permissions.ts';
import { MAX_EXPIRY_DAYS } from '../auth/expiry.ts';
import { int4, text } from '../fields.ts';
import { email, tenantId } from './tenants.schema.ts';

export const tokenId = z.uuid({ error: () => 'not a valid UUID' });
const action = z.enum(ACTIONS, { error: (i) => `${JSON.stringify(i.input)} is not an action of the permission table` });

/** Scopes: a subset of the role's actions; none for all. */
export const scopes = z.array(action).min(1, 'give at least one action, or none for all').max(64);

/** POST /tenants/:tenant_id/credentials, `tenant credential create`, `tenants.createCredential(...)`. */
export const credentialInput = z
  .object({
    tenant_id: tenantId,
    email,
    role: z.enum(TENANT_ROLES, { error: () => `must be one of ${TENANT_ROLES.join(', ')}` }),
    name: text().trim().min(1).max(100).optional(),
    scopes: scopes.optional(),
    grants: z.array(action).max(16).optional(),
    expires_in_days: int4().min(1).max(MAX_EXPIRY_DAYS).optional(),
  })
  .strict();
export type CredentialInput = z.input<typeof credentialInput>;

/** GET /tenants/:tenant_id/credentials, `tenants.listCredentials({ tenant_id })`. */
export const listCredentialsInput = z.object({ tenant_id: tenantId }).strict();
export type ListCredentialsInput = z.input<typeof listCredentialsInput>;

/** DELETE /tenants/:tenant_id/credentials/:token_id, `tenants.revokeCredential({ tenant_id, token_id })`. */
export const revokeCredentialInput = z.object({ tenant_id: tenantId, token_id: tokenId }).strict();
export type RevokeCredentialInput = z.input<typeof revokeCredentialInput>;
