/** Test helpers: run a whole import over bytes or a file and collect everything it produced. */
import { createReadStream } from 'node:fs';
import { ImportError, type RowError } from './import-error.ts';
import { openPropertyImport, type PropertyImportOptions } from './property-import.ts';
import type { ImportedProperty } from './property-row.ts';

export interface ImportOutcome {
  error: ImportError | undefined;
  properties: ImportedProperty[];
  rowErrors: RowError[];
}

/** Splits bytes into chunks of `chunkSize` to exercise every chunk boundary the reader must handle. */
export function chunked(bytes: Uint8Array, chunkSize: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) out.push(bytes.subarray(i, i + chunkSize));
  return out;
}

export async function runImport(
  input: string | Uint8Array,
  options: PropertyImportOptions & { chunkSize?: number } = {},
): Promise<ImportOutcome> {
  const { chunkSize, ...importOptions } = options;
  const source =
    typeof input === 'string'
      ? createReadStream(input, chunkSize ? { highWaterMark: chunkSize } : {})
      : chunked(input, chunkSize ?? 65536);
  const properties: ImportedProperty[] = [];
  const rowErrors: RowError[] = [];
  try {
    const imp = await openPropertyImport(source, importOptions);
    for await (const batch of imp.batches) {
      properties.push(...batch.properties);
      rowErrors.push(...batch.errors);
    }
    return { error: undefined, properties, rowErrors };
  } catch (err) {
    if (err instanceof ImportError) return { error: err, properties, rowErrors };
    throw err;
  }
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
