/** Kysely table types for sign-in (migration 0026): invitations, password resets, sessions, SSO. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UserInvitationTable {
  tenant_id: string;
  invitation_id: Generated<string>;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: MaybeTime;
  revoked_at: MaybeTime;
}

export interface PasswordResetTable {
  tenant_id: string;
  reset_id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: MaybeTime;
}

export interface UserSessionTable {
  tenant_id: string;
  session_id: Generated<string>;
  user_id: string;
  token_hash: string;
  method: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: MaybeTime;
  revoked_at: MaybeTime;
}

export interface SsoConfigTable {
  tenant_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  default_role: string;
  updated_at: Timestamp;
}

export interface SsoLoginTable {
  tenant_id: string;
  state_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: MaybeTime;
}
