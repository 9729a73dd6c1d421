/**
 * Owns the pure core of the property import: bytes (CSV or JSON Lines) -> mapped, validated, normalized and
 * deduplicated `ImportedProperty` batches plus RowErrors. No database: the caller writes each batch (COPY) inside its
 * own transaction and decides whether row errors abort. File-level problems throw `ImportError` (see import-error.ts).
 * Pipeline: utf8-stream -> csv-reader | jsonl-reader -> column-mapping -> property-row (+ address-normalize).
 */
import { AddressKeySet } from './address-key-set.ts';
import { resolveMapping, type ColumnMapping, type ResolvedMapping } from './column-mapping.ts';
import { openCsv } from './csv-reader.ts';
import type { Delimiter } from './delimiter.ts';
import type { RowError } from './import-error.ts';
import { openJsonl } from './jsonl-reader.ts';
import { PropertyRowValidator, type ImportedProperty } from './property-row.ts';
import { toAsyncIterator, type ByteSource, type TabularSource } from './tabular.ts';

export interface PropertyImportOptions {
  /** Default: from `fileName` (.jsonl/.ndjson), else sniffed from the first byte (`{` means JSON Lines). */
  format?: 'csv' | 'jsonl';
  fileName?: string;
  delimiter?: Delimiter;
  /** Explicit or saved mapping `{ field: headerName }`, merged over header detection. */
  mapping?: ColumnMapping;
  maxRecordChars?: number;
  /** Upper bound for year_built; default the current UTC year. */
  currentYear?: number;
  /** Report rows whose address key was already seen in this file as DUPLICATE_ADDRESS and skip them (default true). */
  dedupe?: boolean;
}

export interface PropertyBatch {
  /** Valid, first-seen properties of this batch, in file order. */
  properties: ImportedProperty[];
  /** Every problem found in this batch's rows (a row may have several). */
  errors: RowError[];
}

export interface ImportStats {
  rowsRead: number;
  imported: number;
  rejectedRows: number;
  duplicates: number;
}

export interface PropertyImport {
  source: TabularSource;
  mapping: ResolvedMapping;
  /** Live counters, final once `batches` is exhausted. */
  stats: ImportStats;
  batches: AsyncIterable<PropertyBatch>;
}

/** Opens the file, reads the header, resolves the mapping (throwing early on a bad one) and returns the batches. */
export async function openPropertyImport(input: ByteSource, options: PropertyImportOptions = {}): Promise<PropertyImport> {
  const { format, source: bytes } = await chooseFormat(input, options);
  const readOptions = options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars };
  const source =
    format === 'jsonl'
      ? await openJsonl(bytes, readOptions)
      : await openCsv(bytes, { ...readOptions, ...(options.delimiter ? { delimiter: options.delimiter } : {}) });
  const mapping = resolveMapping(source.header, options.mapping);
  const stats: ImportStats = { rowsRead: 0, imported: 0, rejectedRows: 0, duplicates: 0 };
  const validator = new PropertyRowValidator(mapping, { currentYear: options.currentYear ?? new Date().getUTCFullYear() });
  const seen = options.dedupe === false ? null : new AddressKeySet();
  const addressColumn = mapping.mapping.address_line ?? 'address_line';

  async function* batches(): AsyncGenerator<PropertyBatch> {
    for await (const records of source.batches) {
      const properties: ImportedProperty[] = [];
      const errors: RowError[] = [];
      for (const r of records) {
        const before = errors.length;
        const p = validator.validate(r.fields, r.rowNumber, errors);
        if (p === null) {
          if (errors.length > before) stats.rejectedRows++;
          continue;
        }
        if (seen !== null) {
          const firstRow = seen.addOrGet(p.address_key, r.rowNumber);
          if (firstRow !== -1) {
            stats.duplicates++;
            errors.push({
              row: r.rowNumber,
              column: addressColumn,
              value: p.address_line,
              code: 'DUPLICATE_ADDRESS',
              reason: `same address as row ${firstRow} (${p.address_key})`,
            });
            continue;
          }
        }
        properties.push(p);
      }
      stats.rowsRead += records.length;
      stats.imported += properties.length;
      yield { properties, errors };
    }
  }
  return { source, mapping, stats, batches: batches() };
}

async function chooseFormat(input: ByteSource, options: PropertyImportOptions): Promise<{ format: 'csv' | 'jsonl'; source: ByteSource }> {
  if (options.format) return { format: options.format, source: input };
  if (options.fileName && /\.(jsonl|ndjson)$/i.test(options.fileName)) return { format: 'jsonl', source: input };
  if (options.fileName && /\.(csv|tsv|txt)$/i.test(options.fileName)) return { format: 'csv', source: input };
  const it = toAsyncIterator(input);
  const first = await it.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  const format = head[i] === 0x7b ? 'jsonl' : 'csv';
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (!first.done) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { format, source: replay() };
}
