/**
 * Decodes Postgres binary COPY (`COPY (query) TO STDOUT (FORMAT binary)`) into column batches: float8 columns
 * straight into Float64Arrays (null as NaN) and text columns into strings, with no per-row objects or number
 * parsing. Binary COPY carries no types: the caller's query casts each column to the type it names.
 * Format: an 11-byte signature, flags and a header extension; then per row an int16 field count and per field an
 * int32 length (-1 for null) and its bytes; an int16 -1 ends the data.
 */

export type ColumnType = 'text' | 'float8';
export type Column = Float64Array | (string | null)[];

export interface ColumnBatch {
  length: number;
  /** One per requested column, in order: Float64Array for float8, string or null for text. */
  columns: Column[];
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export class CopyBinaryDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private done = false;
  private columns: Column[] = [];
  private length = 0;

  constructor(
    private readonly types: readonly ColumnType[],
    private readonly batchRows: number,
  ) {
    this.reset();
  }

  /** Decodes what `chunk` completes; returns the batches that filled up. */
  push(chunk: Buffer): ColumnBatch[] {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    if (!this.headerRead) {
      if (buf.length < 19) {
        this.pending = Buffer.from(buf);
        return [];
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) {
        this.pending = Buffer.from(buf);
        return [];
      }
      at = 19 + extension;
      this.headerRead = true;
    }
    const full: ColumnBatch[] = [];
    while (!this.done) {
      const next = this.readRow(buf, at);
      if (next === -1) break;
      at = next;
      if (this.length === this.batchRows) full.push(this.take());
    }
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    return full;
  }

  /** The last, partly filled batch once the stream has ended (null when empty). */
  end(): ColumnBatch | null {
    if (this.pending.length)
      throw new Error(`binary COPY stream ended inside a row (${this.pending.length} bytes left)`);
    return this.length ? this.take() : null;
  }

  /** Reads one row at `at` into the batch; returns the offset after it, or -1 when the row is not all here yet. */
  private readRow(buf: Buffer, at: number): number {
    if (at + 2 > buf.length) return -1;
    const count = buf.readInt16BE(at);
    if (count === -1) {
      this.done = true;
      return at + 2;
    }
    if (count !== this.types.length)
      throw new Error(`binary COPY row has ${count} fields, expected ${this.types.length}`);
    // Check the whole row is here before writing any of it.
    let p = at + 2;
    for (let i = 0; i < count; i++) {
      if (p + 4 > buf.length) return -1;
      const len = buf.readInt32BE(p);
      p += 4 + (len > 0 ? len : 0);
      if (p > buf.length) return -1;
    }
    p = at + 2;
    const row = this.length;
    for (let i = 0; i < count; i++) {
      const len = buf.readInt32BE(p);
      p += 4;
      const column = this.columns[i]!;
      if (this.types[i] === 'float8') {
        (column as Float64Array)[row] = len === -1 ? NaN : buf.readDoubleBE(p);
      } else {
        (column as (string | null)[])[row] = len === -1 ? null : buf.toString('utf8', p, p + len);
      }
      if (len > 0) p += len;
    }
    this.length++;
    return p;
  }

  private take(): ColumnBatch {
    const columns = this.columns.map((c) =>
      c instanceof Float64Array ? c.subarray(0, this.length) : c.slice(0, this.length),
    );
    const batch = { length: this.length, columns };
    this.reset();
    return batch;
  }

  private reset(): void {
    this.length = 0;
    this.columns = this.types.map((t) =>
      t === 'float8' ? new Float64Array(this.batchRows) : new Array<string | null>(this.batchRows),
    );
  }
}
