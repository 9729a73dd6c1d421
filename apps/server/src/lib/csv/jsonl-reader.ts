/**
 * Streaming JSON Lines reader with the same output as the CSV reader: each line is one JSON object, its keys are
 * columns (a key first seen on a later line is appended to the header), values become strings.
 */
import { DEFAULT_MAX_RECORD_CHARS, type RawRecord } from './tokenizer.ts';
import { ImportError } from './errors.ts';
import type { ByteSource, TabularSource } from './tabular.ts';
import { Utf8Stream } from './utf8-stream.ts';

export interface JsonlReadOptions {
  maxRecordChars?: number;
}

export async function openJsonl(source: ByteSource, options: JsonlReadOptions = {}): Promise<TabularSource> {
  const max = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const stream = new Utf8Stream(source);
  const header: string[] = [];
  const columns = new Map<string, number>();
  let pending = '';
  let line = 1;

  const locate = (prefix: string): { row: number } => ({ row: line + countNewlines(pending + prefix) });

  const parseLines = (final: boolean): RawRecord[] => {
    const out: RawRecord[] = [];
    let pos = 0;
    for (;;) {
      let nl = pending.indexOf('\n', pos);
      if (nl === -1) {
        if (!final || pos >= pending.length) break;
        nl = pending.length;
      }
      if (nl - pos > max) throw tooLong(line, max);
      const text = pending.slice(pos, nl).trim();
      if (text !== '') out.push({ rowNumber: line, fields: toFields(text, line, header, columns) });
      line++;
      pos = nl + 1;
    }
    pending = pos >= pending.length ? '' : pending.slice(pos);
    if (pending.length > max) throw tooLong(line, max);
    return out;
  };

  let first: RawRecord[] = [];
  while (first.length === 0 && !stream.done) {
    pending += await stream.next(locate, line);
    first = parseLines(stream.done);
  }
  if (first.length === 0) {
    throw new ImportError({
      code: 'EMPTY_FILE',
      message: stream.bytesSeen === 0 ? 'the file is empty' : 'the file holds only blank lines',
    });
  }
  async function* batches(): AsyncGenerator<RawRecord[]> {
    yield first;
    while (!stream.done) {
      pending += await stream.next(locate, line);
      const out = parseLines(stream.done);
      if (out.length > 0) yield out;
    }
  }
  return { format: 'jsonl', header, delimiter: null, batches: batches() };
}

/** Nesting deeper than this is refused by row before parsing (100,000 levels overflowed the stack). */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of objects and arrays in a JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

function toFields(text: string, row: number, header: string[], columns: Map<string, number>): string[] {
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw new ImportError({
      code: 'JSON_TOO_DEEP',
      message: `objects and arrays nested deeper than ${MAX_JSON_DEPTH} levels`,
      row,
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ImportError({
      code: 'INVALID_JSON',
      message: `not valid JSON: ${(err as Error).message}`,
      row,
      value: text,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportError({ code: 'INVALID_JSON', message: 'each line must be a JSON object', row, value: text });
  }
  const fields: string[] = new Array<string>(header.length).fill('');
  for (const [key, v] of Object.entries(value)) {
    let i = columns.get(key);
    if (i === undefined) {
      i = header.length;
      header.push(key);
      columns.set(key, i);
    }
    while (fields.length <= i) fields.push('');
    fields[i] = cellText(v);
  }
  return fields;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function tooLong(row: number, max: number): ImportError {
  return new ImportError({ code: 'LINE_TOO_LONG', message: `a line longer than ${max} characters`, row });
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
