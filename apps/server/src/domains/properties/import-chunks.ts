/**
 * The first import into an empty storm writes as it reads: rows go through the stage into the storm a chunk at a
 * time while the next chunks are read, validated and encoded, so on server Postgres the file's parsing (this
 * process) and the inserts (the database's process) run side by side instead of one after the other.
 * Safe only when none of the rows can exist yet: the storm was empty when its row was locked, and the file is
 * deduplicated as it is read, so a chunk never meets an address of an earlier one.
 */
import type { BulkTx } from '../../db/bulk.ts';
import * as repo from './properties.repo.ts';
import { PROPERTY_ID_LENGTH, propertyId } from './property-ids.ts';

/**
 * Bytes per chunk (about 35,000 rows of the 17-column demo file): a statement's fixed costs vanish at this size, and
 * the chunks held at once (one being written, READ_AHEAD read ahead, one filling) stay far below the memory budget.
 */
export const CHUNK_BYTES = 8 * 1024 * 1024;
const READ_AHEAD = 2;

/** Inserts every row of `chunks` (COPY text of whole rows) into the empty storm; returns how many. */
export async function insertAsRead(tx: BulkTx, ids: repo.MergeIds, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let inserted = 0;
  for await (const chunk of readAhead(chunks, READ_AHEAD)) {
    await tx.copy(repo.STAGE_COPY, [chunk]);
    inserted += await repo.insertStaged(tx, ids, false);
    await repo.clearStage(tx);
  }
  return inserted;
}

/**
 * Packs the stage's COPY lines as UTF-8 into chunks of about `size` bytes of whole lines, each chunk sorted by address
 * key and each line led by a new property id (property-ids.ts) in that order. In key order the unique index
 * (tenant_id, storm_id, address_key) is written page after page instead of one random page per row, and ids that grow
 * in insertion order append to the primary key: together about a fifth of the insert time. (One big string per chunk
 * cost more in garbage collection than the parsing itself.)
 */
export class ChunkPacker {
  private raw: Buffer;
  private used = 0;
  private keys: string[] = [];
  private starts: number[] = [];
  private nextId = 0;

  constructor(
    private readonly idPrefix: string,
    private readonly size = CHUNK_BYTES,
  ) {
    this.raw = Buffer.allocUnsafe(size);
  }

  /** Adds one row's line (without its id); returns the filled chunk when the line did not fit in it. */
  add(key: string, line: string): Buffer | undefined {
    const need = line.length * 3; // a UTF-16 code unit takes at most 3 UTF-8 bytes
    const full = this.used > 0 && this.used + need > this.raw.length ? this.take() : undefined;
    if (need > this.raw.length) this.raw = Buffer.allocUnsafe(need);
    this.keys.push(key);
    this.starts.push(this.used);
    this.used += this.raw.write(line, this.used);
    return full;
  }

  /** The last, partly filled chunk (undefined when empty). */
  end(): Buffer | undefined {
    return this.used > 0 ? this.take() : undefined;
  }

  private take(): Buffer {
    const { keys, starts, raw } = this;
    const order = Uint32Array.from(keys, (_k, i) => i).sort((a, b) => {
      const ka = keys[a] as string;
      const kb = keys[b] as string;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    starts.push(this.used);
    const out = Buffer.allocUnsafe(this.used + keys.length * (PROPERTY_ID_LENGTH + 1));
    let at = 0;
    for (const i of order) {
      at += out.write(`${propertyId(this.idPrefix, this.nextId++)}\t`, at, 'latin1');
      at += raw.copy(out, at, starts[i], starts[i + 1]);
    }
    this.used = 0;
    this.keys = [];
    this.starts = [];
    return out.subarray(0, at);
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
