/**
 * Secrets handed to a person: invitation and password-reset links, session cookies and SSO states. Each reads
 * `<kind>_<tenant id hex>_<secret>`, so the tenant is known before any lookup (which then runs inside that tenant's
 * row-level security), and only its SHA-256 is stored.
 */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../auth/tokens.ts';

export type SecretKind = 'inv' | 'rst' | 'ses' | 'sso';

export function newSecret(kind: SecretKind, tenantId: string): string {
  return `${kind}_${tenantId.replace(/-/g, '')}_${randomBytes(32).toString('base64url')}`;
}

/** The tenant id a secret of `kind` names, or undefined when it is not one. */
export function tenantOfSecret(kind: SecretKind, secret: string): string | undefined {
  const m = new RegExp(`^${kind}_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$`).exec(secret);
  const hex = m?.[1];
  if (!hex) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export { hashToken as hashSecret };
