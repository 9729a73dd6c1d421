/**
 * `stormops demo generate`: realistic synthetic properties around the real hail of a scenario, deterministic by seed,
 * written as a CSV (optionally a past campaign with arms and outcomes) or imported into a storm.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { progressBar } from '../../cli/progress.ts';
import { AppError } from '../../errors.ts';
import {
  SCENARIOS,
  generateHistory,
  generateProperties,
  type HistoryRow,
  type Scenario,
  type SyntheticProperty,
} from './generator.ts';
import { RATES_NAMES, type RatesName } from './true-uplift.ts';
import { HISTORY_CSV_HEADER, PROPERTIES_CSV_HEADER, csvLine, historyCsvLine } from './properties-csv.ts';

const TRUTH_COLUMNS = ',base_conversion,true_uplift';

interface GenerateOptions {
  scenario: string;
  properties: string;
  seed: string;
  out?: string;
  storm?: string;
  history?: boolean;
  withTruth?: boolean;
  rates: string;
  json?: boolean;
}

/** The CSV text of the generated rows, in chunks (never the whole file in memory). */
function* csvChunks(o: {
  rates: RatesName;
  count: number;
  seed: number;
  scenario: Scenario;
  history: boolean;
  truth: boolean;
}): Generator<{ text: string; rows: number }> {
  const rows: Iterable<SyntheticProperty | HistoryRow> = o.history
    ? generateHistory({ count: o.count, seed: o.seed, scenario: o.scenario, rates: o.rates })
    : generateProperties({ count: o.count, seed: o.seed, scenario: o.scenario, rates: o.rates });
  let chunk = (o.history ? HISTORY_CSV_HEADER : PROPERTIES_CSV_HEADER) + (o.truth ? TRUTH_COLUMNS : '') + '\n';
  let count = 0;
  for (const p of rows) {
    count++;
    let line = 'arm' in p ? historyCsvLine(p) : csvLine(p);
    if (o.truth) line += `,${p.base_conversion.toFixed(6)},${p.true_uplift.toFixed(6)}`;
    chunk += line + '\n';
    if (chunk.length > 256 * 1024) {
      yield { text: chunk, rows: count };
      chunk = '';
    }
  }
  if (chunk) yield { text: chunk, rows: count };
}

function parseCount(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new AppError('VALIDATION', `${flag} must be a whole number from 1 to ${max.toLocaleString('en-US')}`);
  return n;
}

export function registerDemoCommands(program: Command, rt: CliRuntime): void {
  const demo = program.command('demo').description('synthetic storms for demos, tests and benchmarks');
  demo
    .command('generate')
    .description('generate properties around the real hail of a scenario (--out FILE, or --storm ID to import them)')
    .option('--scenario <name>', SCENARIOS.join(' | '), 'okc-2013-05-20')
    .requiredOption('--properties <n>', 'how many properties')
    .option('--seed <s>', 'random seed (same seed, same data)', '1')
    .option('--out <file>', 'write a CSV here')
    .option('--storm <id>', 'import into this storm instead')
    .option(
      '--history',
      'a past campaign: arms assigned 50/50 at random, outcomes drawn from the hidden true uplift (with --out)',
    )
    .option('--with-truth', 'add the hidden base conversion and true uplift columns (with --out)')
    .option(
      '--rates <rates>',
      "the hidden truth's sizes: strong (a clear signal for tests) | planning (a roofer's)",
      'strong',
    )
    .option('--json', 'print JSON')
    .action(async (o: GenerateOptions) => {
      if (!SCENARIOS.includes(o.scenario as Scenario))
        throw new AppError('VALIDATION', `--scenario must be one of ${SCENARIOS.join(', ')}`);
      if (Boolean(o.out) === Boolean(o.storm))
        throw new AppError('VALIDATION', 'give exactly one of --out FILE or --storm STORM_ID');
      if (o.storm && (o.history || o.withTruth)) {
        throw new AppError(
          'VALIDATION',
          '--history and --with-truth write a CSV: use them with --out (a storm keeps only what a contractor would know)',
        );
      }
      if (!RATES_NAMES.includes(o.rates as RatesName))
        throw new AppError('VALIDATION', `--rates must be one of ${RATES_NAMES.join(', ')}`);
      const spec = {
        rates: o.rates as RatesName,
        count: parseCount(o.properties, '--properties', 10_000_000),
        seed: parseCount(o.seed, '--seed', 2 ** 31 - 1),
        scenario: o.scenario as Scenario,
      };
      if (o.out) {
        const out = createWriteStream(o.out);
        const bar = progressBar(process.stderr, { label: 'generating', enabled: !o.json });
        const started = performance.now();
        let bytes = 0;
        for (const chunk of csvChunks({ ...spec, history: Boolean(o.history), truth: Boolean(o.withTruth) })) {
          bytes += chunk.text.length;
          if (!out.write(chunk.text)) await once(out, 'drain');
          bar.update({ rows: chunk.rows, elapsedMs: performance.now() - started });
        }
        out.end();
        await once(out, 'finish');
        bar.done();
        const result = {
          file: o.out,
          properties: spec.count,
          seed: spec.seed,
          scenario: spec.scenario,
          history: Boolean(o.history),
          bytes,
        };
        rt.out.write(
          o.json
            ? JSON.stringify(result, null, 2) + '\n'
            : `wrote ${spec.count.toLocaleString('en-US')} properties to ${o.out}\n`,
        );
        return;
      }
      const bar = progressBar(process.stderr, { label: 'importing', enabled: !o.json });
      try {
        await rt.call(o, (ops) =>
          ops.properties.import(
            {
              storm_id: o.storm as string,
              source: (function* () {
                for (const chunk of csvChunks({ ...spec, history: false, truth: false })) yield Buffer.from(chunk.text);
              })(),
              source_name: `demo-${spec.scenario}-seed${spec.seed}.csv`,
            },
            { onProgress: (p) => bar.update({ rows: p.rows_read, elapsedMs: p.elapsed_ms }) },
          ),
        );
      } finally {
        bar.done();
      }
    });

  demo
    .command('outcomes')
    .description(
      "play a storm out: outcomes for the policy's arms from the generator's hidden truth, knocks on treat properties",
    )
    .requiredOption('--storm <id>', 'storm id (properties from demo generate --storm, with a policy applied)')
    .option('--seed <s>', 'outcome seed (same seed, same outcomes)', '1')
    .option('--contaminate <n>', 'also knock this many hold properties (contamination)', '0')
    .option('--json', 'print JSON')
    .action((o: { storm: string; seed: string; contaminate: string; json?: boolean }) =>
      rt.run(o, async (ctx) =>
        (await import('./demo-outcomes.ts')).demoOutcomes(ctx, {
          storm_id: o.storm,
          seed: parseCount(o.seed, '--seed', 2 ** 31 - 1),
          contaminate: Number(o.contaminate) || 0,
        }),
      ),
    );
}
