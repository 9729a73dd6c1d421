/**
 * The CSV reader's byte path, after the header: it splits each slice of raw bytes into lines itself and offers every
 * line to a sink (the property import's byte lane, plain-row-lane.ts), which takes it or leaves it. A line left
 * without a quote is decoded and split alone; from a line left with a quote (its record may run over several lines)
 * to the end of the slice the tokenizer reads, as the string path does, and it goes on doing so while it holds an
 * incomplete record. Records come out in file order either way, with the same rows, errors and limits as `batches`.
 */
import { splitPlain, type CsvTokenizer, type RawRecord } from './csv-tokenizer.ts';
import { firstInvalidUtf8 } from './encoding.ts';
import { completeUtf8Length, invalidUtf8, type TextLocation, type Utf8Stream } from './utf8-stream.ts';

export interface CsvLineSink {
  /**
   * A line without its line break, `buf[start, end)`, on line `row` of the file: true when the sink took it as a
   * record of its own. The bytes are as the file has them: the sink leaves every line it does not fully understand
   * (one above ASCII, which the reader then decodes strictly; one holding a quote; a blank one, which the reader drops).
   */
  line(buf: Buffer, start: number, end: number, row: number): boolean;
  /** A record the sink did not take as a line, checked like every record `batches` yields. */
  record(r: RawRecord): void;
}

/** What the feed needs of its reader (csv-reader.ts). */
export interface CsvFeedReader {
  stream: Utf8Stream;
  tokenizer: CsvTokenizer;
  delimiter: string;
  maxRecordChars: number;
  /** Checks a record (field count, delimiters); false for an all-blank one, which is dropped. */
  accept(r: RawRecord): boolean;
  /** Where an encoding problem is, given the valid text before it (the tokenizer holding what precedes). */
  locate(prefix: string): TextLocation;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

export class CsvLineFeed {
  /** Line of the file the next byte starts. */
  private row: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly reader: CsvFeedReader,
    private readonly sink: CsvLineSink,
  ) {
    this.row = reader.tokenizer.pendingLine;
  }

  /** Feeds the rest of the file; yields after each slice the number of records it held. */
  async *run(): AsyncGenerator<number> {
    const { stream, tokenizer } = this.reader;
    // What the header's reading left: the tokenizer's incomplete record, then the bytes not yet decoded.
    let pending: Buffer = Buffer.concat([Buffer.from(tokenizer.takePending(), 'utf8'), stream.takeBytes()]);
    for (;;) {
      const slice = await stream.nextBytes(this.row);
      const final = slice === null;
      const buf = final ? pending : pending.length === 0 ? asBuffer(slice) : Buffer.concat([pending, slice]);
      const { consumed, records } = this.feed(buf, final);
      pending = buf.subarray(consumed);
      yield records;
      if (final) return;
    }
  }

  /** Feeds the complete lines of `buf` (all of it when `final`); returns the bytes consumed and the records read. */
  private feed(buf: Buffer, final: boolean): { consumed: number; records: number } {
    const tokenizer = this.reader.tokenizer;
    if (tokenizer.pendingText !== '') return this.tokenize(buf, 0, final);
    const n = buf.length;
    const max = this.reader.maxRecordChars;
    let records = 0;
    let pos = 0;
    let quote = buf.indexOf(QUOTE, 0);
    while (pos < n) {
      let nl = buf.indexOf(LF, pos);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      let end = nl;
      if (end > pos && buf[end - 1] === CR) end--;
      if (end === pos) {
        // an empty line: no record
        this.row++;
        pos = nl + 1;
        continue;
      }
      if (end - pos > max) return this.tokenizeFrom(buf, pos, final, records); // it names the limit (in characters)
      if (this.sink.line(buf, pos, end, this.row)) {
        records++;
        this.row++;
        pos = nl + 1;
        continue;
      }
      if (quote !== -1 && quote < pos) quote = buf.indexOf(QUOTE, pos);
      if (quote !== -1 && quote < nl) return this.tokenizeFrom(buf, pos, final, records);
      const text = this.decode(buf, pos, end);
      const record = { rowNumber: this.row, fields: splitPlain(text, 0, text.length, this.reader.delimiter) };
      if (this.reader.accept(record)) {
        this.sink.record(record);
        records++;
      }
      this.row++;
      pos = nl + 1;
    }
    if (pos >= n) return { consumed: n, records };
    // A line longer than the limit without its end yet: the tokenizer holds it and refuses it once it knows.
    if (n - pos > max) return this.tokenizeFrom(buf, pos, final, records);
    return { consumed: pos, records };
  }

  private tokenizeFrom(buf: Buffer, from: number, final: boolean, before: number): { consumed: number; records: number } {
    const r = this.tokenize(buf, from, final);
    return { consumed: r.consumed, records: r.records + before };
  }

  /**
   * The tokenizer reads `buf` from `from` to its last line break (to its end when `final`, or when a line longer
   * than the limit has no break yet).
   */
  private tokenize(buf: Buffer, from: number, final: boolean): { consumed: number; records: number } {
    const tokenizer = this.reader.tokenizer;
    let to = buf.length;
    if (!final) {
      const lf = buf.lastIndexOf(LF);
      if (lf >= from) to = lf + 1;
      else if (buf.length - from > this.reader.maxRecordChars) to = from + completeUtf8Length(buf.subarray(from));
      else to = from;
    }
    if (tokenizer.pendingText === '') tokenizer.resume(this.row);
    const out: RawRecord[] = [];
    if (to > from) tokenizer.push(this.decode(buf, from, to), out);
    if (final) tokenizer.finish(out);
    this.row = tokenizer.pendingLine;
    let records = 0;
    for (const r of out) {
      if (!this.reader.accept(r)) continue;
      this.sink.record(r);
      records++;
    }
    return { consumed: to, records };
  }

  /** Strict UTF-8; an invalid byte is named by line and column as the string path names it. */
  private decode(buf: Buffer, from: number, to: number): string {
    try {
      return this.decoder.decode(buf.subarray(from, to));
    } catch {
      const bytes = buf.subarray(from, to);
      const bad = firstInvalidUtf8(bytes);
      const tokenizer = this.reader.tokenizer;
      if (tokenizer.pendingText === '') tokenizer.resume(this.row);
      throw invalidUtf8(this.reader.locate(bad > 0 ? new TextDecoder().decode(bytes.subarray(0, bad)) : ''));
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
