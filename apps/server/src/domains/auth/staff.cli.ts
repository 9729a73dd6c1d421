/** `stormops staff ...`: platform staff credentials (operator only). */
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';
import { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS } from './expiry.ts';
import type { Action } from './permissions.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerStaffCommands(program: Command, rt: CliRuntime): void {
  const staff = program.command('staff').description('platform staff: Customer Success and Support credentials');
  const credential = staff
    .command('credential')
    .description('issue a staff credential (shown once); `staff credential revoke` revokes one')
    .option('--email <email>', "the staff member's e-mail (created if new)")
    .option('--role <role>', 'customer_success_manager (or CustomerSuccessManager) | support')
    .option('--scope <action>', 'limit the credential to this action (repeatable; a subset of the role)', collect)
    .option('--expires-in-days <n>', `lifetime in days (default ${DEFAULT_EXPIRY_DAYS}, at most ${MAX_EXPIRY_DAYS})`)
    .option('--json', 'print JSON')
    .action((o: { email?: string; role?: string; scope?: string[]; expiresInDays?: string; json?: boolean }) => {
      if (!o.email || !o.role) throw new AppError('VALIDATION', 'staff credential needs --email and --role');
      const days = o.expiresInDays === undefined ? undefined : Number(o.expiresInDays);
      if (days !== undefined && !Number.isInteger(days))
        throw new AppError('VALIDATION', `--expires-in-days must be a whole number, got ${o.expiresInDays}`);
      return rt.call(
        o,
        (ops) =>
          ops.staff.createCredential({
            email: o.email as string,
            role: o.role as string,
            scopes: o.scope as Action[] | undefined,
            expires_in_days: days,
          }),
        (r) => `${keyValues(r)}\nThe token is shown once: keep it.`,
      );
    });
  credential
    .command('revoke')
    .description('revoke a staff credential: it answers 401 from then on')
    .requiredOption('--token-id <id>', 'the credential id (staff credentials lists them)')
    .option('--json', 'print JSON')
    .action((o: { tokenId: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.staff.revokeCredential({ token_id: o.tokenId })),
    );
  staff
    .command('credentials')
    .description('list staff credentials with status and last use (never the tokens)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.staff.listCredentials(),
        (rows) => table(rows, ['token_id', 'email', 'role', 'status', 'scopes', 'expires_at', 'last_used_at']),
      ),
    );
}
