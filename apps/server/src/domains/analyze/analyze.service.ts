/**
 * Analyze any past two-arm campaign from a CSV, one row per unit, without loading it: the file is streamed through
 * the properties CSV reader (quotes, BOM, CRLF, delimiters) and folded into sufficient statistics per arm (n,
 * conversions, running mean and variance of the value); `analyzeTwoArms` from @stormops/stats does the statistics.
 * Every bad value is refused with the file, row and column named.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { analyzeTwoArms, RunningMoments, type ArmCounts } from '@stormops/stats';
import { AppError } from '../../errors.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { openCsv } from '../../lib/csv/reader.ts';
import { ImportError } from '../../lib/csv/errors.ts';
import type { ByteSource, TabularSource } from '../../lib/csv/tabular.ts';
import { parse } from '../validate.ts';
import { MAX_SEGMENTS, segmentLifts, type SegmentCounts } from './segments.ts';
import { analyzeInput, type AnalyzeInput, type AnalyzeOptions, type AnalyzeView } from './analyze.schema.ts';

const MAX_IGNORED_VALUES = 20;
const TRUE_WORDS = new Set(['1', 'true', 'yes', 't', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'f', 'n']);

/** Running sufficient statistics of one arm (values by Welford's update: exact far from zero too). */
class ArmAccumulator {
  n = 0;
  conversions = 0;
  readonly values = new RunningMoments();

  add(converted: boolean, value: number | undefined): void {
    this.n++;
    if (converted) this.conversions++;
    if (value !== undefined) this.values.add(value);
  }

  counts(withValue: boolean): ArmCounts {
    const base = { n: this.n, conversions: this.conversions };
    if (!withValue) return base;
    const { mean, variance } = this.values.summary();
    return { ...base, valueMoments: { mean, variance } };
  }
}

interface Location {
  file: string;
  row: number;
  column: string;
}

function invalid(message: string, at: Partial<Location> & { file: string }, value?: string): AppError {
  const where = [
    at.file,
    at.row === undefined ? undefined : `row ${at.row}`,
    at.column === undefined ? undefined : `column "${at.column}"`,
  ];
  return new AppError('VALIDATION', `${where.filter(Boolean).join(', ')}: ${message}`, {
    file: at.file,
    ...(at.row === undefined ? {} : { row: at.row }),
    ...(at.column === undefined ? {} : { column: at.column }),
    ...(value === undefined ? {} : { value: value.slice(0, 200) }),
  });
}

/** Accepts 0/1, true/false, yes/no (any case, trimmed); anything else is refused with its location. */
export function parseOutcome(raw: string, at: Location): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  if (v !== '' && (Number(v) === 0 || Number(v) === 1)) return Number(v) === 1; // 1.0, 0.00
  throw invalid(`outcome ${JSON.stringify(raw)} is not 0/1 (accepted: 0, 1, true, false, yes, no)`, at, raw);
}

/** A finite decimal number (no thousands separators or currency signs: they are ambiguous across locales). */
export function parseValue(raw: string, at: Location): number {
  const v = raw.trim();
  const n = v === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
    const hint = v === '' ? ' (write 0 for units without a value)' : '';
    throw invalid(`value ${JSON.stringify(raw)} is not a number${hint}`, at, raw);
  }
  return n;
}

function columnIndex(header: string[], name: string, file: string, flag: string): number {
  let i = header.indexOf(name);
  if (i === -1) i = header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  if (i === -1) {
    throw new AppError(
      'VALIDATION',
      `${file}: column "${name}" (${flag}) not found; the columns are: ${header.join(', ')}`,
      {
        file,
        column: name,
        columns: header,
      },
    );
  }
  return i;
}

/** Folds the batches into the two arms; returns the accumulators and the other arm values seen. */
async function accumulate(table: TabularSource, o: AnalyzeOptions) {
  const armIdx = columnIndex(table.header, o.arm_col, o.file_name, '--arm-col');
  const outIdx = columnIndex(table.header, o.outcome, o.file_name, '--outcome');
  const valIdx = o.value === undefined ? -1 : columnIndex(table.header, o.value, o.file_name, '--value');
  const byIdx = o.by === undefined ? -1 : columnIndex(table.header, o.by, o.file_name, '--by');
  const segments = new Map<
    string,
    { treat: { n: number; conversions: number }; control: { n: number; conversions: number } }
  >();
  const [armName, outName, valName] = [armIdx, outIdx, valIdx].map((i) => table.header[i] ?? '');
  const treat = new ArmAccumulator();
  const control = new ArmAccumulator();
  const ignored = new Map<string, number>();
  let rows = 0;
  let ignoredRows = 0;
  const treatValue = o.treat.trim();
  const controlValue = o.control.trim();
  for await (const batch of table.batches) {
    for (const record of batch) {
      rows++;
      const f = record.fields;
      const arm = (f[armIdx] ?? '').trim();
      const acc = arm === treatValue ? treat : arm === controlValue ? control : undefined;
      if (!acc) {
        ignoredRows++;
        if (ignored.has(arm) || ignored.size < MAX_IGNORED_VALUES) ignored.set(arm, (ignored.get(arm) ?? 0) + 1);
        continue;
      }
      const at = { file: o.file_name, row: record.rowNumber };
      const converted = parseOutcome(f[outIdx] ?? '', { ...at, column: outName! });
      acc.add(converted, valIdx === -1 ? undefined : parseValue(f[valIdx] ?? '', { ...at, column: valName! }));
      if (byIdx !== -1) {
        const key = (f[byIdx] ?? '').trim();
        let seg = segments.get(key);
        if (!seg) {
          if (segments.size >= MAX_SEGMENTS)
            throw invalid(
              `more than ${MAX_SEGMENTS} distinct values: a segment column groups units (ZIP, persona), it does not name them`,
              { ...at, column: table.header[byIdx]! },
              key,
            );
          seg = { treat: { n: 0, conversions: 0 }, control: { n: 0, conversions: 0 } };
          segments.set(key, seg);
        }
        const arm = acc === treat ? seg.treat : seg.control;
        arm.n++;
        if (converted) arm.conversions++;
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // a batch at a time: the event loop stays free
  }
  return {
    treat,
    control,
    ignored,
    rows,
    ignoredRows,
    columns: {
      arm: armName!,
      outcome: outName!,
      value: valIdx === -1 ? null : valName!,
      ...(byIdx === -1 ? {} : { by: table.header[byIdx]! }),
    },
    segments,
  };
}

/**
 * Analyzes a CSV stream. Rows whose arm is neither `treat` nor `control` are skipped and counted.
 *
 * @example
 * await analyzeCsvStream(ctx, createReadStream('hillstrom.csv'), { arm_col: 'segment', treat: 'Womens E-Mail', control: 'No E-Mail', outcome: 'visit' });
 */
export async function analyzeCsvStream(
  ctx: ServiceContext | null,
  source: ByteSource,
  input: AnalyzeInput,
): Promise<AnalyzeView> {
  // The caller's own file is analyzed and nothing is read from or written to the database; null: a local caller.
  if (ctx) authorize(ctx, 'analysis:run');
  const o = parse(analyzeInput, input);
  let acc: Awaited<ReturnType<typeof accumulate>>;
  try {
    acc = await accumulate(await openCsv(source), o);
  } catch (err) {
    if (err instanceof ImportError)
      throw invalid(err.message, { file: o.file_name, row: err.row, column: err.column }, err.value);
    throw err;
  }
  for (const [name, value, arm] of [
    ['treat', o.treat, acc.treat],
    ['control', o.control, acc.control],
  ] as const) {
    if (arm.n === 0) {
      const seen = [...acc.ignored.keys()].map((v) => JSON.stringify(v)).join(', ');
      throw invalid(
        `no rows with ${acc.columns.arm} = ${JSON.stringify(value)} (${name}); values seen: ${seen || 'none'}`,
        { file: o.file_name, column: acc.columns.arm },
      );
    }
    if (o.value !== undefined && arm.n < 2) {
      throw invalid(`the ${name} arm needs at least 2 rows to compare values, got 1`, {
        file: o.file_name,
        column: acc.columns.arm,
      });
    }
  }
  const withValue = o.value !== undefined;
  const analysis = analyzeTwoArms(acc.treat.counts(withValue), acc.control.counts(withValue), {
    alpha: o.alpha,
    controlShare: o.control_share,
  });
  return {
    ...analysis,
    alpha: o.alpha,
    file: o.file_name,
    rows: acc.rows,
    ignored_rows: acc.ignoredRows,
    ignored_arm_values: Object.fromEntries(acc.ignored),
    columns: acc.columns,
    ...(acc.columns.by === undefined ? {} : segmentsView(acc.columns.by, acc.segments, o.alpha)),
  };
}

function segmentsView(
  by: string,
  segments: Map<string, Omit<SegmentCounts, 'value'>>,
  alpha: number,
): Pick<AnalyzeView, 'segments' | 'segment_rule'> {
  const counts = [...segments].map(([value, s]) => ({ value, ...s }));
  counts.sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
  const r = segmentLifts(by, counts, alpha);
  return { segments: r.segments, segment_rule: { by: r.by, min_per_arm: r.min_per_arm } };
}

/** Analyzes a CSV file on disk (the CLI's `--csv FILE`). */
export async function analyzeCsvFile(
  ctx: ServiceContext | null,
  path: string,
  input: Omit<AnalyzeInput, 'file_name'>,
): Promise<AnalyzeView> {
  if (ctx) authorize(ctx, 'analysis:run');
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new AppError('VALIDATION', `${path}: cannot read the file (${(err as Error).message})`, { file: path });
  }
  return analyzeCsvStream(ctx, createReadStream(path, { highWaterMark: 1 << 16 }), { ...input, file_name: path });
}
