/**
 * RFC 4180 tokenizer over decoded text, fed incrementally. Lines without a quote take a fast path (indexOf + slice);
 * a line holding a quote goes through a field-by-field scanner that handles `""`, delimiters and newlines in quotes.
 * A quote inside an unquoted field is kept literally (`12" gutters`), as most spreadsheet tools do.
 */
import { ImportError } from './errors.ts';

export interface RawRecord {
  /** 1-based line of the file where the record starts. */
  rowNumber: number;
  fields: string[];
}

export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  private buf = '';
  private line: number;
  private readonly delim: string;
  private readonly delimCode: number;

  constructor(
    delimiter: string,
    firstLine = 1,
    private readonly maxRecordChars = DEFAULT_MAX_RECORD_CHARS,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`invalid delimiter ${JSON.stringify(delimiter)}`);
    }
    this.delim = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
    this.line = firstLine;
  }

  /** Line where the next (incomplete) record starts. */
  get pendingLine(): number {
    return this.line;
  }

  /** Text held back because its record is not complete yet. */
  get pendingText(): string {
    return this.buf;
  }

  /**
   * Hands back the text held for an incomplete record and forgets it; the caller reads on from there itself and
   * may `resume` on a later line.
   */
  takePending(): string {
    const text = this.buf;
    this.buf = '';
    return text;
  }

  /** Goes on with text that starts at a record on `line` (nothing may be pending). */
  resume(line: number): void {
    if (this.buf !== '') throw new Error('the tokenizer holds an incomplete record');
    this.line = line;
  }

  /** Appends text and pushes every complete record onto `out`. */
  push(text: string, out: RawRecord[]): void {
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.run(false, out);
  }

  /** Flushes the last record (a file need not end with a newline). */
  finish(out: RawRecord[]): void {
    this.run(true, out);
  }

  private run(final: boolean, out: RawRecord[]): void {
    const s = this.buf;
    const n = s.length;
    const delim = this.delim;
    const max = this.maxRecordChars;
    let pos = 0;
    let q = s.indexOf('"');
    while (pos < n) {
      if (q !== -1 && q < pos) q = s.indexOf('"', pos);
      let nl = s.indexOf('\n', pos);
      if (q === -1 || (nl !== -1 && q > nl)) {
        if (nl === -1) {
          if (!final) break;
          nl = n;
        }
        let end = nl;
        if (end > pos && s.charCodeAt(end - 1) === CR) end--;
        if (end - pos > max) this.tooLong(false);
        if (end > pos) out.push({ rowNumber: this.line, fields: splitPlain(s, pos, end, delim) });
        this.line++;
        pos = nl + 1;
        continue;
      }
      const next = this.quotedRecord(s, pos, final, out);
      if (next === -1) break;
      pos = next;
    }
    this.buf = pos >= n ? '' : s.slice(pos);
    if (this.buf.length > max) this.tooLong(this.buf.indexOf('"') !== -1);
  }

  /** Scans one record that contains a quote; returns the position after it, or -1 when more text is needed. */
  private quotedRecord(s: string, start: number, final: boolean, out: RawRecord[]): number {
    const n = s.length;
    const fields: string[] = [];
    let i = start;
    let newlines = 0;
    // Next delimiter and newline at or after i, or -1 when the buffer holds none: found once, advanced lazily.
    let d = s.indexOf(this.delim, i);
    let nl = s.indexOf('\n', i);
    for (;;) {
      if (i < n && s.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const k = s.indexOf('"', j);
          if (k === -1) {
            if (!final) return -1;
            throw new ImportError({
              code: 'UNTERMINATED_QUOTE',
              message: `a quoted field opened on line ${this.line} is never closed`,
              row: this.line,
              value: s.slice(i, i + 80),
            });
          }
          value = value === '' ? s.slice(j, k) : value + s.slice(j, k);
          if (k + 1 >= n && !final) return -1;
          if (s.charCodeAt(k + 1) === QUOTE) {
            value += '"';
            j = k + 2;
            continue;
          }
          j = k + 1;
          break;
        }
        if (nl !== -1 && nl < j) {
          newlines += countNewlines(value);
          nl = s.indexOf('\n', j);
        }
        if (d !== -1 && d < j) d = s.indexOf(this.delim, j);
        fields.push(value);
        if (j >= n) return this.emit(fields, newlines, out, n);
        const c = s.charCodeAt(j);
        if (c === this.delimCode) {
          i = j + 1;
          d = s.indexOf(this.delim, i);
          continue;
        }
        if (c === LF) return this.emit(fields, newlines, out, j + 1);
        if (c === CR) {
          if (j + 1 >= n && !final) return -1;
          if (j + 1 >= n || s.charCodeAt(j + 1) === LF) return this.emit(fields, newlines, out, j + 2);
        }
        throw new ImportError({
          code: 'INVALID_QUOTE',
          message: `unexpected text after the closing quote of field ${fields.length} (write "" for a quote inside a quoted field)`,
          row: this.line,
          value: s.slice(i, Math.min(n, j + 20)),
        });
      }
      if (d !== -1 && (nl === -1 || d < nl)) {
        fields.push(s.slice(i, d));
        i = d + 1;
        d = s.indexOf(this.delim, i);
        continue;
      }
      if (nl === -1) {
        if (!final) return -1;
        fields.push(s.slice(i, n));
        return this.emit(fields, newlines, out, n);
      }
      fields.push(s.slice(i, nl > i && s.charCodeAt(nl - 1) === CR ? nl - 1 : nl));
      return this.emit(fields, newlines, out, nl + 1);
    }
  }

  private emit(fields: string[], newlines: number, out: RawRecord[], next: number): number {
    out.push({ rowNumber: this.line, fields });
    this.line += newlines + 1;
    return next;
  }

  private tooLong(inQuotes: boolean): never {
    throw new ImportError({
      code: 'LINE_TOO_LONG',
      message:
        `a record longer than ${this.maxRecordChars} characters starts on line ${this.line}` +
        (inQuotes ? ' (it holds a quote: a quoted field may be unterminated)' : ''),
      row: this.line,
    });
  }
}

/** The fields of a line without quotes. */
export function splitPlain(s: string, start: number, end: number, delim: string): string[] {
  const fields: string[] = [];
  let from = start;
  for (;;) {
    const d = s.indexOf(delim, from);
    if (d === -1 || d >= end) {
      fields.push(s.slice(from, end));
      return fields;
    }
    fields.push(s.slice(from, d));
    from = d + 1;
  }
}

function countNewlines(value: string): number {
  let count = 0;
  let i = value.indexOf('\n');
  while (i !== -1) {
    count++;
    i = value.indexOf('\n', i + 1);
  }
  return count;
}

/** Tokenizes a whole string at once (small files such as SPC reports). */
export function tokenizeCsv(text: string, delimiter = ','): RawRecord[] {
  const out: RawRecord[] = [];
  const t = new CsvTokenizer(delimiter, 1, Math.max(DEFAULT_MAX_RECORD_CHARS, text.length + 1));
  t.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, out);
  t.finish(out);
  return out;
}
