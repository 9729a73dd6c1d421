/**
 * Chunks of rows on their way to the database: a storm's first import moves them into `property` one chunk at a time
 * (loadAll) while the next chunks are read, validated and encoded, so on server Postgres the file's parsing (this
 * process) and the database's writing (its own process) run side by side; a later import stages them all (stageAll).
 */
import type { BulkTx } from '../../db/bulk.ts';
import { PropertyFieldWriter } from './copy-rows.ts';
import * as repo from './properties.repo.ts';
import type { ImportedProperty } from './property-row.ts';

/**
 * Bytes per chunk (about 35,000 rows of the 17-column demo file): a statement's fixed costs vanish at this size, and
 * the chunks held at once (one being written, READ_AHEAD read ahead, one filling) stay far below the memory budget.
 */
export const CHUNK_BYTES = 8 * 1024 * 1024;
const READ_AHEAD = 2;

/** Called with each chunk once its COPY is done (ChunkPacker.recycle reuses its buffer). */
export type ChunkDone = (chunk: Buffer) => void;

/** COPYs every chunk with `copySql` (a chunk is a whole binary COPY stream, so one statement each). */
export async function copyAll(
  tx: BulkTx,
  copySql: string,
  chunks: AsyncIterable<Buffer>,
  done?: ChunkDone,
): Promise<void> {
  for await (const chunk of readAhead(chunks, READ_AHEAD)) {
    await tx.copy(copySql, [chunk]);
    done?.(chunk);
  }
}

/**
 * Loads a storm's first import into `property` chunk by chunk (0030): each chunk is COPYed into the stage and moved by
 * one INSERT ... SELECT while the next chunks are read, validated and encoded (readAhead). On PGlite a large import
 * moves its rows with the table's indexes dropped and builds them again at the end (PgliteKeyRebuild).
 */
export async function loadAll(
  tx: BulkTx,
  load: repo.StormLoad,
  chunks: AsyncIterable<Buffer>,
  done?: ChunkDone,
): Promise<void> {
  await repo.createStage(tx);
  const rebuild = await repo.PgliteKeyRebuild.start(tx);
  let moved = 0;
  for await (const chunk of readAhead(chunks, READ_AHEAD)) {
    await tx.copy(repo.STAGE_COPY, [chunk]);
    done?.(chunk);
    if (rebuild) await rebuild.beforeMove(moved + (await repo.stagedRows(tx)));
    moved += await tx.command(load.fromStageSql, load.params);
    await repo.clearStage(tx);
  }
  await rebuild?.finish();
}

/** COPYs every chunk into the stage. */
export function stageAll(tx: BulkTx, chunks: AsyncIterable<Buffer>, done?: ChunkDone): Promise<void> {
  return copyAll(tx, repo.STAGE_COPY, chunks, done);
}

/** Binary COPY's signature, flags and (empty) header extension, and its end marker. */
const COPY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
/** Room beyond a chunk's size, so the row that crosses it rarely makes the buffer grow. */
const SLACK_BYTES = 64 * 1024;
/** Full-size chunk buffers kept for reuse: the chunks read ahead and the one being written are all in flight. */
const SPARE_BUFFERS = READ_AHEAD + 2;

/**
 * Packs properties into binary COPY chunks of about `size` bytes, each a whole COPY stream, written in place: each
 * row goes straight into the chunk (copy-rows.ts) and gets its property id (property-ids.ts), the import's prefix
 * and a counter in file order, in the id room of its head. Ids that grow with the rows' order on disk make a storm
 * table's id index a sort of sorted input, and a later import's new ids fill index pages one after another.
 */
export class ChunkPacker {
  private readonly rows: PropertyFieldWriter;
  private nextId = 0;
  /** Rows packed so far, in every chunk taken. */
  get packed(): number {
    return this.nextId;
  }
  /** The first chunks are smaller, so the database starts on them sooner; this doubles up to `size`. */
  private limit: number;
  /** The prefix's 12 bytes as three big-endian words. */
  private readonly idWords: [number, number, number];
  /**
   * Full-size buffers handed back (recycle) for the next chunks: a new 8 MB buffer each time cost page faults and
   * the old ones' collection.
   */
  private readonly spare: Buffer[] = [];
  /** The full-size buffers this packer made, by their memory, so recycle knows its own. */
  private readonly made = new WeakMap<ArrayBufferLike, Buffer>();

  constructor(
    /** The import's id prefix (property-ids.ts): every id this packer gives starts with it. */
    readonly idPrefix: string,
    private readonly size = CHUNK_BYTES,
  ) {
    this.limit = Math.max(size / 8, 1);
    const head = Buffer.from(idPrefix.replace(/-/g, ''), 'hex');
    if (head.length !== 12) throw new Error(`not an id prefix: ${idPrefix}`);
    this.idWords = [head.readUInt32BE(0), head.readUInt32BE(4), head.readUInt32BE(8)];
    this.rows = new PropertyFieldWriter(this.limit + SLACK_BYTES, COPY_HEADER);
  }

  /** Where rows are written: `add` writes one, the byte lane (plain-row-lane.ts) writes its own, then `rowWritten`. */
  get writer(): PropertyFieldWriter {
    return this.rows;
  }

  /** Adds one property; returns a chunk when this one filled it. */
  add(p: ImportedProperty): Buffer | undefined {
    const row = this.rows.used;
    this.rows.write(p);
    return this.rowWritten(row);
  }

  /** Gives the row just written at `row` its id; returns a chunk when the row filled it. */
  rowWritten(row: number): Buffer | undefined {
    const w = this.rows;
    if (this.nextId === 0x1_0000_0000) {
      w.used = row;
      throw new RangeError('more than 4 billion rows in one import');
    }
    const [w0, w1, w2] = this.idWords;
    const view = w.view;
    view.setUint32(row + 6, w0);
    view.setUint32(row + 10, w1);
    view.setUint32(row + 14, w2);
    view.setUint32(row + 18, this.nextId++);
    return w.used >= this.limit ? this.take() : undefined;
  }

  /** The last, partly filled chunk (undefined when empty). */
  end(): Buffer | undefined {
    return this.rows.used > COPY_HEADER.length ? this.take() : undefined;
  }

  /**
   * Hands back a chunk this packer made once the database is done with it (its COPY finished); a later chunk is
   * written into its buffer. A chunk not made here, or not full-size, is left alone.
   */
  recycle(chunk: Buffer): void {
    const base = this.made.get(chunk.buffer);
    if (base && base.byteOffset === chunk.byteOffset && this.spare.length < SPARE_BUFFERS && !this.spare.includes(base))
      this.spare.push(base);
  }

  private take(): Buffer {
    this.limit = Math.min(this.limit * 2, this.size);
    return this.rows.takeBuffer(COPY_TRAILER, this.nextBuffer(this.limit + SLACK_BYTES), COPY_HEADER);
  }

  private nextBuffer(capacity: number): Buffer {
    if (capacity < this.size + SLACK_BYTES) return Buffer.allocUnsafe(capacity);
    const spare = this.spare.pop();
    if (spare) return spare;
    const made = Buffer.allocUnsafeSlow(capacity);
    this.made.set(made.buffer, made);
    return made;
  }
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
