/** `stormops storm ...`: CLI adapter for storms. A storm id alone is enough: its tenant is worked out. */
import type { Command } from 'commander';
import { STORM_STATUSES } from './storms.schema.ts';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import type { StormStatus } from './storms.schema.ts';

export function registerStormCommands(program: Command, rt: CliRuntime): Command {
  const storm = program.command('storm').description('create and manage storms (one hail event a tenant works)');

  storm
    .command('create')
    .description('create a storm in planning')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--event-id <id>', 'your event id, unique within the tenant (e.g. DFW_STORM_001)')
    .requiredOption('--name <name>', 'a display name')
    .option('--starts-at <iso>', 'start date or date-time (UTC)')
    .option('--ends-at <iso>', 'end date or date-time (UTC)')
    .option('--region <text>', 'region, e.g. "Oklahoma City metro, OK"')
    .option('--json', 'print JSON')
    .action(
      (o: {
        tenant: string;
        eventId: string;
        name: string;
        startsAt?: string;
        endsAt?: string;
        region?: string;
        json?: boolean;
      }) =>
        rt.call(o, (ops) =>
          ops.storms.create({
            tenant_id: o.tenant,
            event_id: o.eventId,
            name: o.name,
            starts_at: o.startsAt,
            ends_at: o.endsAt,
            region: o.region,
          }),
        ),
    );

  storm
    .command('list')
    .description("list a tenant's storms, newest first")
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(choice('--status <status>', 'storm status', STORM_STATUSES))
    .option('--json', 'print JSON')
    .action((o: { tenant: string; status?: StormStatus; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.storms.list({ tenant_id: o.tenant, status: o.status }),
        (rows) => table(rows, ['storm_id', 'event_id', 'name', 'status', 'created_at']),
      ),
    );

  storm
    .command('show')
    .description('show a storm and its status history')
    .requiredOption('--storm <id>', 'storm id')
    .option('--json', 'print JSON')
    .action((o: { storm: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.storms.get(o.storm),
        (r) => keyValues(r),
      ),
    );

  storm
    .command('status')
    .description('move a storm: planning -> active -> closed, or cancelled')
    .requiredOption('--storm <id>', 'storm id')
    .argument('<status>', 'active | closed | cancelled')
    .option('--reason <text>', 'why (kept in the history)')
    .option('--json', 'print JSON')
    .action((status: StormStatus, o: { storm: string; reason?: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.storms.setStatus(o.storm, { status, reason: o.reason })),
    );
  return storm;
}
