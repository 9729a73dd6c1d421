/** `stormops slo ...`: CLI adapter for the SLO monitor (operator). */
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';
import type { SloStatusView } from './slo.schema.ts';
import type { AlertView } from '../notify/alerts.service.ts';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(3)}%`);
const burn = (long: number, short: number) => `${long.toFixed(1)}x/${short.toFixed(1)}x`;

function renderDashboard(d: Record<string, SloStatusView>): string {
  const rows = Object.values(d).map((s) => ({
    slo: s.name,
    status: s.status,
    objective: pct(s.objective),
    sli: pct(s.sli),
    events: s.total,
    budget_left: `${(s.error_budget_remaining * 100).toFixed(1)}%`,
    'burn 1h/5m': burn(s.burn_rates['1h'], s.burn_rates['5m']),
    'burn 6h/30m': burn(s.burn_rates['6h'], s.burn_rates['30m']),
    'burn 1d/2h': burn(s.burn_rates['1d'], s.burn_rates['2h']),
    'burn 3d/6h': burn(s.burn_rates['3d'], s.burn_rates['6h']),
    breaches: s.breaches,
  }));
  const warn = Object.values(d)
    .filter((s) => s.breaches > 0 || s.firing_rules.length > 0)
    .map(
      (s) =>
        `  ${s.name}: ${s.breaches} breach(es)${s.firing_rules.length ? `; firing: ${s.firing_rules.join(', ')}` : ''}${s.runbook ? ` (runbook: ${s.runbook})` : ''}`,
    );
  return [table(rows), ...(warn.length ? ['', ...warn] : [])].join('\n');
}

function renderAlerts(alerts: AlertView[]): string {
  if (alerts.length === 0) return 'no active alerts';
  return alerts.map((a) => `[${a.severity}] ${a.message}  (since ${a.since}, key ${a.alert_key})`).join('\n');
}

export function registerSloCommands(program: Command, rt: CliRuntime): Command {
  const slo = program.command('slo').description('service level objectives: status, alerts, evaluation');

  slo
    .command('status')
    .description('SLO dashboard: status, SLI, error budget left, burn rates, breaches')
    .option('--hours <n>', 'range for the SLI and breaches', '24')
    .option('--json', 'print JSON')
    .action((o: { hours: string; json?: boolean }) => {
      const hours = Number(o.hours);
      if (!Number.isInteger(hours))
        throw new AppError('VALIDATION', `--hours must be a whole number, got ${JSON.stringify(o.hours)}`, {
          field: 'hours',
        });
      return rt.call(o, (ops) => ops.slo.getSloDashboard({ hours }), renderDashboard);
    });

  slo
    .command('alerts')
    .description('open alert incidents (page or ticket)')
    .option('--source <source>', 'only this source (slo, data_health, billing_quota)')
    .option('--json', 'print JSON')
    .action((o: { source?: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.slo.getActiveAlerts(o.source ? { source: o.source } : {}), renderAlerts),
    );

  slo
    .command('evaluate')
    .description(
      'run one evaluation pass now: open/resolve incidents and deliver alerts to the configured destinations',
    )
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      rt.call(
        o,
        async (ops) =>
          ops.slo.evaluate({ notifier: (await import('../notify/notify.notifier.ts')).notifierFromConfig(rt.config) }),
        (r) =>
          [
            `evaluated at ${r.evaluated_at}`,
            `firing: ${r.firing.join(', ') || 'none'}`,
            ...r.opened.map((a) => `opened [${a.severity}] ${a.message}`),
            ...r.resolved.map((a) => `resolved [${a.severity}] ${a.alert_key}`),
          ].join('\n'),
      ),
    );

  slo
    .command('list')
    .description('the SLOs in force')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.slo.definitions(),
        (rows) =>
          table(
            rows.map((s) => ({
              name: s.name,
              objective: pct(s.objective),
              window: s.window,
              indicator:
                s.indicator.kind === 'latency' ? `latency <= ${s.indicator.threshold_ms} ms` : s.indicator.series,
              min_events: s.min_events,
            })),
          ),
      ),
    );
  return slo;
}
