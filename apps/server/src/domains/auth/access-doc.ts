/**
 * docs/access-control.md, generated from the permission table and the tier defaults (a test fails when the file
 * differs): `npx tsx apps/server/src/domains/auth/access-doc.ts` rewrites it.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEATURES, TIERS, TIER_FEATURES, type Feature } from '../tenants/tenants.schema.ts';
import { ACTIONS, GRANTABLE, PERMISSIONS, ROLES, ROLE_WHY, roleHolds, type Action } from './permissions.ts';

/** What each flag gates, beyond the actions whose `feature` names it in the table. */
export const FEATURE_GATES: Record<Feature, string> = {
  uplift_scoring: 'training models (`models:write`) and scoring storms (`scoring:run`)',
  policy_control: 'policy parameters, previews and applies (`policy:write`, `policy:preview`, `policy:apply`)',
  pilot_reports: 'the pilot report in every format (`reports:read`)',
  api_access: 'tenant API keys (bearer credentials): a key of a tenant without it is refused at sign-in',
  pdf_reports: 'the pilot report as PDF (`GET /v1/storms/{id}/pilot?format=pdf`, `pilot run --format pdf`)',
  shadow_models: 'promoting a model to the shadow stage',
  crm_export: 'reserved: no CRM export exists yet, so it gates nothing today',
  custom_policies: 'the `custom` policy mode (its parameters and applies)',
  sso: 'single sign-on (OpenID Connect) for the tenant: settings and logins (docs/sign-in.md)',
};

const ROLE_HEAD: Record<string, string> = { customer_success_manager: 'CSM' };

function matrix(): string {
  const head = ['action', ...ROLES.map((r) => ROLE_HEAD[r] ?? r), 'flag', 'what'];
  const rows = ACTIONS.map((a: Action) => {
    const spec = PERMISSIONS[a] as { feature?: Feature; what: string };
    return [
      `\`${a}\``,
      ...ROLES.map((r) => (roleHolds(r, a) ? 'yes' : '')),
      spec.feature ? `\`${spec.feature}\`` : '',
      spec.what,
    ];
  });
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function tiers(): string {
  const head = ['flag', ...TIERS, 'gates'];
  const rows = FEATURES.map((f) => [
    `\`${f}\``,
    ...TIERS.map((t) => (TIER_FEATURES[t].includes(f) ? 'on' : 'off')),
    FEATURE_GATES[f],
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function renderAccessControlDoc(): string {
  const grants = Object.entries(GRANTABLE)
    .map(([role, actions]) => `${role}: ${actions.map((a) => `\`${a}\``).join(', ')}`)
    .join('; ');
  return `# Access control

<!-- Generated from apps/server/src/domains/auth/permissions.ts by access-doc.ts; do not edit by hand. -->

Every operation has one permission (an action) in one table, \`apps/server/src/domains/auth/permissions.ts\`. Each
HTTP route declares its action (\`config.permission\`); a hook enforces it on every request, every service function
checks it again first (\`authorize(ctx, action)\`), so the SDK and the CLI are held to the same table, and
\`/openapi.json\` shows it on each operation as \`x-permission\` (with the roles as \`x-roles\`). A route without a
declared permission cannot be registered. The only other declaration is \`public\`, for the few routes a caller reaches
before it holds a credential (signing in); such a route authenticates nobody and checks nothing.

The attacker suite (\`apps/server/test/attacker.test.ts\`) holds the matrix from outside the process: every operation
of \`/openapi.json\` x every role and staff kind x its own and another tenant over loopback, exactly 403 without the
permission, exactly the operator's answer with it (404 for another tenant's ids), never a 5xx; forged, truncated,
expired, revoked and other-tenant tokens; scope escalation; 1,000 randomized cross-tenant requests on server Postgres.

A tenant principal acts only inside its own tenant: another tenant's ids answer 404, exactly like unknown ones.
The operator and staff act across tenants, by naming one.

## Roles, and why each holds what it holds

${ROLES.map((r) => `- **${r}**: ${ROLE_WHY[r]}`).join('\n')}

The playbook's \`CustomerSuccessManager\` is accepted as an alias of \`customer_success_manager\`. The former tenant role
\`customer_success\` was retired by migration 0020: its users became platform staff and their tenant credentials were
revoked.

Grants beyond a role's defaults, on one credential, by an admin: ${grants}.

## The matrix

${matrix()}

## Credentials

- A tenant credential (\`sot_...\`) is bound to one tenant, one user and one role; a staff credential (\`sos_...\`)
  to one staff member and a staff role. Only a SHA-256 of each token is stored; the token is shown once.
- **Scopes**: a credential may carry a subset of its role's permissions (\`--scope outcomes:write\`, repeatable;
  HTTP \`scopes\`). Asking for an action the role does not hold is refused (400, naming it).
- **Expiry**: 90 days by default (\`--expires-in-days\`, 1 to 365). **Revocation**: \`stormops tenant credential revoke
  --tenant T --token-id ID\` or \`DELETE /v1/tenants/{id}/credentials/{token_id}\`; \`tenant credentials --tenant T\`
  and \`GET /v1/tenants/{id}/credentials\` list them with their last use.
- A revoked, expired or unknown credential answers 401 \`UNAUTHENTICATED\`; a suspended tenant's credentials answer
  403 \`TENANT_SUSPENDED\`. A process forgets revoked credentials and suspended tenants at once; another process
  sharing the database sees the change within 30 seconds (its verification cache).
- Staff credentials: \`stormops staff credential --email E --role customer_success_manager --scope billing:read\`.
- People sign in (password, invitation or single sign-on) and get a session cookie instead: its principal is their
  user's current role, checked by the same table; state-changing cookie requests need the session's CSRF token
  ([sign-in.md](sign-in.md)).

## Feature flags

A tenant's tier sets the defaults; the operator overrides any flag per tenant (\`stormops tenant flags --tenant T
--flag pdf_reports=false\`, \`PATCH /v1/tenants/{id}\` with \`feature_flags\`; \`default\` or \`null\` returns a flag to its
tier default). A gated action of a tenant whose flag is off answers 403 \`FEATURE_DISABLED\` with the flag in
\`details.feature\`, from the SDK, the CLI (one line, exit 2) and the HTTP API alike, whoever asks.

${tiers()}

## Audit log

Every administrative action is written, in the same transaction as the change, to an append-only log: provisioning,
tier, flags and status changes, credentials issued and revoked, users created with their role, policy parameters and
applies, model stage changes and storm status changes. Each row holds the actor (kind, id, role), the tenant, the
action, the target, the state before and after, the request id (HTTP) or run id (CLI), and the time. The
application roles may only read and add rows, and a trigger refuses any update, delete or truncate by anyone.
\`stormops audit list --tenant T [--since DATE] [--json]\`, \`GET /v1/audit?tenant_id=&since=\` (operator; a tenant
admin reads its own tenant's log). Staff credentials, which belong to no tenant, are in the platform's log
(\`audit list\` without \`--tenant\`).
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = new URL('../../../../../docs/access-control.md', import.meta.url);
  writeFileSync(out, renderAccessControlDoc());
  console.log(`wrote ${fileURLToPath(out)}`);
}
