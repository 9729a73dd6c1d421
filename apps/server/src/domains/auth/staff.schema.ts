/** Platform staff credential inputs, shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { int4, text } from '../fields.ts';
import { scopes, tokenId } from '../tenants/credentials.schema.ts';
import { MAX_EXPIRY_DAYS } from './expiry.ts';

/** POST /staff/credentials, `staff credential create`, `staff.createCredential(...)`. */
export const staffCredentialInput = z
  .object({
    email: z
      .email({ error: (i) => `${JSON.stringify(i.input)} is not a valid e-mail address` })
      .transform((e) => e.toLowerCase()),
    role: text().min(1).max(64).describe('customer_success_manager (alias CustomerSuccessManager) | support'),
    name: text().trim().min(1).max(100).optional(),
    scopes: scopes.optional(),
    expires_in_days: int4().min(1).max(MAX_EXPIRY_DAYS).optional(),
  })
  .strict();
export type StaffCredentialInput = z.input<typeof staffCredentialInput>;

/** DELETE /staff/credentials/:token_id, `staff.revokeCredential({ token_id })`. */
export const revokeStaffCredentialInput = z.object({ token_id: tokenId }).strict();
export type RevokeStaffCredentialInput = z.input<typeof revokeStaffCredentialInput>;
