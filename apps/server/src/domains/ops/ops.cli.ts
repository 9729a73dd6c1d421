/** `stormops ops kpis|retention-audit|sla`: the operator's routines (docs/operations.md, "Routines"). */
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';
import { healthTable } from '../billing/billing.cli.ts';

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new AppError('VALIDATION', `--${flag} must be a number, got ${JSON.stringify(value)}`, { field: flag });
  return n;
}

export function registerOpsCommands(program: Command, rt: CliRuntime): void {
  const ops = program
    .command('ops')
    .description("the operator's routines: KPI export, retention audit, Customer Success triage, SLA report");
  ops
    .command('kpis')
    .description('per-tenant KPIs (storms, properties, knocks, outcomes, conversions, revenue) for exec reporting')
    .option('--days <n>', 'activity window in days', '30')
    .option('--anonymize', 'pseudonymous tenants, no names or ids, months instead of dates')
    .option('--salt <secret>', 'keeps pseudonyms stable across exports (keep it secret)')
    .option('--json', 'print JSON')
    .action((o: { days: string; anonymize?: boolean; salt?: string; json?: boolean }) => {
      const input = { days: num('days', o.days), anonymize: o.anonymize === true, ...(o.salt ? { salt: o.salt } : {}) };
      return rt.run(
        o,
        async (ctx) => (await import('./ops.service.ts')).exportKpis(ctx, input),
        (r) => `${r.from} .. ${r.to}\n${table(r.tenants)}`,
      );
    });
  ops
    .command('retention-audit')
    .description('what is older than the retention period, per category, and recorded backups whose files are gone')
    .option('--days <n>', 'retention period in days', '365')
    .option('--json', 'print JSON')
    .action((o: { days: string; json?: boolean }) =>
      rt.run(
        o,
        async (ctx) => (await import('./ops.service.ts')).retentionAudit(ctx, { days: num('days', o.days) }),
        (r) =>
          `older than ${r.cutoff}\n${table(r.categories)}\nmissing backup files: ${r.missing_backup_files.length ? r.missing_backup_files.map((b) => b.location).join(', ') : 'none'}`,
      ),
    );
  ops
    .command('triage')
    .description("Customer Success's daily routine: tenants flagged for low health, high usage or an overdue invoice")
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.billing.triage(),
        (list) => (list.length === 0 ? 'no tenant is flagged' : healthTable(list)),
      ),
    );
  ops
    .command('sla')
    .description('alert response SLA: incidents per severity resolved within their target, breaches, adherence')
    .option('--days <n>', 'incidents opened in the last n days', '7')
    .option('--page-hours <h>', 'resolution target for page alerts', '4')
    .option('--ticket-hours <h>', 'resolution target for ticket alerts', '72')
    .option('--json', 'print JSON')
    .action((o: { days: string; pageHours: string; ticketHours: string; json?: boolean }) => {
      const input = {
        days: num('days', o.days),
        page_hours: num('page-hours', o.pageHours),
        ticket_hours: num('ticket-hours', o.ticketHours),
      };
      return rt.run(
        o,
        async (ctx) => (await import('./ops.service.ts')).slaReport(ctx, input),
        (r) => `${r.from} .. ${r.to}\n${table(r.severities)}`,
      );
    });
}
