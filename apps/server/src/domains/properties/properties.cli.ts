/** `stormops properties ...`: import a contractor's file into a storm (progress on a terminal), list, save mappings. */
import { csvRow } from '../../lib/csv/writer.ts';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import { progressBar } from '../../cli/progress.ts';
import { AppError } from '../../errors.ts';
import type { ColumnMapping } from './column-mapping.ts';
import type { RowError } from '../../lib/csv/errors.ts';
import type { DelimiterName, ImportSummary } from './properties.schema.ts';

/** `--delimiter`: a name, or the character itself. */
const DELIMITER_NAMES: Record<string, DelimiterName> = {
  ',': 'comma',
  comma: 'comma',
  ';': 'semicolon',
  semicolon: 'semicolon',
  tab: 'tab',
  '\\t': 'tab',
  '\t': 'tab',
  '|': 'pipe',
  pipe: 'pipe',
};

/** `--mapping` is a JSON file when one exists at that path, else the name of a saved mapping. */
function mappingArg(value: string | undefined): string | ColumnMapping | undefined {
  if (!value || !existsSync(value)) return value;
  try {
    return JSON.parse(readFileSync(value, 'utf8')) as ColumnMapping;
  } catch (err) {
    throw new AppError(
      'VALIDATION',
      `--mapping ${value}: not a JSON object of field -> column (${(err as Error).message})`,
    );
  }
}

function summaryText(r: ImportSummary, errorsFile: string | undefined): string {
  const lines = [
    `Imported ${r.source_name ?? 'file'} into storm ${r.storm_id}`,
    keyValues({
      rows_read: r.rows_read,
      inserted: r.inserted,
      updated: r.updated,
      unchanged: r.unchanged,
      duplicates: r.duplicates,
      invalid: r.invalid,
      elapsed: `${(r.elapsed_ms / 1000).toFixed(1)} s`,
      rate: `${r.rows_per_second.toLocaleString('en-US')} rows/s`,
    }),
  ];
  if (errorsFile && r.invalid) lines.push(`Rejected rows with reasons: ${errorsFile}`);
  return lines.join('\n');
}

export function registerPropertyCommands(program: Command, rt: CliRuntime): void {
  const props = program.command('properties').description("import and read a storm's properties");

  props
    .command('import')
    .description('import a CSV or JSON Lines file of properties into a storm (all or nothing unless --skip-invalid)')
    .requiredOption('--storm <id>', 'storm id')
    .argument('<file>', 'CSV (comma, semicolon or tab; detected) or JSON Lines')
    .option('--mapping <name|file>', 'a saved mapping name, or a JSON file {"address_line": "Street", ...}')
    .option('--skip-invalid', 'import the valid rows; write the rejected ones with reasons to an errors CSV')
    .option('--errors-out <file>', 'where the errors CSV goes (default FILE.errors.csv)')
    .option('--delimiter <d>', 'comma | semicolon | tab | pipe (default: detected)')
    .option('--format <f>', 'csv | jsonl (default: from the name or content)')
    .option('--json', 'print JSON, no progress')
    .action(
      async (
        file: string,
        o: {
          storm: string;
          mapping?: string;
          skipInvalid?: boolean;
          errorsOut?: string;
          delimiter?: string;
          format?: string;
          json?: boolean;
        },
      ) => {
        if (!existsSync(file)) throw new AppError('VALIDATION', `${file}: no such file`);
        if (o.format && o.format !== 'csv' && o.format !== 'jsonl')
          throw new AppError('VALIDATION', '--format must be csv or jsonl');
        const delimiter = o.delimiter === undefined ? undefined : DELIMITER_NAMES[o.delimiter];
        if (o.delimiter !== undefined && !delimiter)
          throw new AppError('VALIDATION', '--delimiter must be comma, semicolon, tab or pipe');
        const errorsFile = o.skipInvalid ? (o.errorsOut ?? `${file}.errors.csv`) : undefined;
        const errorsOut = errorsFile ? createWriteStream(errorsFile) : undefined;
        errorsOut?.write('row,column,value,code,reason\n');
        const bar = progressBar(process.stderr, {
          label: basename(file),
          totalBytes: statSync(file).size,
          enabled: !o.json,
        });
        try {
          await rt.call(
            o,
            (ops) =>
              ops.properties.import(
                {
                  storm_id: o.storm,
                  source: createReadStream(file),
                  source_name: basename(file),
                  format: o.format as 'csv' | 'jsonl' | undefined,
                  delimiter,
                  mapping: mappingArg(o.mapping),
                  skip_invalid: Boolean(o.skipInvalid),
                },
                {
                  onProgress: (p) => bar.update({ rows: p.rows_read, bytes: p.bytes_read, elapsedMs: p.elapsed_ms }),
                  onRejected: (errors: readonly RowError[]) => {
                    for (const e of errors)
                      errorsOut?.write(csvRow([e.row, e.column, e.value, e.code, e.reason]) + '\n');
                  },
                },
              ),
            (r) => summaryText(r, errorsFile),
          );
        } finally {
          bar.done();
          errorsOut?.end();
        }
      },
    );

  props
    .command('list')
    .description("a page of a storm's properties")
    .requiredOption('--storm <id>', 'storm id')
    .option('--limit <n>', 'rows (max 1000)', '20')
    .option('--after <property-id>', 'continue after this property id')
    .option('--json', 'print JSON')
    .action((o: { storm: string; limit: string; after?: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.properties.list({ storm_id: o.storm, limit: Number(o.limit), after: o.after }),
        (r) =>
          `${r.total} properties\n` +
          table(r.properties, [
            'property_id',
            'address_line',
            'city',
            'zip',
            'roof_age_years',
            'max_hail_in',
            'nearest_hail_mi',
          ]),
      ),
    );

  props
    .command('save-mapping')
    .description('save a column mapping under a name for later imports (--mapping NAME)')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--name <name>', 'mapping name')
    .requiredOption('--file <mapping.json>', 'JSON object of field -> column header')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; name: string; file: string; json?: boolean }) => {
      const mapping = mappingArg(o.file);
      if (typeof mapping !== 'object') throw new AppError('VALIDATION', `--file ${o.file}: no such file`);
      return rt.call(o, (ops) =>
        ops.properties.saveMapping({ tenant_id: o.tenant, name: o.name, mapping: mapping as Record<string, string> }),
      );
    });
}
