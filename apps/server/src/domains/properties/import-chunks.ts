/**
 * Chunks of rows on their way to the database: a storm's first import COPYs them straight into the storm's new table
 * (loadAll) while the next chunks are read, validated and encoded, so on server Postgres the file's parsing (this
 * process) and the database's writing (its own process) run side by side; a later import stages them (stageAll).
 */
import type { BulkTx } from '../../db/bulk.ts';
import { PROPERTY_COPY_COLUMNS, PropertyFieldWriter } from './copy-rows.ts';
import * as repo from './properties.repo.ts';
import type { ImportedProperty } from './property-row.ts';

/**
 * Bytes per chunk (about 35,000 rows of the 17-column demo file): a statement's fixed costs vanish at this size, and
 * the chunks held at once (one being written, READ_AHEAD read ahead, one filling) stay far below the memory budget.
 */
export const CHUNK_BYTES = 8 * 1024 * 1024;
const READ_AHEAD = 2;

/** COPYs every chunk with `copySql` (a chunk is a whole binary COPY stream, so one statement each). */
export async function copyAll(tx: BulkTx, copySql: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of readAhead(chunks, READ_AHEAD)) await tx.copy(copySql, [chunk]);
}

/**
 * Fills a storm's new table (its first import). Server Postgres COPYs straight into it. PGlite COPYs each chunk into
 * the stage and moves it with INSERT ... SELECT: its COPY into a growing table pushes every page through a small
 * buffer ring into its in-memory file system, and slows as the table grows (a million rows: 71.5 s, against 9.1 s
 * through the stage; 200,000 rows: 3.0 s either way).
 */
export async function loadAll(tx: BulkTx, load: repo.StormLoad, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  if (tx.backend === 'postgres') return copyAll(tx, load.copySql, chunks);
  await repo.createStage(tx);
  for await (const chunk of readAhead(chunks, READ_AHEAD)) {
    await tx.copy(repo.STAGE_COPY, [chunk]);
    await tx.command(load.fromStageSql);
    await repo.clearStage(tx);
  }
}

/** COPYs every chunk into the stage. */
export function stageAll(tx: BulkTx, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  return copyAll(tx, repo.STAGE_COPY, chunks);
}

/** Binary COPY's signature, flags and (empty) header extension, and its end marker. */
const COPY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const COPY_TRAILER_BYTES = 2;
/** Per row: the field count, then the property id's length and 16 bytes. */
const ROW_HEAD_BYTES = 2 + 4 + 16;
const STAGE_FIELDS = 1 + PROPERTY_COPY_COLUMNS.length;

/**
 * Packs properties into binary COPY chunks for the stage (property_id, then PROPERTY_COPY_COLUMNS) of about `size`
 * bytes, each a whole COPY stream in address key order (by its first characters, see sortKey), each row led by a new
 * property id (property-ids.ts) in that order. Ids that grow in insertion order and keys in runs of order make both
 * unique indexes of a storm's table cheaper: built after a first import (their sorts meet ordered input), or written
 * page after page instead of one random page per row by a later import.
 */
export class ChunkPacker {
  private readonly fields: PropertyFieldWriter;
  /** Per row: its sort key (SORT_KEY_CHARS of the address key) times 2^16, plus its index in the chunk. */
  private order = new Float64Array(MAX_CHUNK_ROWS);
  private starts = new Uint32Array(MAX_CHUNK_ROWS + 1);
  private rows = 0;
  private nextId = 0;
  /** Rows packed so far, in every chunk taken. */
  get packed(): number {
    return this.nextId + this.rows;
  }
  /** The first chunks are smaller, so the database starts on them sooner; this doubles up to `size`. */
  private limit: number;
  /** The prefix's 12 bytes as three big-endian words. */
  private readonly idWords: [number, number, number];

  constructor(
    idPrefix: string,
    private readonly size = CHUNK_BYTES,
  ) {
    this.fields = new PropertyFieldWriter(size + 64 * 1024);
    this.limit = Math.max(size / 8, 1);
    const head = Buffer.from(idPrefix.replace(/-/g, ''), 'hex');
    if (head.length !== 12) throw new Error(`not an id prefix: ${idPrefix}`);
    this.idWords = [head.readUInt32BE(0), head.readUInt32BE(4), head.readUInt32BE(8)];
  }

  /** Adds one property; returns a chunk when this one filled it. */
  add(p: ImportedProperty): Buffer | undefined {
    const i = this.rows++;
    this.order[i] = sortKey(p.address_key) * MAX_CHUNK_ROWS + i;
    this.starts[i] = this.fields.used;
    this.fields.write(p);
    return this.fields.used >= this.limit || this.rows === MAX_CHUNK_ROWS ? this.take() : undefined;
  }

  /** The last, partly filled chunk (undefined when empty). */
  end(): Buffer | undefined {
    return this.rows > 0 ? this.take() : undefined;
  }

  private take(): Buffer {
    const { starts, rows } = this;
    const raw = this.fields.buf;
    const used = this.fields.used;
    starts[rows] = used;
    const order = this.order.subarray(0, rows).sort();
    if (this.nextId + rows > 0x1_0000_0000) throw new RangeError('more than 4 billion rows in one import');
    const out = Buffer.allocUnsafe(COPY_HEADER.length + rows * ROW_HEAD_BYTES + used + COPY_TRAILER_BYTES);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const [w0, w1, w2] = this.idWords;
    let at = COPY_HEADER.copy(out, 0);
    for (let k = 0; k < rows; k++) {
      const i = (order[k] as number) % MAX_CHUNK_ROWS;
      view.setInt16(at, STAGE_FIELDS);
      view.setInt32(at + 2, 16);
      view.setUint32(at + 6, w0);
      view.setUint32(at + 10, w1);
      view.setUint32(at + 14, w2);
      view.setUint32(at + 18, this.nextId++);
      at += ROW_HEAD_BYTES;
      at += raw.copy(out, at, starts[i], starts[i + 1]);
    }
    view.setInt16(at, -1);
    this.fields.reset();
    this.rows = 0;
    this.limit = Math.min(this.limit * 2, this.size);
    return out;
  }
}

/** Rows per chunk at most: a row's index takes the low 16 bits of its sort value. */
const MAX_CHUNK_ROWS = 65_536;
/** Characters of the address key sorted on: 6 x 6 bits, so key and index fit a double's 53 exact bits. */
const SORT_KEY_CHARS = 6;

/**
 * The first characters of an address key as a number in the same order (bytewise, as the index compares them) for
 * space through underscore, which covers digits and upper-case letters; anything above sorts last. Keys that share
 * the prefix keep their file order: close enough in the index to share its pages.
 */
export function sortKey(key: string): number {
  let v = 0;
  for (let i = 0; i < SORT_KEY_CHARS; i++) {
    const c = i < key.length ? key.charCodeAt(i) : 0;
    v = v * 64 + (c < 32 ? 0 : c > 95 ? 63 : c - 32);
  }
  return v;
}

/**
 * Keeps up to `depth` items of `source` requested ahead of the consumer, so the source runs while the consumer
 * awaits something else. Errors surface in order; stopping early returns the source.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const request = () => {
    const next = it.next();
    next.catch(() => {}); // awaited in turn below; this only keeps an early exit from leaving it unhandled
    pending.push(next);
  };
  let finished = false;
  try {
    for (;;) {
      while (pending.length < depth + 1) request();
      const r = await (pending.shift() as Promise<IteratorResult<T>>);
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await it.return?.(undefined);
  }
}
