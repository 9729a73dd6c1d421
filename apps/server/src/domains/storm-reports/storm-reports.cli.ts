/** `stormops storm reports import|exposure`: NOAA SPC reports into a storm, and the exposure they give properties. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues } from '../../cli/output.ts';
import { stepProgress } from '../../cli/progress.ts';
import { AppError } from '../../errors.ts';

export function registerStormReportCommands(storm: Command, rt: CliRuntime): void {
  const reports = storm.command('reports').description('NOAA SPC storm reports and property exposure');
  reports
    .command('import')
    .description(
      'import an SPC daily report file (hail, wind, tornado or the combined YYMMDD_rpts.csv) and update exposure',
    )
    .requiredOption('--storm <id>', 'storm id')
    .argument('<file>', 'SPC CSV, e.g. 130520_rpts_hail.csv')
    .option('--date <yyyy-mm-dd>', 'convective day, when the file name does not start with YYMMDD')
    .option('--radius <miles>', 'exposure radius in miles', '5')
    .option('--json', 'print JSON')
    .action((file: string, o: { storm: string; date?: string; radius: string; json?: boolean }) => {
      if (!existsSync(file)) throw new AppError('VALIDATION', `${file}: no such file`);
      return rt.call(
        o,
        (ops) =>
          ops.stormReports.import({
            storm_id: o.storm,
            text: readFileSync(file, 'utf8'),
            file_name: basename(file),
            radius: o.radius,
            date: o.date,
          }),
        (r) =>
          `${keyValues({ file: r.file, ...r.read, inserted: r.inserted, already_present: r.already_present })}\nexposure: ${keyValues(r.exposure).replace(/\n/g, '; ')}`,
      );
    });
  reports
    .command('exposure')
    .description("recompute every property's exposure (e.g. with another radius)")
    .requiredOption('--storm <id>', 'storm id')
    .option('--radius <miles>', 'radius in miles', '5')
    .option('--json', 'print JSON')
    .action(async (o: { storm: string; radius: string; json?: boolean }) => {
      const bar = stepProgress(rt.err, 'exposure');
      try {
        await rt.call(o, (ops) =>
          ops.stormReports.recomputeExposure({ storm_id: o.storm, radius: o.radius }, (p) => bar.update(p)),
        );
      } finally {
        bar.done();
      }
    });
}
