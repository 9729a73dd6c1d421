/** `stormops outcome ...`: log one outcome, import a CSV of them, show a property's outcome history. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';
import type { BatchResult } from './outcomes.schema.ts';

function bool(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new AppError('VALIDATION', '--converted must be true or false');
}

function batchText(r: BatchResult): string {
  const head = `${r.accepted} accepted, ${r.replayed} replayed, ${r.refused_count} refused of ${r.received}${r.late ? ` (${r.late} late)` : ''} in ${r.elapsed_ms} ms`;
  return r.refused.length ? `${head}\n${table(r.refused, ['row', 'code', 'reason'])}` : head;
}

export function registerOutcomeCommands(program: Command, rt: CliRuntime): Command {
  const outcome = program.command('outcome').description('outcomes: signed or not, and the job value, per property');

  outcome
    .command('log')
    .description('log one outcome (a later one for the same property supersedes it; both are kept)')
    .option('--storm <id>', 'storm id (or --event-id with --tenant)')
    .option('--event-id <id>', "the storm's event id, as the playbook's log_outcome takes it")
    .option('--tenant <id>', 'tenant id (with --event-id)')
    .requiredOption('--property <id>', 'property id')
    .requiredOption('--converted <bool>', 'true | false')
    .option('--value <dollars>', 'job value in dollars')
    .option('--idempotency-key <key>', 'retry-safe key (the same key with another payload is refused)')
    .option('--json', 'print JSON')
    .action(
      (o: {
        storm?: string;
        eventId?: string;
        tenant?: string;
        property: string;
        converted: string;
        value?: string;
        idempotencyKey?: string;
        json?: boolean;
      }) => {
        const value = o.value === undefined ? undefined : Number(o.value);
        if (value !== undefined && !Number.isFinite(value))
          throw new AppError('VALIDATION', '--value must be a number of dollars');
        return rt.call(o, (ops) =>
          ops.outcomes.log({
            storm_id: o.storm,
            event_id: o.eventId,
            tenant_id: o.tenant,
            property_id: o.property,
            converted: bool(o.converted),
            value,
            idempotency_key: o.idempotencyKey,
          }),
        );
      },
    );

  outcome
    .command('import')
    .description('import a CSV (property_id, converted, value | value_cents, optional idempotency_key)')
    .requiredOption('--storm <id>', 'storm id')
    .argument('<file>', 'CSV file')
    .option('--idempotency-key <key>', 'keys rows as <key>:<line> (default: SHA-256 of the file)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { storm: string; idempotencyKey?: string; json?: boolean }) => {
      const text = await readFile(file, 'utf8').catch((err: Error) => {
        throw new AppError('VALIDATION', `cannot read ${file}: ${err.message}`);
      });
      return rt.call(
        o,
        (ops) =>
          ops.outcomes.import({
            storm_id: o.storm,
            text,
            source_name: file,
            idempotency_key: o.idempotencyKey,
          }),
        batchText,
      );
    });

  outcome
    .command('history')
    .description("every version of a property's outcome")
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--property <id>', 'property id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; property: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.outcomes.history({ tenant_id: o.tenant, property_id: o.property }),
        (rows) =>
          table(rows, ['outcome_id', 'converted', 'value', 'is_current', 'late', 'idempotency_key', 'recorded_at']),
      ),
    );
  return outcome;
}
