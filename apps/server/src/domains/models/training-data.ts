/**
 * Training rows from a file with an arm column and an outcome column. Two kinds of file:
 * - a contractor's property file (it has an address): it goes through the property importer's mapping and
 *   validation, so "$185,000", "Y" and "Architectural shingle" mean what they mean on import;
 * - a plain experiment table (no address, such as the Hillstrom e-mail experiment): each column is taken as it is,
 *   a number where it reads as one and a label otherwise, and any column can be named as a feature.
 * Only the two named arms are kept; rows of other arms are counted and left out, never pooled into control.
 */
import { AppError } from '../../errors.ts';
import { resolveMapping } from '../properties/column-mapping.ts';
import { openCsv } from '../../lib/csv/reader.ts';
import { ImportError, importErrorToAppError } from '../../lib/csv/errors.ts';
import { openPropertyImport } from '../properties/property-import.ts';
import type { PropertyLike } from './features.ts';
import { toAsyncIterator, type ByteSource } from '../../lib/csv/tabular.ts';

const TREAT = new Set(['treat', 'treatment', '1', 'true', 'yes', 'y', 'knocked']);
const HOLD = new Set(['hold', 'control', '0', 'false', 'no', 'n', 'holdout']);
const YES = new Set(['1', 'true', 'yes', 'y', 'signed', 'converted']);
const NO = new Set(['0', 'false', 'no', 'n', '']);

export interface TrainingFile {
  source: ByteSource;
  sourceName: string;
  treatmentCol: string;
  outcomeCol: string;
  /** The arm value meaning treated; with it, `controlValue` names the control arm and other arms are left out. */
  treatValue?: string;
  controlValue?: string;
}

export interface LabelledRows {
  rows: PropertyLike[];
  treatment: Float64Array;
  outcome: Float64Array;
  /** Rows the property importer refused (property files only). */
  skipped: number;
  /** Rows of arms other than the two named. */
  leftOut: number;
  kind: 'property_file' | 'plain_table' | 'storm';
}

/** Decides what a row's arm is: 1 treated, 0 control, null another arm (left out). */
function armReader(input: TrainingFile): (arm: string) => 0 | 1 | null | undefined {
  if ((input.treatValue === undefined) !== (input.controlValue === undefined))
    throw new AppError(
      'VALIDATION',
      'name both arms: --treat-value and --control-value (rows of any other arm are left out, not pooled into control)',
      { field: input.treatValue === undefined ? 'treat_value' : 'control_value' },
    );
  if (input.treatValue !== undefined && input.treatValue === input.controlValue)
    throw new AppError('VALIDATION', '--treat-value and --control-value must differ', { field: 'control_value' });
  if (input.treatValue !== undefined) {
    const [t, c] = [input.treatValue, input.controlValue];
    return (arm) => (arm === t ? 1 : arm === c ? 0 : null);
  }
  return (arm) => (TREAT.has(arm.toLowerCase()) ? 1 : HOLD.has(arm.toLowerCase()) ? 0 : undefined);
}

export async function readTrainingCsv(input: TrainingFile): Promise<LabelledRows> {
  const armOf = armReader(input);
  const fail = (row: number, column: string, value: string, reason: string) =>
    new AppError(
      'VALIDATION',
      `${input.sourceName}, row ${row}, column ${column}: ${reason} (value ${JSON.stringify(value)})`,
      { file: input.sourceName, row, column, value },
    );
  const out: LabelledRows = {
    rows: [],
    treatment: new Float64Array(0),
    outcome: new Float64Array(0),
    skipped: 0,
    leftOut: 0,
    kind: 'plain_table',
  };
  const treatment: number[] = [];
  const outcome: number[] = [];
  const take = (row: number, p: PropertyLike, armText: unknown, yText: unknown) => {
    const arm = String(armText ?? '').trim();
    const y = String(yText ?? '')
      .trim()
      .toLowerCase();
    const a = armOf(arm);
    if (a === undefined)
      throw fail(row, input.treatmentCol, arm, 'arm must be treat/hold (or give --treat-value and --control-value)');
    if (a === null) {
      out.leftOut++;
      return;
    }
    if (!YES.has(y) && !NO.has(y)) throw fail(row, input.outcomeCol, y, 'outcome must be 0/1, true/false or yes/no');
    out.rows.push(p);
    treatment.push(a);
    outcome.push(YES.has(y) ? 1 : 0);
  };
  try {
    const { header, source } = await peekHeader(input.source);
    for (const name of [input.treatmentCol, input.outcomeCol]) {
      if (!header.includes(name))
        throw new AppError('VALIDATION', `${input.sourceName}: no column ${name}; columns are ${header.join(', ')}`, {
          column: name,
        });
    }
    if (isPropertyFile(header)) {
      out.kind = 'property_file';
      const imp = await openPropertyImport(source, { fileName: input.sourceName, dedupe: false });
      for await (const batch of imp.batches) {
        out.skipped += new Set(batch.errors.map((e) => e.row)).size;
        for (const p of batch.properties)
          take(p.row, p as unknown as PropertyLike, p.attributes[input.treatmentCol], p.attributes[input.outcomeCol]);
      }
    } else {
      const csv = await openCsv(source);
      const [ti, yi] = [csv.header.indexOf(input.treatmentCol), csv.header.indexOf(input.outcomeCol)];
      for await (const records of csv.batches) {
        for (const r of records) {
          const attributes: Record<string, string> = {};
          csv.header.forEach((h, i) => (attributes[h] = r.fields[i] ?? ''));
          take(r.rowNumber, { attributes }, r.fields[ti], r.fields[yi]);
        }
        await new Promise<void>((resolve) => setImmediate(resolve)); // a large table never holds the event loop
      }
    }
  } catch (err) {
    if (err instanceof ImportError) throw importErrorToAppError(err, input.sourceName);
    throw err;
  }
  out.treatment = Float64Array.from(treatment);
  out.outcome = Float64Array.from(outcome);
  return out;
}

/** A property file is one the importer can place: it has an address (and a ZIP or city and state). */
function isPropertyFile(header: readonly string[]): boolean {
  try {
    resolveMapping(header);
    return true;
  } catch (err) {
    if (err instanceof ImportError && err.code === 'MISSING_REQUIRED_COLUMN') return false;
    throw err;
  }
}

/** Reads the header from the first lines, and gives back a source that yields every byte again from the start. */
async function peekHeader(source: ByteSource): Promise<{ header: string[]; source: AsyncIterable<Uint8Array> }> {
  const it = toAsyncIterator(source);
  const head: Uint8Array[] = [];
  let lines = 0;
  let size = 0;
  let done = false;
  // The header and one whole record, so that the reader sees complete lines only.
  while (!done && lines < 2 && size < 1 << 20) {
    const next = await it.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      size += next.value.byteLength;
      for (const b of next.value) if (b === 10) lines++;
    }
  }
  const bytes = Buffer.concat(head);
  const lastLine = done ? bytes.length : bytes.lastIndexOf(10) + 1;
  const header = lastLine > 0 ? (await openCsv([bytes.subarray(0, lastLine)])).header : [];
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { header, source: replay() };
}
