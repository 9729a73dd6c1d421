/** Property inputs and views, shared by the SDK, the CLI and the HTTP routes: one schema per operation, snake_case. */
import { z } from 'zod';
import { PROPERTY_FIELDS } from './column-mapping.ts';
import type { Delimiter } from '../../lib/csv/delimiter.ts';
import type { RowError } from '../../lib/csv/errors.ts';
import type { ByteSource } from '../../lib/csv/tabular.ts';
import { queryInt4, text } from '../fields.ts';
import { optionalTenant, stormId } from '../storms/storms.schema.ts';

export const mappingName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a mapping name holds 1-64 letters, digits, _ . -');

/** A column mapping `{ field: header }`; a field mapped to null is not read from any column. */
const columnMapping = z.partialRecord(z.enum(PROPERTY_FIELDS), text().min(1).nullable());

/** The delimiters by name, as HTTP and the CLI spell them. */
export const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const satisfies Record<
  string,
  Delimiter
>;
export type DelimiterName = keyof typeof DELIMITERS;
const delimiterName = z.enum(['comma', 'semicolon', 'tab', 'pipe'], {
  error: () => 'must be one of comma, semicolon, tab, pipe',
});
const importFormat = z.enum(['csv', 'jsonl'], { error: () => 'must be csv or jsonl' });

/**
 * `properties.import({ storm_id, source, ... })`, `properties import`, and (through an upload job) POST
 * /storms/:storm_id/properties/import: everything but the file's bytes (`source`, a stream), which no schema reads.
 */
export const importPropertiesInput = z
  .object({
    storm_id: stormId,
    /** File name, for messages and format detection. */
    source_name: text().max(200).optional(),
    format: importFormat.optional(),
    delimiter: delimiterName.optional(),
    /** A saved mapping's name, or an explicit `{ field: header }` mapping. */
    mapping: z.union([mappingName, columnMapping]).optional(),
    /** Import the valid rows and record the rejected ones, instead of rejecting the whole file. */
    skip_invalid: z.boolean().optional(),
  })
  .strict();
export type ImportPropertiesInput = z.input<typeof importPropertiesInput> & {
  /** The file's bytes, streamed (a file read stream, an upload, an array of chunks). */
  source: ByteSource;
};

/** POST /storms/:storm_id/properties/import's query string (the file is the body). */
export const importQuery = z
  .object({
    file_name: text().max(200).optional(),
    mapping: mappingName.optional().describe('a saved mapping name'),
    skip_invalid: z.enum(['true', 'false']).optional(),
    format: importFormat.optional(),
    delimiter: delimiterName.optional(),
  })
  .strict();

/** What the caller of an import hears while it runs, and the id an API job registered it under. */
export interface ImportHooks {
  /** Set by API jobs that registered the import before it ran. */
  importId?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Receives every rejected row as found (the CLI writes the errors CSV from it). */
  onRejected?: (errors: readonly RowError[]) => void;
}

/** GET /storms/:storm_id/properties, `properties list`, `properties.list(...)`: keyset pages in id order. */
export const listPropertiesInput = z
  .object({
    storm_id: stormId,
    limit: queryInt4().min(1).max(1000).optional(),
    after: z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` }).optional(),
  })
  .strict();
export type ListPropertiesInput = z.input<typeof listPropertiesInput>;

/** GET /storms/:storm_id/imports, `properties.imports(...)`. */
export const listImportsInput = z.object({ storm_id: stormId }).strict();
export type ListImportsInput = z.input<typeof listImportsInput>;

/** PUT /mappings/:name, `properties save-mapping`, `properties.saveMapping(...)`. */
export const saveMappingInput = z
  .object({
    tenant_id: optionalTenant,
    name: mappingName,
    mapping: z.partialRecord(z.enum(PROPERTY_FIELDS), text().min(1)),
  })
  .strict();
export type SaveMappingInput = z.input<typeof saveMappingInput>;

export interface ImportProgress {
  rows_read: number;
  bytes_read: number;
  elapsed_ms: number;
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
