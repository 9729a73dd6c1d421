-- Sign-in for people (docs/sign-in.md): passwords on users (scrypt, node:crypto), one-time invitation and password
-- reset links (SHA-256 hashes only), browser sessions (hashes only), and OpenID Connect single sign-on per tenant.
-- Every table is a tenant table, isolated like the others; login and SSO callbacks find the tenant from the token.

alter table app_user add column password_hash text;
alter table app_user add column last_login_at timestamptz;
alter table app_user add column updated_at timestamptz not null default now();

create table user_invitation (
  tenant_id uuid not null,
  invitation_id uuid not null default gen_random_uuid(),
  email text not null,
  role text not null,
  token_hash text not null,
  invited_by text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  constraint user_invitation_pkey primary key (tenant_id, invitation_id),
  constraint user_invitation_hash_key unique (tenant_id, token_hash),
  constraint user_invitation_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint user_invitation_role_check check (role in ('admin', 'analyst', 'canvasser', 'viewer'))
);
select stormops_isolate_tenant_table('user_invitation');

create table password_reset (
  tenant_id uuid not null,
  reset_id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  token_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  constraint password_reset_pkey primary key (tenant_id, reset_id),
  constraint password_reset_hash_key unique (tenant_id, token_hash),
  constraint password_reset_user_fkey foreign key (tenant_id, user_id)
    references app_user (tenant_id, user_id) on delete cascade
);
select stormops_isolate_tenant_table('password_reset');

create table user_session (
  tenant_id uuid not null,
  session_id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  token_hash text not null,
  method text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz,
  revoked_at timestamptz,
  constraint user_session_pkey primary key (tenant_id, session_id),
  constraint user_session_hash_key unique (tenant_id, token_hash),
  constraint user_session_user_fkey foreign key (tenant_id, user_id)
    references app_user (tenant_id, user_id) on delete cascade,
  constraint user_session_method_check check (method in ('password', 'invitation', 'reset', 'sso'))
);
select stormops_isolate_tenant_table('user_session');

-- One OpenID provider per tenant. The client secret is kept as given (the provider needs it back).
create table sso_config (
  tenant_id uuid not null,
  issuer text not null,
  client_id text not null,
  client_secret text not null,
  default_role text not null,
  updated_at timestamptz not null default now(),
  constraint sso_config_pkey primary key (tenant_id),
  constraint sso_config_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade,
  constraint sso_config_role_check check (default_role in ('admin', 'analyst', 'canvasser', 'viewer'))
);
select stormops_isolate_tenant_table('sso_config');

-- A started SSO login: the state (hash), nonce and PKCE verifier until the provider sends the browser back.
create table sso_login (
  tenant_id uuid not null,
  state_hash text not null,
  nonce text not null,
  code_verifier text not null,
  return_to text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  constraint sso_login_pkey primary key (tenant_id, state_hash),
  constraint sso_login_tenant_fkey foreign key (tenant_id) references tenant (tenant_id) on delete cascade
);
select stormops_isolate_tenant_table('sso_login');
