/** Test helpers: run a whole import over bytes or a file and collect everything it produced. */
import { createReadStream } from 'node:fs';
import { ImportError, type RowError } from '../../lib/csv/errors.ts';
import { expect } from 'vitest';
import { ChunkPacker } from './import-chunks.ts';
import { openPropertyImport, openPropertyLoad, type PropertyImportOptions } from './property-import.ts';
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

/**
 * Runs the import both ways the platform reads a file: as property objects (`openPropertyImport`) and packed into
 * COPY chunks (`openPropertyLoad`, the byte lane first for CSV), and fails unless the two agree to the byte: the
 * same file error, the same row errors, the same rows. Returns the objects' outcome.
 */
export async function runImport(
  input: ImportInput,
  options: PropertyImportOptions & { chunkSize?: number } = {},
): Promise<ImportOutcome> {
  const objects = await runObjects(input, options);
  const packed = await runPacked(input, options);
  expect(describeError(packed.error), 'the packed import fails as the object import does').toEqual(
    describeError(objects.error),
  );
  expect(packed.rowErrors, 'the packed import reports the rows the object import does').toEqual(objects.rowErrors);
  if (objects.error === undefined) {
    const packer = new ChunkPacker(TEST_ID_PREFIX, TEST_CHUNK_BYTES);
    const chunks = objects.properties.map((p) => packer.add(p)).filter((c): c is Buffer => c !== undefined);
    const last = packer.end();
    if (last) chunks.push(last);
    expect(Buffer.concat(packed.chunks).equals(Buffer.concat(chunks)), 'the packed rows are the object rows').toBe(
      true,
    );
  }
  return objects;
}

const TEST_ID_PREFIX = '0123456789abcdef01234567';
const TEST_CHUNK_BYTES = 4096;

function describeError(err: ImportError | undefined) {
  return err === undefined ? undefined : { code: err.code, row: err.row, column: err.column, message: err.message };
}

/** A file path, its bytes (cut into `chunkSize` chunks), or the chunks themselves. */
export type ImportInput = string | Uint8Array | Uint8Array[];

function sourceOf(input: ImportInput, chunkSize: number | undefined) {
  if (Array.isArray(input)) return input;
  return typeof input === 'string'
    ? createReadStream(input, chunkSize ? { highWaterMark: chunkSize } : {})
    : chunked(input, chunkSize ?? 65536);
}

/** Runs `open`'s batches to the end or to an ImportError, keeping what each batch gave (`take`). */
async function collect<B extends { errors: RowError[] }>(
  open: () => Promise<{ batches: AsyncIterable<B> }>,
  take: (batch: B) => void,
): Promise<{ error: ImportError | undefined; rowErrors: RowError[] }> {
  const rowErrors: RowError[] = [];
  try {
    for await (const batch of (await open()).batches) {
      take(batch);
      rowErrors.push(...batch.errors);
    }
    return { error: undefined, rowErrors };
  } catch (err) {
    if (err instanceof ImportError) return { error: err, rowErrors };
    throw err;
  }
}

async function runObjects(
  input: ImportInput,
  options: PropertyImportOptions & { chunkSize?: number },
): Promise<ImportOutcome> {
  const { chunkSize, ...importOptions } = options;
  const properties: ImportedProperty[] = [];
  const run = await collect(
    () => openPropertyImport(sourceOf(input, chunkSize), importOptions),
    (batch) => properties.push(...batch.properties),
  );
  return { ...run, properties };
}

async function runPacked(input: ImportInput, options: PropertyImportOptions & { chunkSize?: number }) {
  const { chunkSize, ...importOptions } = options;
  const chunks: Buffer[] = [];
  const packer = new ChunkPacker(TEST_ID_PREFIX, TEST_CHUNK_BYTES);
  const run = await collect(
    () => openPropertyLoad(sourceOf(input, chunkSize), importOptions, packer),
    (batch) => chunks.push(...batch.chunks),
  );
  return { ...run, chunks };
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
