/**
 * `stormops`: the command line. Each domain adds its command group; every command takes `--json`, and a failure
 * prints one line and exits non-zero (2 for bad input, 3 when the database is unavailable or locked).
 */
import { Command, CommanderError } from 'commander';
import { registerDbCommands } from './db.cli.ts';
import { registerBackupCommands } from '../db/backup.cli.ts';
import { registerStormCommands } from '../domains/storms/storms.cli.ts';
import { registerPropertyCommands } from '../domains/properties/properties.cli.ts';
import { registerStormReportCommands } from '../domains/storm-reports/storm-reports.cli.ts';
import { registerDemoCommands } from '../domains/demo/demo.cli.ts';
import { registerPolicyCommands } from '../domains/policy/policy.cli.ts';
import { registerOutcomeCommands } from '../domains/outcomes/outcomes.cli.ts';
import { registerAnalyzeCommands } from '../domains/analyze/analyze.cli.ts';
import { registerTenantCommands } from '../domains/tenants/tenants.cli.ts';
import { registerModelCommands } from '../domains/models/models.cli.ts';
import { registerHealthCommands } from '../domains/observability/data-health.cli.ts';
import { registerPilotCommands } from '../domains/pilot/pilot.cli.ts';
import { registerSloCommands } from '../domains/slo/slo.cli.ts';
import { registerOpsCommands } from '../domains/ops/ops.cli.ts';
import { registerAuditCommands } from '../domains/audit/audit.cli.ts';
import { registerStaffCommands } from '../domains/auth/staff.cli.ts';
import { registerUserCommands } from '../domains/users/users.cli.ts';
import { registerBillingCommands } from '../domains/billing/billing.cli.ts';
import { registerStartCommand } from '../start/start.cli.ts';
import { createRuntime, reportError, type CliRuntime } from './runtime.ts';

export function buildProgram(rt: CliRuntime): Command {
  const program = new Command('stormops')
    .description('StormOps: which doors to knock after a hail storm, and proof that knocking paid.')
    .version('0.1.0')
    .option('--url <url>', 'speak to this StormOps server (with STORMOPS_TOKEN) instead of the local database')
    .showHelpAfterError('(run with --help for usage)')
    // Options belong to the command they follow, so a group and its sub-commands can share one (`health --storm`,
    // `health rates --storm`); each group that does so enables it too.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => rt.out.write(s), writeErr: (s) => rt.err.write(s) });
  registerStartCommand(program, rt);
  registerDbCommands(program, rt);
  registerBackupCommands(program, rt);
  registerTenantCommands(program, rt);
  const storm = registerStormCommands(program, rt);
  registerStormReportCommands(storm, rt);
  registerPropertyCommands(program, rt);
  registerModelCommands(program, rt);
  registerHealthCommands(program, rt);
  registerPilotCommands(program, rt);
  registerDemoCommands(program, rt);
  registerPolicyCommands(program, rt);
  registerOutcomeCommands(program, rt);
  registerAnalyzeCommands(program, rt);
  registerSloCommands(program, rt);
  registerOpsCommands(program, rt);
  registerAuditCommands(program, rt);
  registerStaffCommands(program, rt);
  registerUserCommands(program, rt);
  registerBillingCommands(program, rt);
  for (const cmd of program.commands) propagate(cmd);
  program.hook('preAction', () => rt.prepare(program.opts<{ url?: string }>().url));
  return program;
}

/** Sub-commands inherit the program's error behaviour (commander does not copy it). */
function propagate(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) propagate(sub);
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], env: Record<string, string | undefined>, rt?: CliRuntime): Promise<number> {
  const json = argv.includes('--json');
  let runtime = rt;
  try {
    runtime ??= createRuntime(async () => (await import('../config.ts')).loadConfig(env));
    await buildProgram(runtime).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message; help and version are successes, usage errors are bad input.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? 0
        : 2;
    }
    return reportError(err, json, runtime ?? { out: process.stdout, err: process.stderr });
  }
}
