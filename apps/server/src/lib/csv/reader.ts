/**
 * Streaming CSV reader: bytes in, header + batches of records out, one batch per chunk read, never the whole file.
 * UTF-8 with or without BOM, CRLF or LF, comma/semicolon/tab/pipe detected from the header line. Structural problems
 * (binary, bad UTF-8, quotes, field counts) throw one `ImportError` naming the line and column.
 */
import { CsvLineFeed, type CsvLineSink } from './line-feed.ts';
import { CsvTokenizer, DEFAULT_MAX_RECORD_CHARS, type RawRecord } from './tokenizer.ts';
import { delimiterName, detectDelimiter, otherDelimiterFitting, type Delimiter } from './delimiter.ts';
import { ImportError } from './errors.ts';
import { cleanHeaderName, type ByteSource, type TabularSource } from './tabular.ts';
import { Utf8Stream, type TextLocation } from './utf8-stream.ts';

export interface CsvReadOptions {
  /** Skip detection and use this delimiter. */
  delimiter?: Delimiter;
  /** Longest record accepted, in characters (default 1 Mi). */
  maxRecordChars?: number;
}

export interface CsvSource extends TabularSource {
  format: 'csv';
  delimiter: Delimiter;
  /**
   * Instead of `batches`: offers each line's bytes to `sink` and hands it the records it leaves (csv-line-feed.ts),
   * all in file order; yields after each slice the number of records read. Iterate once, and only one of the two.
   */
  feed(sink: CsvLineSink): AsyncIterable<number>;
}

/** Reads up to the first data record, then returns the header and the remaining batches. */
export async function openCsv(source: ByteSource, options: CsvReadOptions = {}): Promise<CsvSource> {
  const reader = new CsvChunkReader(new Utf8Stream(source), options);
  const first = await reader.readHeader();
  return {
    format: 'csv',
    header: reader.header,
    delimiter: reader.delimiter,
    batches: reader.batches(first),
    feed: (sink) => reader.feed(first, sink),
  };
}

function isBlank(field: string): boolean {
  for (let i = 0; i < field.length; i++) if (field.charCodeAt(i) > 32) return false;
  return true;
}

function headerOnly(): ImportError {
  return new ImportError({ code: 'HEADER_ONLY', message: 'the file has a header line but no data rows', row: 1 });
}

class CsvChunkReader {
  header: string[] = [];
  delimiter: Delimiter = ',';
  private tokenizer: CsvTokenizer | undefined;
  private readonly max: number;

  constructor(
    private readonly stream: Utf8Stream,
    private readonly options: CsvReadOptions,
  ) {
    this.max = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  private get done(): boolean {
    return this.stream.done;
  }

  /** Returns the data records read along with the header (possibly none yet). */
  async readHeader(): Promise<RawRecord[]> {
    let text = '';
    while (!this.done && text.indexOf('\n') === -1) {
      text += await this.nextText(text);
      if (text.length > this.max) {
        throw new ImportError({
          code: 'LINE_TOO_LONG',
          message: `the header line is longer than ${this.max} characters`,
          row: 1,
        });
      }
    }
    if (text.trim() === '') {
      throw new ImportError({
        code: 'EMPTY_FILE',
        message: this.stream.bytesSeen === 0 ? 'the file is empty' : 'the file holds only blank lines',
      });
    }
    const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
    this.delimiter = this.options.delimiter ?? detectDelimiter(firstLine);
    this.tokenizer = new CsvTokenizer(this.delimiter, 1, this.max);
    const out: RawRecord[] = [];
    this.tokenizer.push(text, out);
    while (out.length < 2 && !this.done) this.tokenizer.push(await this.nextText(''), out);
    if (this.done) this.tokenizer.finish(out);
    const headerRecord = out.shift();
    if (!headerRecord) throw new ImportError({ code: 'EMPTY_FILE', message: 'the file holds only blank lines' });
    this.header = this.cleanHeader(headerRecord.fields);
    const first = this.check(out);
    if (first.length === 0 && this.done) throw headerOnly();
    return first;
  }

  async *batches(first: RawRecord[]): AsyncGenerator<RawRecord[]> {
    const tokenizer = this.tokenizer!;
    let records = first.length;
    if (first.length > 0) yield first;
    while (!this.done) {
      const out: RawRecord[] = [];
      tokenizer.push(await this.nextText(''), out);
      if (this.done) tokenizer.finish(out);
      const batch = out.length > 0 ? this.check(out) : out;
      records += batch.length;
      if (batch.length > 0) yield batch;
    }
    // only blank or all-empty rows after the header
    if (records === 0) throw headerOnly();
  }

  async *feed(first: RawRecord[], sink: CsvLineSink): AsyncGenerator<number> {
    for (const r of first) sink.record(r);
    let records = first.length;
    if (first.length > 0) yield first.length;
    const feed = new CsvLineFeed(
      {
        stream: this.stream,
        tokenizer: this.tokenizer!,
        delimiter: this.delimiter,
        maxRecordChars: this.max,
        accept: (r) => this.accept(r),
        locate: (prefix) => this.locate('', prefix),
      },
      sink,
    );
    for await (const n of feed.run()) {
      records += n;
      if (n > 0) yield n;
    }
    if (records === 0) throw headerOnly();
  }

  private cleanHeader(fields: string[]): string[] {
    const names = fields.map((f, i) => cleanHeaderName(i === 0 ? f.replace(/^\uFEFF/, '') : f, i));
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const key = name.toLowerCase();
      const prev = seen.get(key);
      if (prev !== undefined) {
        throw new ImportError({
          code: 'DUPLICATE_HEADER',
          message: `column "${name}" appears twice in the header (columns ${prev + 1} and ${i + 1})`,
          row: 1,
          column: name,
        });
      }
      seen.set(key, i);
    });
    return names;
  }

  /** Drops all-blank records and enforces the header's field count. */
  private check(records: RawRecord[]): RawRecord[] {
    let blanks = 0;
    for (const r of records) if (!this.accept(r)) blanks++;
    return blanks === 0 ? records : records.filter((r) => !r.fields.every(isBlank));
  }

  /** Enforces the header's field count on one record; false for an all-blank one, which is dropped. */
  private accept(r: RawRecord): boolean {
    if (isBlank(r.fields[0]!) && r.fields.every(isBlank)) return false;
    const expected = this.header.length;
    if (r.fields.length === expected) return true;
    const other = otherDelimiterFitting(r.fields, this.delimiter, expected);
    if (other) {
      throw new ImportError({
        code: 'MIXED_DELIMITERS',
        message: `this row is separated by ${delimiterName(other)} but the header by ${delimiterName(this.delimiter)}`,
        row: r.rowNumber,
        value: r.fields.join(this.delimiter),
      });
    }
    throw new ImportError({
      code: 'FIELD_COUNT',
      message: `this row has ${r.fields.length} fields but the header has ${expected}`,
      row: r.rowNumber,
      column: this.header[Math.min(r.fields.length, expected) - 1],
      value: r.fields.join(this.delimiter),
    });
  }

  /** Next decoded text ('' at the end); `pendingHeader` is text read before the tokenizer exists, for locating. */
  private nextText(pendingHeader: string): Promise<string> {
    return this.stream.next((prefix) => this.locate(pendingHeader, prefix), this.tokenizer?.pendingLine ?? 1);
  }

  private locate(pendingHeader: string, prefix: string): TextLocation {
    if (!this.tokenizer) {
      // Before the header is parsed: a simple split is enough to name the line and column.
      const lines = (pendingHeader + prefix).split('\n');
      const first = lines[0] ?? '';
      let delimiter: string = this.options.delimiter ?? ',';
      try {
        delimiter = this.options.delimiter ?? detectDelimiter(first);
      } catch {
        // a tie: keep the comma guess, the location is best effort
      }
      const column =
        lines.length > 1 ? first.split(delimiter)[(lines.at(-1) ?? '').split(delimiter).length - 1]?.trim() : undefined;
      return { row: lines.length, column };
    }
    try {
      this.tokenizer.push(prefix, []);
    } catch {
      // the location is best effort; the encoding error is the one to report
    }
    const tail = this.tokenizer.pendingText;
    return { row: this.tokenizer.pendingLine, column: this.header[tail.split(this.delimiter).length - 1] };
  }
}
