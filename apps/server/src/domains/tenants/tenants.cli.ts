/** `stormops tenant ...`: CLI adapter for tenants (operator rights on the local database). */
import { Command } from 'commander';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';
import { USER_ROLES, type UserRole } from '../auth/principal.ts';
import { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS } from '../auth/expiry.ts';
import type { Feature, TenantView, Tier } from './tenants.schema.ts';
import type { Action } from '../auth/permissions.ts';

const listColumns = ['tenant_id', 'org_name', 'tier', 'status', 'admin_email', 'created_at'] as const;

/** Parses `name=true|false|default` pairs given to --flag. */
function parseFlags(pairs: string[]): Partial<Record<Feature, boolean | null>> {
  const out: Record<string, boolean | null> = {};
  for (const pair of pairs) {
    const m = /^([a-z_]+)=(true|false|on|off|default)$/.exec(pair);
    if (!m?.[1] || !m[2]) throw new AppError('VALIDATION', `--flag ${pair}: expected name=true|false|default`);
    out[m[1]] = m[2] === 'default' ? null : m[2] === 'true' || m[2] === 'on';
  }
  return out as Partial<Record<Feature, boolean | null>>;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerTenantCommands(program: Command, rt: CliRuntime): void {
  const tenant = program.command('tenant').description('provision and manage tenants (contractor organisations)');

  tenant
    .command('provision')
    .description(
      'create a tenant with its admin user and credential; repeating the same request returns the same tenant',
    )
    .requiredOption('--org <name>', 'organisation name')
    .requiredOption('--tier <tier>', 'trial | standard | enterprise')
    .requiredOption('--admin-email <email>', "the admin's e-mail")
    .option('--json', 'print JSON')
    .action((o: { org: string; tier: Tier; adminEmail: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.tenants.provision({ org_name: o.org, tier: o.tier, admin_email: o.adminEmail }),
        (r) =>
          [
            r.created ? `Provisioned ${r.org_name}` : `${r.org_name} was already provisioned (same tier and admin)`,
            keyValues({
              tenant_id: r.tenant_id,
              tier: r.tier,
              admin_email: r.admin_email,
              ...(r.admin_token ? { admin_token: r.admin_token } : {}),
            }),
            ...(r.admin_token ? ['The admin token is shown once: keep it.'] : []),
          ].join('\n'),
      ),
    );

  tenant
    .command('list')
    .description('list tenants')
    .addOption(choice('--status <status>', 'tenant status', ['active', 'suspended']))
    .option('--json', 'print JSON')
    .action((o: { status?: 'active' | 'suspended'; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.tenants.list({ status: o.status }),
        (rows) => table(rows, listColumns),
      ),
    );

  const show = (r: TenantView) => keyValues(r);
  tenant
    .command('show')
    .description('show a tenant with its effective feature flags')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; json?: boolean }) => rt.call(o, (ops) => ops.tenants.get(o.tenant), show));

  tenant
    .command('set-tier')
    .description("change a tenant's tier (its default feature flags follow)")
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--tier <tier>', 'trial | standard | enterprise')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; tier: Tier; json?: boolean }) =>
      rt.call(o, (ops) => ops.tenants.setTier(o.tenant, o.tier), show),
    );

  tenant
    .command('flags')
    .description('override feature flags: --flag sso=true --flag pdf_reports=default')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--flag <name=value>', 'a flag override (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action((o: { tenant: string; flag: string[]; json?: boolean }) =>
      rt.call(o, (ops) => ops.tenants.setFeatureFlags(o.tenant, parseFlags(o.flag)), show),
    );

  for (const [name, status] of [
    ['suspend', 'suspended'],
    ['reactivate', 'active'],
  ] as const) {
    tenant
      .command(name)
      .description(
        status === 'suspended' ? 'suspend a tenant: its credentials stop working' : 'reactivate a suspended tenant',
      )
      .requiredOption('--tenant <id>', 'tenant id')
      .option('--json', 'print JSON')
      .action((o: { tenant: string; json?: boolean }) =>
        rt.call(
          o,
          (ops) => (status === 'suspended' ? ops.tenants.suspend(o.tenant) : ops.tenants.reactivate(o.tenant)),
          show,
        ),
      );
  }

  const credential = tenant
    .command('credential')
    .description('issue a bearer credential for a user of the tenant (shown once); `credential revoke` revokes one')
    .option('--tenant <id>', 'tenant id')
    .option('--email <email>', "the user's e-mail (created if new)")
    .addOption(choice('--role <role>', 'role', USER_ROLES, 'admin'))
    .option('--scope <action>', 'limit the credential to this action (repeatable; a subset of the role)', collect)
    .option('--grant <action>', 'an action beyond the role (only policy:apply for an analyst)', collect)
    .option('--expires-in-days <n>', `lifetime in days (default ${DEFAULT_EXPIRY_DAYS}, at most ${MAX_EXPIRY_DAYS})`)
    .option('--json', 'print JSON')
    .action(
      (o: {
        tenant?: string;
        email?: string;
        role: UserRole;
        scope?: string[];
        grant?: string[];
        expiresInDays?: string;
        json?: boolean;
      }) => {
        if (!o.tenant || !o.email) throw new AppError('VALIDATION', 'tenant credential needs --tenant and --email');
        if (!USER_ROLES.includes(o.role))
          throw new AppError('VALIDATION', `--role must be one of ${USER_ROLES.join(', ')}`);
        const days = o.expiresInDays === undefined ? undefined : Number(o.expiresInDays);
        if (days !== undefined && !Number.isInteger(days))
          throw new AppError('VALIDATION', `--expires-in-days must be a whole number, got ${o.expiresInDays}`);
        return rt.call(
          o,
          (ops) =>
            ops.tenants.createCredential({
              tenant_id: o.tenant as string,
              email: o.email as string,
              role: o.role,
              scopes: o.scope as Action[] | undefined,
              grants: o.grant as Action[] | undefined,
              expires_in_days: days,
            }),
          (r) => `${keyValues(r)}\nThe token is shown once: keep it.`,
        );
      },
    );

  credential
    .command('revoke')
    .description('revoke a credential: it answers 401 from then on')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--token-id <id>', 'the credential id (tenant credentials lists them)')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; tokenId: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.tenants.revokeCredential({ tenant_id: o.tenant, token_id: o.tokenId })),
    );

  tenant
    .command('credentials')
    .description("list a tenant's credentials with status and last use (never the tokens)")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.tenants.listCredentials({ tenant_id: o.tenant }),
        (rows) => table(rows, ['token_id', 'email', 'role', 'status', 'scopes', 'expires_at', 'last_used_at']),
      ),
    );
}
