/** The shape every reader (CSV, JSON Lines) hands to column mapping: a header and batches of raw records. */
import type { RawRecord } from './tokenizer.ts';

export type { RawRecord } from './tokenizer.ts';

/** Bytes as they arrive: `fs.createReadStream(path)`, an HTTP request body, or an array of chunks in tests. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface TabularSource {
  format: 'csv' | 'jsonl';
  /**
   * Column names in file order. For JSON Lines a key first seen on a later line is appended while reading, and that
   * record's `fields` is longer than the header was at open time.
   */
  header: string[];
  /** The CSV delimiter used (detected or given); null for JSON Lines. */
  delimiter: string | null;
  /** Data records (never the header) in file order, a batch per chunk read. Iterate once. */
  batches: AsyncIterable<RawRecord[]>;
}

export function toAsyncIterator(source: ByteSource): AsyncIterator<Uint8Array> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const it = source[Symbol.iterator]();
  return {
    next: () => Promise.resolve(it.next()),
  };
}

/** Header names trimmed; a blank name becomes `column_<n>`; a repeated name is refused by the caller. */
export function cleanHeaderName(name: string, index: number): string {
  const trimmed = name.trim();
  return trimmed === '' ? `column_${index + 1}` : trimmed;
}
