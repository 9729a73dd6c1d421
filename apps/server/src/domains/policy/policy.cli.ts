/** `stormops policy ...`: show and change policies, apply one to a storm (or record a shadow run), list runs. */
import type { Command } from 'commander';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import { KNOCK_RESULTS } from './knock-results.ts';
import { AppError } from '../../errors.ts';
import { writeFile } from 'node:fs/promises';
import type { PolicyMode, PolicyRunView } from './policy.schema.ts';
import { POLICY_MODES } from './policy-modes.ts';

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AppError('VALIDATION', `${flag} must be a whole number`);
  return n;
}

function human(r: PolicyRunView): string {
  const lines = [
    `${r.shadow ? 'Shadow run (no arms written)' : 'Policy applied'}: ${r.mode} v${r.policy_version}, seed ${r.seed}`,
    `  Treat: ${r.treat} (${r.treat_pct.toFixed(1)}%)`,
    `  Hold: ${r.hold} (${r.hold_pct.toFixed(1)}%)`,
    `  Excluded: ${r.excluded}${r.unscored ? `, unscored: ${r.unscored}` : ''}`,
    `  Capacity used: ${r.capacity_used} of ${r.capacity} doors (${r.capacity_used_pct.toFixed(1)}%)`,
    `  Expected incremental: ${r.expected_incremental_conversions.toFixed(1)} jobs, $${r.expected_incremental_revenue.toLocaleString('en-US')}`,
    `  Contamination: ${r.contamination.hold_knocked} hold properties knocked`,
    ...r.warnings.map((w) => `  warning: ${w}`),
  ];
  return lines.join('\n');
}

export function registerPolicyCommands(program: Command, rt: CliRuntime): Command {
  const policy = program
    .command('policy')
    .description('policies: which properties to treat, the hold-out group, crew capacity');

  policy
    .command('apply')
    .description('apply a policy to a storm (arms are written once and never change)')
    .requiredOption('--storm <id>', 'storm id')
    .addOption(choice('--mode <mode>', 'policy mode', POLICY_MODES, 'moderate'))
    .option('--version <n>', 'a specific version of the mode (default: latest)')
    .option('--seed <n>', 'randomization seed (default: derived from the storm id)')
    .option('--dry-run', 'shadow mode: compute and record the run, write no arms')
    .option('--new-batch', 'another mode or version on a storm with arms: assign the rest as a new numbered batch')
    .option('--json', 'print JSON')
    .action(
      (o: {
        storm: string;
        mode: string;
        version?: string;
        seed?: string;
        dryRun?: boolean;
        newBatch?: boolean;
        json?: boolean;
      }) => {
        const version = int(o.version, '--version');
        const seed = int(o.seed, '--seed');
        return rt.call(
          o,
          (ops) =>
            ops.policy.apply({
              storm_id: o.storm,
              mode: o.mode as PolicyMode,
              shadow: Boolean(o.dryRun),
              new_batch: Boolean(o.newBatch),
              version,
              seed,
            }),
          human,
        );
      },
    );

  policy
    .command('show')
    .description("a tenant's policy mode (latest version unless --version)")
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(choice('--mode <mode>', 'policy mode', POLICY_MODES).makeOptionMandatory())
    .option('--version <n>', 'version')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; mode: string; version?: string; json?: boolean }) => {
      const version = int(o.version, '--version');
      return rt.call(
        o,
        (ops) => ops.policy.get({ tenant_id: o.tenant, mode: o.mode as PolicyMode, version: version || undefined }),
        (r) => keyValues({ ...r, params: JSON.stringify(r.params) }),
      );
    });

  policy
    .command('set')
    .description('change parameters of a mode (a new version), e.g. --param crews=6 --param hold_share=0.25')
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(choice('--mode <mode>', 'policy mode', POLICY_MODES).makeOptionMandatory())
    .requiredOption('--param <k=v...>', 'parameter=value (repeatable)')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; mode: string; param: string[]; json?: boolean }) => {
      const params: Record<string, number> = {};
      for (const kv of o.param) {
        const [k, v] = kv.split('=');
        if (!k || v === undefined || !Number.isFinite(Number(v)))
          throw new AppError('VALIDATION', `--param ${kv}: expected name=number`);
        params[k] = Number(v);
      }
      return rt.call(o, (ops) => ops.policy.configure({ tenant_id: o.tenant, mode: o.mode as PolicyMode, params }));
    });

  policy
    .command('runs')
    .description('policy runs of a storm (applied and shadow), newest first')
    .requiredOption('--storm <id>', 'storm id')
    .option('--json', 'print JSON')
    .action((o: { storm: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.policy.runs({ storm_id: o.storm }),
        (rows) =>
          table(rows, [
            'run_id',
            'mode',
            'policy_version',
            'seed',
            'shadow',
            'treat',
            'hold',
            'excluded',
            'created_at',
          ]),
      ),
    );

  policy
    .command('contamination')
    .description('hold properties knocked anyway')
    .requiredOption('--storm <id>', 'storm id')
    .option('--json', 'print JSON')
    .action((o: { storm: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.policy.contamination({ storm_id: o.storm })),
    );

  policy
    .command('territories')
    .description('split the treat list among canvassers by geography (compact territories, walking order stored)')
    .requiredOption('--storm <id>', 'storm id')
    .requiredOption('--canvassers <names|n>', 'comma-separated names, or a count')
    .option('--json', 'print JSON')
    .action((o: { storm: string; canvassers: string; json?: boolean }) => {
      const canvassers = /^\d+$/.test(o.canvassers)
        ? Number(o.canvassers)
        : o.canvassers.split(',').map((x) => x.trim());
      return rt.call(
        o,
        (ops) => ops.policy.planTerritories({ storm_id: o.storm, canvassers }),
        (r) => table(r.territories, ['territory', 'canvasser', 'doors', 'route_km']),
      );
    });

  policy
    .command('export')
    .description('walk lists in walking order as CSV or GeoJSON (all territories, or --territory N)')
    .requiredOption('--storm <id>', 'storm id')
    .addOption(choice('--format <f>', 'walk list format', ['csv', 'geojson'], 'csv'))
    .option('--territory <n>', 'one territory')
    .option('--out <file>', 'write here instead of printing')
    .option('--json', 'print JSON (a summary when --out is given)')
    .action((o: { storm: string; format: string; territory?: string; out?: string; json?: boolean }) => {
      const territory = int(o.territory, '--territory');
      return rt.call(
        o,
        async (ops) => {
          const out = await ops.policy.exportWalkList({
            storm_id: o.storm,
            format: o.format as 'csv' | 'geojson',
            territory: territory || undefined,
          });
          const text = typeof out === 'string' ? out : JSON.stringify(out, null, 2);
          if (!o.out) return out;
          await writeFile(o.out, text);
          return { file: o.out, format: o.format, bytes: Buffer.byteLength(text) };
        },
        (r) => (typeof r === 'string' ? r.trimEnd() : JSON.stringify(r, null, 2)),
      );
    });

  program
    .command('knock')
    .description('the canvassing log')
    .command('log')
    .description('log a knock (a knock on a hold property is recorded and flagged as contamination)')
    .requiredOption('--storm <id>', 'storm id')
    .requiredOption('--property <id>', 'property id')
    .requiredOption('--canvasser <name>', 'who knocked')
    .requiredOption('--result <code>', KNOCK_RESULTS.join(' | '))
    .option('--at <iso>', 'when (default now)')
    .option('--idempotency-key <key>', 'retry-safe key')
    .option('--json', 'print JSON')
    .action(
      (o: {
        storm: string;
        property: string;
        canvasser: string;
        result: string;
        at?: string;
        idempotencyKey?: string;
        json?: boolean;
      }) =>
        rt.call(o, (ops) =>
          ops.policy.logKnock({
            storm_id: o.storm,
            property_id: o.property,
            canvasser: o.canvasser,
            result: o.result as (typeof KNOCK_RESULTS)[number],
            knocked_at: o.at,
            idempotency_key: o.idempotencyKey,
          }),
        ),
    );
  return policy;
}
