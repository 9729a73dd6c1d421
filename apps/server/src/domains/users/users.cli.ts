/**
 * `stormops user ...` and `stormops sso ...`: a tenant's people and single sign-on (operator rights on the local
 * database). Without SMTP_URL the invitation or reset link is printed here for the admin to pass on.
 */
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import type { InviteInput, SsoConfigInput } from './users.schema.ts';

const ROLES = 'admin | analyst | canvasser | viewer';

function linkLines(r: { delivery: 'email' | 'shown'; link?: string; mail_error?: string }): string[] {
  if (r.delivery === 'email') return ['Sent by e-mail.'];
  return [
    ...(r.mail_error
      ? [`The e-mail could not be sent (${r.mail_error}).`]
      : ['No SMTP_URL: pass this link on yourself.']),
    `link: ${r.link ?? ''}`,
    'The link works once.',
  ];
}

export function registerUserCommands(program: Command, rt: CliRuntime): void {
  // Loaded when a command runs (nodemailer and openid-client are heavy): `stormops --help` stays fast.
  const deps = async () => (await import('./mailer.ts')).signInDepsFrom(rt.config);
  const service = () => import('./users.service.ts');
  const sso = () => import('./sso.service.ts');
  const user = program.command('user').description("a tenant's people: invite, list, change role, remove, reset");

  user
    .command('invite')
    .description('invite a person with a role: a one-time link, e-mailed (SMTP_URL) or printed here')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--email <email>', "the person's e-mail")
    .requiredOption('--role <role>', ROLES)
    .option('--json', 'print JSON')
    .action((o: { tenant: string; email: string; role: string; json?: boolean }) =>
      rt.run(
        o,
        async (ctx) =>
          (await service()).inviteUser(
            ctx,
            { tenant_id: o.tenant, email: o.email, role: o.role as InviteInput['role'] },
            await deps(),
          ),
        (r) => [`Invited ${r.email} as ${r.role} (until ${r.expires_at})`, ...linkLines(r)].join('\n'),
      ),
    );

  user
    .command('list')
    .description("list a tenant's users and open invitations")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; json?: boolean }) =>
      rt.run(
        o,
        async (ctx) => (await service()).listUsers(ctx, { tenant_id: o.tenant }),
        (r) =>
          [
            table(r.users, ['user_id', 'email', 'role', 'has_password', 'last_login_at']),
            ...(r.invitations.length
              ? ['', 'Open invitations:', table(r.invitations, ['email', 'role', 'expires_at'])]
              : []),
          ].join('\n'),
      ),
    );

  user
    .command('role')
    .description("change a user's role (their credentials of another role are revoked)")
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--user <id>', 'user id (user list shows them)')
    .requiredOption('--role <role>', ROLES)
    .option('--json', 'print JSON')
    .action((o: { tenant: string; user: string; role: string; json?: boolean }) =>
      rt.run(o, async (ctx) =>
        (await service()).setUserRole(ctx, {
          tenant_id: o.tenant,
          user_id: o.user,
          role: o.role as InviteInput['role'],
        }),
      ),
    );

  user
    .command('remove')
    .description('remove a user with their sessions and credentials')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--user <id>', 'user id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; user: string; json?: boolean }) =>
      rt.run(o, async (ctx) => (await service()).removeUser(ctx, { tenant_id: o.tenant, user_id: o.user })),
    );

  user
    .command('reset')
    .description('send a user a one-time password reset link (e-mailed, or printed here)')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--user <id>', 'user id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; user: string; json?: boolean }) =>
      rt.run(
        o,
        async (ctx) => (await service()).sendPasswordReset(ctx, { tenant_id: o.tenant, user_id: o.user }, await deps()),
        (r) => [`Password reset for ${r.email} (until ${r.expires_at})`, ...linkLines(r)].join('\n'),
      ),
    );

  const single = program.command('sso').description("a tenant's single sign-on (OpenID Connect; the sso flag)");
  single
    .command('show')
    .description('show the settings (never the secret) and the redirect URI to register at the provider')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; json?: boolean }) =>
      rt.run(o, async (ctx) =>
        (await sso()).getSsoConfig(ctx, { tenant_id: o.tenant }, (await deps()).publicUrl ?? ''),
      ),
    );
  single
    .command('set')
    .description('set the OpenID provider and the role new people get (checked by discovery first)')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--issuer <url>', 'the provider issuer URL')
    .requiredOption('--client-id <id>', 'the client id registered at the provider')
    .requiredOption('--client-secret <secret>', 'the client secret')
    .requiredOption('--default-role <role>', ROLES)
    .option('--json', 'print JSON')
    .action(
      (o: {
        tenant: string;
        issuer: string;
        clientId: string;
        clientSecret: string;
        defaultRole: string;
        json?: boolean;
      }) =>
        rt.run(
          o,
          async (ctx) =>
            (await sso()).setSsoConfig(
              ctx,
              {
                tenant_id: o.tenant,
                issuer: o.issuer,
                client_id: o.clientId,
                client_secret: o.clientSecret,
                default_role: o.defaultRole as SsoConfigInput['default_role'],
              },
              (await deps()).publicUrl ?? '',
            ),
          (r) => keyValues(r),
        ),
    );
}
