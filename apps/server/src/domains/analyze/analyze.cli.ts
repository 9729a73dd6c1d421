/**
 * `stormops analyze --csv FILE ...`: lift of any past two-arm campaign from a CSV (one row per unit). Needs no
 * database, so it neither opens nor locks the data folder.
 */
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { AppError } from '../../errors.ts';
import { renderAnalyzeHuman } from './analyze.render.ts';

interface AnalyzeFlags {
  csv: string;
  armCol: string;
  treat: string;
  control: string;
  outcome: string;
  value?: string;
  by?: string;
  alpha?: string;
  controlShare?: string;
  json?: boolean;
}

function number(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new AppError('VALIDATION', `${flag}: ${JSON.stringify(raw)} is not a number`);
  return n;
}

export function registerAnalyzeCommands(program: Command, rt: CliRuntime): Command {
  return program
    .command('analyze')
    .description('lift, interval, p-value and SRM check of a past campaign from a CSV with one row per unit')
    .requiredOption('--csv <file>', 'the CSV file (streamed; any size)')
    .requiredOption('--arm-col <column>', "column holding each row's arm")
    .requiredOption('--treat <value>', 'arm value of treated rows')
    .requiredOption('--control <value>', 'arm value of control (hold-out) rows')
    .requiredOption('--outcome <column>', '0/1 outcome column (true/false, yes/no accepted)')
    .option('--value <column>', 'numeric value per row (revenue, spend): adds a Welch comparison of means')
    .option('--by <column>', 'also lift per value of this column (ZIP, persona), Holm-adjusted across segments')
    .option('--alpha <a>', 'two-sided significance level (default 0.05)')
    .option('--control-share <s>', 'intended control share, for the sample-ratio check (default 0.5)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  stormops analyze --csv ../shared/data/hillstrom.csv --arm-col segment --treat "Womens E-Mail" --control "No E-Mail" --outcome visit --value spend',
    )
    .action(async (o: AnalyzeFlags) => {
      const { analyzeCsvFile } = await import('./analyze.service.ts');
      const result = await analyzeCsvFile(null, o.csv, {
        arm_col: o.armCol,
        treat: o.treat,
        control: o.control,
        outcome: o.outcome,
        value: o.value,
        by: o.by,
        alpha: number('--alpha', o.alpha),
        control_share: number('--control-share', o.controlShare),
      });
      rt.out.write((o.json ? JSON.stringify(result, null, 2) : renderAnalyzeHuman(result)) + '\n');
    });
}
