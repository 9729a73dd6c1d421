/**
 * The CSV reader's byte path, after the header: it splits each slice of raw bytes into lines itself and offers every
 * line to a sink (the property import's byte lane, plain-row-lane.ts), which takes it or leaves it. A line left
 * without a quote is split alone; from a line left with a quote (its record may run over several lines) to the end
 * of the slice the tokenizer reads, as the string path does. What the tokenizer then holds (the slice's last,
 * unfinished record) it gives back, and the next slice starts on it in bytes again. Records come out in file order.
 *
 * The slices are the string path's (`Utf8Stream`), and each is checked in the string path's order, so a file gets
 * the same error either way: binary content (nextBytes), then UTF-8 over the whole slice, then what the tokenizer
 * finds in the rest of the slice (quotes, a record longer than the limit, the held tail of the slice included), and
 * only then the field count of a record in it.
 */
import { isUtf8 } from 'node:buffer';
import { splitPlain, type CsvTokenizer, type RawRecord } from './tokenizer.ts';
import { ImportError } from './errors.ts';
import {
  completeUtf8Length,
  invalidUtf8In,
  MAX_SLICE_BYTES,
  type TextLocation,
  type Utf8Stream,
} from './utf8-stream.ts';

export interface CsvLineSink {
  /**
   * A line without its line break, `buf[start, end)`, on line `row` of the file: true when the sink took it as a
   * record of its own. The bytes are as the file has them: the sink leaves every line it does not fully understand
   * (one above ASCII, one holding a quote, a blank one, which the reader drops).
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

interface Fed {
  /** Bytes of the buffer used; the rest starts the next one. */
  consumed: number;
  records: number;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

export class CsvLineFeed {
  /** Line of the file the next byte starts. */
  private row: number;
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly reader: CsvFeedReader,
    private readonly sink: CsvLineSink,
  ) {
    this.row = reader.tokenizer.pendingLine;
  }

  /** Feeds the rest of the file; yields after each slice the number of records it held. */
  async *run(): AsyncGenerator<number> {
    const { stream, tokenizer } = this.reader;
    // What the header's reading left: the tokenizer's incomplete record, then a cut sequence; nextBytes goes on
    // with the rest of the chunk.
    let pending: Buffer = Buffer.concat([Buffer.from(tokenizer.takePending(), 'utf8'), stream.takeHeld()]);
    // The last line of one slice and the next slice are joined in one of two buffers, in turn (what is left of one
    // is copied into the other): nothing of a slice is referenced once it is fed, and a new 64 KB buffer per slice
    // made garbage the collector had to chase.
    const joins = [Buffer.allocUnsafe(2 * MAX_SLICE_BYTES), Buffer.allocUnsafe(2 * MAX_SLICE_BYTES)];
    for (let turn = 0; ; turn ^= 1) {
      const slice = await stream.nextBytes(this.row);
      const final = slice === null;
      const buf = final ? pending : pending.length === 0 ? asBuffer(slice) : join(joins[turn]!, pending, slice);
      const { consumed, records } = this.feed(buf, final);
      pending = buf.subarray(consumed);
      yield records;
      if (final) return;
    }
  }

  /** Feeds `buf`: its complete lines, and its tail as the string path would hold it (all of it when `final`). */
  private feed(buf: Buffer, final: boolean): Fed {
    this.assertUtf8(buf, final);
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
      if (end - pos > max) return this.tokenize(buf, pos, final, records); // it names the limit (in characters)
      if (this.sink.line(buf, pos, end, this.row)) {
        records++;
        this.row++;
        pos = nl + 1;
        continue;
      }
      if (quote !== -1 && quote < pos) quote = buf.indexOf(QUOTE, pos);
      if (quote !== -1 && quote < nl) return this.tokenize(buf, pos, final, records);
      const text = this.decoder.decode(buf.subarray(pos, end));
      const record = { rowNumber: this.row, fields: splitPlain(text, 0, text.length, this.reader.delimiter) };
      this.row++;
      pos = nl + 1;
      let accepted: boolean;
      try {
        accepted = this.reader.accept(record);
      } catch (err) {
        // The string path tokenizes the whole slice before it counts any record's fields.
        if (err instanceof ImportError && pos < n) this.tokenize(buf, pos, final, 0, false);
        throw err;
      }
      if (accepted) {
        this.sink.record(record);
        records++;
      }
    }
    if (pos >= n) return { consumed: n, records };
    // The tail, a record without its end yet: the string path's tokenizer holds it, and refuses it at once when it
    // is longer than the limit or has a quote that cannot be right; so it is shown to this one, which gives it back.
    if (quote !== -1 && quote < pos) quote = buf.indexOf(QUOTE, pos);
    if (n - pos > max || quote !== -1) return this.tokenize(buf, pos, final, records);
    return { consumed: pos, records };
  }

  /**
   * The tokenizer reads `buf` from `from` (to a cut sequence at its end, or all of it when `final`), as the string
   * path reads a slice; its records go to the sink unless `use` is false (only its errors matter then). The record
   * it holds at the end it gives back: those bytes start the next buffer.
   */
  private tokenize(buf: Buffer, from: number, final: boolean, before: number, use = true): Fed {
    const tokenizer = this.reader.tokenizer;
    const to = final ? buf.length : from + completeUtf8Length(buf.subarray(from));
    tokenizer.resume(this.row);
    const out: RawRecord[] = [];
    if (to > from) tokenizer.push(this.decoder.decode(buf.subarray(from, to)), out);
    if (final) tokenizer.finish(out);
    this.row = tokenizer.pendingLine;
    const held = Buffer.byteLength(tokenizer.takePending(), 'utf8');
    if (!use) return { consumed: to - held, records: 0 };
    const accepted = out.filter((r) => this.reader.accept(r));
    for (const r of accepted) this.sink.record(r);
    return { consumed: to - held, records: before + accepted.length };
  }

  /** The string path decodes each slice whole before it reads a line of it: an invalid byte anywhere fails first. */
  private assertUtf8(buf: Buffer, final: boolean): void {
    const whole = final ? buf.length : completeUtf8Length(buf);
    if (isUtf8(buf.subarray(0, whole))) return; // a cut sequence at the end waits for the next slice, as there
    this.reader.tokenizer.resume(this.row);
    throw invalidUtf8In(buf.subarray(0, whole), (prefix) => this.reader.locate(prefix));
  }
}

/** `head` then `tail` in `into` when they fit (a new buffer when not). */
function join(into: Buffer, head: Buffer, tail: Uint8Array): Buffer {
  const n = head.length + tail.length;
  if (n > into.length) return Buffer.concat([head, tail]);
  head.copy(into, 0);
  into.set(tail, head.length);
  return into.subarray(0, n);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
