/** Property import inputs and views, shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import type { ColumnMapping } from './column-mapping.ts';
import type { Delimiter } from '../../lib/csv/delimiter.ts';
import type { RowError } from '../../lib/csv/errors.ts';
import type { ByteSource } from '../../lib/csv/tabular.ts';

export const mappingName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a mapping name holds 1-64 letters, digits, _ . -');

export interface ImportProgress {
  rows_read: number;
  bytes_read: number;
  elapsed_ms: number;
}

export interface ImportPropertiesInput {
  stormId: string;
  /** The file's bytes, streamed (a file read stream, an upload, an array of chunks). */
  source: ByteSource;
  /** File name, for messages and format detection. */
  sourceName?: string;
  format?: 'csv' | 'jsonl';
  delimiter?: Delimiter;
  /** A saved mapping's name, or an explicit `{ field: header }` mapping. */
  mapping?: string | ColumnMapping;
  /** Import the valid rows and record the rejected ones, instead of rejecting the whole file. */
  skipInvalid?: boolean;
  /** Set by API jobs that registered the import before it ran. */
  importId?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Receives every rejected row as found (the CLI writes the errors CSV from it). */
  onRejected?: (errors: readonly RowError[]) => void;
}

export interface ImportSummary {
  import_id: string;
  storm_id: string;
  status: 'completed';
  source_name: string | null;
  rows_read: number;
  inserted: number;
  updated: number;
  /** Rows whose address the storm already had with identical data. */
  unchanged: number;
  /** Rows repeating an earlier row's address in the same file. */
  duplicates: number;
  invalid: number;
  elapsed_ms: number;
  rows_per_second: number;
  /** The first rejected rows (all of them are in the errors CSV / the import's error list). */
  errors: RowError[];
}

export const ERRORS_SHOWN = 100;
