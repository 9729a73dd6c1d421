/** `stormops health ...`: the playbook's daily data checks for a storm. */
import type { Command } from 'commander';
import type { HealthHistoryInput } from './data-health.schema.ts';
import { HEALTH_CHECK_KINDS } from './data-health.schema.ts';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';

export function registerHealthCommands(program: Command, rt: CliRuntime): void {
  const health = program
    .command('health')
    .description("a storm's data health: status and issues (run with a sub-command for rates, drift or history)")
    // The storm option belongs to whichever command it follows, and is checked here rather than by commander: a
    // required option on this parent was demanded of `health rates --storm X` too, whose X went to the parent.
    .enablePositionalOptions()
    .option('--storm <id>', 'storm id (required)')
    .option('--json', 'print JSON')
    .action((o: { storm?: string; json?: boolean }) =>
      o.storm === undefined
        ? health.error("error: required option '--storm <id>' not specified")
        : rt.call(
            o,
            (ops) => ops.observability.getHealthDashboard(o.storm!),
            (r) =>
              [
                `Health: ${r.health_status}`,
                r.issues.length
                  ? table(r.issues.map((i) => ({ severity: i.severity, check: i.check, message: i.message })))
                  : 'No issues.',
              ].join('\n'),
          ),
    );
  health
    .command('rates')
    .description('conversion by arm, lift, and whether it looks anomalous')
    .requiredOption('--storm <id>', 'storm id')
    .option('--json', 'print JSON')
    .action((o: { storm: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.observability.checkConversionRates(o.storm),
        (r) =>
          [
            `Treat: ${(r.treat.rate * 100).toFixed(1)}% (${r.treat.conversions}/${r.treat.n})   Hold: ${(r.hold.rate * 100).toFixed(1)}% (${r.hold.conversions}/${r.hold.n})`,
            `Lift: ${(r.lift * 100).toFixed(1)} pts${r.lift_ci ? ` (95% CI ${(r.lift_ci[0]! * 100).toFixed(1)} to ${(r.lift_ci[1]! * 100).toFixed(1)})` : ''}`,
            r.anomaly ? `Anomaly: ${r.reasons.join('; ')}` : 'No anomaly.',
          ].join('\n'),
      ),
    );
  health
    .command('drift')
    .description('predicted uplift against the production model’s training distribution (PSI, KS or Wasserstein)')
    .requiredOption('--storm <id>', 'storm id')
    .option('--json', 'print JSON')
    .action((o: { storm: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.observability.checkUpliftDistribution(o.storm),
        (r) => keyValues({ ...r, test: r.test ? JSON.stringify(r.test) : null } as Record<string, unknown>),
      ),
    );
  health
    .command('history')
    .description('earlier check results, newest first')
    .requiredOption('--storm <id>', 'storm id')
    .addOption(choice('--kind <kind>', 'which check', HEALTH_CHECK_KINDS))
    .option('--json', 'print JSON')
    .action((o: { storm: string; kind?: HealthHistoryInput['kind']; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.observability.history(o.storm, { kind: o.kind }),
        (rows) => table(rows.map((h) => ({ checked_at: h.checked_at, kind: h.kind, status: h.status }))),
      ),
    );
  health
    .command('band')
    .description("show or set the tenant's band for mean predicted uplift (outside it: an issue and an alert)")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--low <x>', 'lowest plausible mean uplift (e.g. 0.01)')
    .option('--high <x>', 'highest plausible mean uplift (e.g. 0.08)')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; low?: string; high?: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) =>
          o.low === undefined && o.high === undefined
            ? ops.observability.getUpliftBand(o.tenant)
            : ops.observability.setUpliftBand({ low: Number(o.low), high: Number(o.high) }, o.tenant),
        (b) => `uplift band ${b.low} to ${b.high}${b.default ? ' (the playbook default)' : ''}`,
      ),
    );
}
