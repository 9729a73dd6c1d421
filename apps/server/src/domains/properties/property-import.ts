/**
 * Owns the pure core of the property import: bytes (CSV or JSON Lines) -> mapped, validated, normalized and
 * deduplicated `ImportedProperty` batches plus RowErrors. No database: the caller writes each batch (COPY) inside its
 * own transaction and decides whether row errors abort. File-level problems throw `ImportError` (see lib/csv/errors.ts).
 * Pipeline: lib/csv (utf8-stream -> reader | jsonl-reader) -> column-mapping -> property-row (+ address-normalize).
 */
import { AddressKeySet } from './address-key-set.ts';
import { resolveMapping, type ColumnMapping, type ResolvedMapping } from './column-mapping.ts';
import type { CsvLineSink } from '../../lib/csv/line-feed.ts';
import { openCsv } from '../../lib/csv/reader.ts';
import type { RawRecord } from '../../lib/csv/tokenizer.ts';
import type { Delimiter } from '../../lib/csv/delimiter.ts';
import type { RowError } from '../../lib/csv/errors.ts';
import type { ChunkPacker } from './import-chunks.ts';
import { openJsonl } from '../../lib/csv/jsonl-reader.ts';
import { PlainRowLane } from './byte-lane/plain-row-lane.ts';
import { PropertyRowValidator, type ImportedProperty } from './property-row.ts';
import { toAsyncIterator, type ByteSource, type TabularSource } from '../../lib/csv/tabular.ts';

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
export async function openPropertyImport(
  input: ByteSource,
  options: PropertyImportOptions = {},
): Promise<PropertyImport> {
  const { source, mapping, stats, intake } = await open(input, options);
  async function* batches(): AsyncGenerator<PropertyBatch> {
    for await (const records of source.batches) {
      const properties: ImportedProperty[] = [];
      const errors: RowError[] = [];
      for (const r of records) {
        const p = intake.take(r, errors);
        if (p !== null) properties.push(p);
      }
      stats.rowsRead += records.length;
      stats.imported += properties.length;
      yield { properties, errors };
    }
  }
  return { source, mapping, stats, batches: batches() };
}

export interface PropertyLoadBatch {
  /** Whole binary COPY chunks that filled up in this batch (see import-chunks.ts). */
  chunks: Buffer[];
  errors: RowError[];
}

export interface PropertyLoad extends Omit<PropertyImport, 'batches'> {
  /** The last batch holds the packer's last, partly filled chunk. */
  batches: AsyncIterable<PropertyLoadBatch>;
}

/**
 * The same import packed into COPY chunks as it is read. A CSV file's lines go the byte lane (plain-row-lane.ts)
 * when they can: straight from the file's bytes into the chunk; the rest, and JSON Lines, go through
 * `PropertyRowValidator` and `ChunkPacker.add`, in file order either way.
 */
export async function openPropertyLoad(
  input: ByteSource,
  options: PropertyImportOptions,
  packer: ChunkPacker,
): Promise<PropertyLoad> {
  const { source, csv, mapping, stats, intake, seen, currentYear } = await open(input, options);
  const lane = csv === null ? null : PlainRowLane.for(mapping, { currentYear }, csv.delimiter);
  const sink = new PackingSink(intake, packer, lane, seen, stats);
  async function* batches(): AsyncGenerator<PropertyLoadBatch> {
    if (lane !== null && csv !== null) {
      for await (const _ of csv.feed(sink)) yield sink.drain();
    } else {
      for await (const records of source.batches) {
        for (const r of records) sink.record(r);
        yield sink.drain();
      }
    }
    const last = packer.end();
    yield { chunks: last ? [last] : [], errors: [] };
  }
  return { source, mapping, stats, batches: batches() };
}

async function open(input: ByteSource, options: PropertyImportOptions) {
  const { format, source: bytes } = await chooseFormat(input, options);
  const readOptions = options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars };
  const csv =
    format === 'csv'
      ? await openCsv(bytes, { ...readOptions, ...(options.delimiter ? { delimiter: options.delimiter } : {}) })
      : null;
  const source: TabularSource = csv ?? (await openJsonl(bytes, readOptions));
  const mapping = resolveMapping(source.header, options.mapping);
  const stats: ImportStats = { rowsRead: 0, imported: 0, rejectedRows: 0, duplicates: 0 };
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const seen = options.dedupe === false ? null : new AddressKeySet();
  const intake = new RowIntake(
    new PropertyRowValidator(mapping, { currentYear }),
    seen,
    mapping.mapping.address_line ?? 'address_line',
    stats,
  );
  return { source, csv, mapping, stats, intake, seen, currentYear };
}

/** One record through validation and in-file dedupe. */
class RowIntake {
  constructor(
    private readonly validator: PropertyRowValidator,
    private readonly seen: AddressKeySet | null,
    private readonly addressColumn: string,
    private readonly stats: ImportStats,
  ) {}

  /** The record's property, or null with its problems (or its DUPLICATE_ADDRESS) pushed onto `errors`. */
  take(r: RawRecord, errors: RowError[]): ImportedProperty | null {
    const before = errors.length;
    const p = this.validator.validate(r.fields, r.rowNumber, errors);
    if (p === null) {
      if (errors.length > before) this.stats.rejectedRows++;
      return null;
    }
    if (this.seen !== null) {
      const firstRow = this.seen.addOrGet(p.address_key, r.rowNumber);
      if (firstRow !== -1) {
        this.stats.duplicates++;
        errors.push({
          row: r.rowNumber,
          column: this.addressColumn,
          value: p.address_line,
          code: 'DUPLICATE_ADDRESS',
          reason: `same address as row ${firstRow} (${p.address_key})`,
        });
        return null;
      }
    }
    return p;
  }
}

/** Takes the CSV reader's lines and records in file order into the packer, collecting chunks and errors per batch. */
class PackingSink implements CsvLineSink {
  private chunks: Buffer[] = [];
  private errors: RowError[] = [];

  constructor(
    private readonly intake: RowIntake,
    private readonly packer: ChunkPacker,
    private readonly lane: PlainRowLane | null,
    private readonly seen: AddressKeySet | null,
    private readonly stats: ImportStats,
  ) {}

  line(buf: Buffer, start: number, end: number, row: number): boolean {
    const lane = this.lane;
    if (lane === null) return false;
    const w = this.packer.writer;
    const at = w.used;
    if (!lane.encode(buf, start, end, row, w)) return false;
    if (this.seen !== null && this.seen.addOrGetHash(lane.h1, lane.h2, row) !== -1) {
      // a duplicate: undone here, reported by the string lane with its address
      w.used = at;
      return false;
    }
    this.stats.rowsRead++;
    this.stats.imported++;
    const chunk = this.packer.rowWritten(at);
    if (chunk) this.chunks.push(chunk);
    return true;
  }

  record(r: RawRecord): void {
    this.stats.rowsRead++;
    const p = this.intake.take(r, this.errors);
    if (p === null) return;
    this.stats.imported++;
    const chunk = this.packer.add(p);
    if (chunk) this.chunks.push(chunk);
  }

  /** The chunks filled and the errors found since the last drain. */
  drain(): PropertyLoadBatch {
    const batch = { chunks: this.chunks, errors: this.errors };
    this.chunks = [];
    this.errors = [];
    return batch;
  }
}

async function chooseFormat(
  input: ByteSource,
  options: PropertyImportOptions,
): Promise<{ format: 'csv' | 'jsonl'; source: ByteSource }> {
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
