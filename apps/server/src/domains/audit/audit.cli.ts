/** `stormops audit list`: the audit log of a tenant (or, without --tenant, the platform's). */
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';

export function registerAuditCommands(program: Command, rt: CliRuntime): void {
  const audit = program.command('audit').description('the append-only audit log of administrative actions');
  audit
    .command('list')
    .description("a tenant's audit log, newest first (without --tenant: the platform's own, e.g. staff credentials)")
    .option('--tenant <id>', 'tenant id')
    .option('--since <date>', 'only events at or after this date or ISO time')
    .option('--limit <n>', 'at most this many events (1-1000)', '200')
    .option('--json', 'print JSON')
    .action((o: { tenant?: string; since?: string; limit: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit)) throw new AppError('VALIDATION', `--limit must be a whole number, got ${o.limit}`);
      return rt.call(
        o,
        (ops) =>
          ops.audit.list({
            limit,
            tenant_id: o.tenant,
            since: o.since,
          }),
        (events) =>
          table(
            events.map((e) => ({
              at: e.at,
              actor: `${e.actor.kind}${e.actor.id ? `:${e.actor.id}` : ''} (${e.actor.role})`,
              action: e.action,
              target: `${e.target.type}${e.target.id ? `:${e.target.id}` : ''}`,
              request_id: e.request_id,
            })),
          ),
      );
    });
}
