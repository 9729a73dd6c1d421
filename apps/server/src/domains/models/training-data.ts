/**
 * Training rows from a contractor's property file: the file goes through the property importer's mapping and
 * validation (so "$185,000", "Y" and "Architectural shingle" mean what they mean on import), and the arm and
 * outcome columns are read from the columns the importer kept aside.
 */
import { AppError } from '../../errors.ts';
import { ImportError } from '../properties/import-error.ts';
import { openPropertyImport } from '../properties/property-import.ts';
import type { ImportedProperty } from '../properties/property-row.ts';
import type { ByteSource } from '../properties/tabular.ts';

const TREAT = new Set(['treat', 'treatment', '1', 'true', 'yes', 'y', 'knocked']);
const HOLD = new Set(['hold', 'control', '0', 'false', 'no', 'n', 'holdout']);
const YES = new Set(['1', 'true', 'yes', 'y', 'signed', 'converted']);
const NO = new Set(['0', 'false', 'no', 'n', '']);

export interface LabelledRows {
  rows: ImportedProperty[];
  treatment: Float64Array;
  outcome: Float64Array;
  skipped: number;
}

export async function readTrainingCsv(input: {
  source: ByteSource;
  sourceName: string;
  treatmentCol: string;
  outcomeCol: string;
  treatValue?: string;
}): Promise<LabelledRows> {
  const rows: ImportedProperty[] = [];
  const treatment: number[] = [];
  const outcome: number[] = [];
  let skipped = 0;
  const fail = (row: number, column: string, value: string, reason: string) =>
    new AppError(
      'VALIDATION',
      `${input.sourceName}, row ${row}, column ${column}: ${reason} (value ${JSON.stringify(value)})`,
      { file: input.sourceName, row, column, value },
    );
  try {
    const imp = await openPropertyImport(input.source, { fileName: input.sourceName, dedupe: false });
    for (const name of [input.treatmentCol, input.outcomeCol]) {
      if (!imp.source.header.includes(name))
        throw new AppError(
          'VALIDATION',
          `${input.sourceName}: no column ${name}; columns are ${imp.source.header.join(', ')}`,
          { column: name },
        );
    }
    for await (const batch of imp.batches) {
      skipped += new Set(batch.errors.map((e) => e.row)).size;
      for (const p of batch.properties) {
        const arm = String(p.attributes[input.treatmentCol] ?? '').trim();
        const y = String(p.attributes[input.outcomeCol] ?? '')
          .trim()
          .toLowerCase();
        const isTreat = input.treatValue !== undefined ? arm === input.treatValue : TREAT.has(arm.toLowerCase());
        if (input.treatValue === undefined && !isTreat && !HOLD.has(arm.toLowerCase()))
          throw fail(p.row, input.treatmentCol, arm, 'arm must be treat/hold (or give --treat-value)');
        if (!YES.has(y) && !NO.has(y))
          throw fail(p.row, input.outcomeCol, y, 'outcome must be 0/1, true/false or yes/no');
        rows.push(p);
        treatment.push(isTreat ? 1 : 0);
        outcome.push(YES.has(y) ? 1 : 0);
      }
    }
  } catch (err) {
    if (err instanceof ImportError)
      throw new AppError('VALIDATION', `${input.sourceName}: ${err.message}`, {
        file: input.sourceName,
        code: err.code,
        row: err.row ?? null,
        column: err.column ?? null,
      });
    throw err;
  }
  return { rows, treatment: Float64Array.from(treatment), outcome: Float64Array.from(outcome), skipped };
}
