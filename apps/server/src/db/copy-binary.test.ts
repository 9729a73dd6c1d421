import { describe, expect, it } from 'vitest';
import { CopyBinaryDecoder, type ColumnBatch } from './copy-binary.ts';

/** A binary COPY stream as Postgres writes it, for rows of (text, float8). */
function stream(rows: [string | null, number | null][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const [text, num] of rows) {
    const head = Buffer.alloc(2);
    head.writeInt16BE(2);
    parts.push(head);
    const t = text === null ? null : Buffer.from(text, 'utf8');
    const tl = Buffer.alloc(4);
    tl.writeInt32BE(t ? t.length : -1);
    parts.push(tl, ...(t ? [t] : []));
    const n = Buffer.alloc(num === null ? 4 : 12);
    n.writeInt32BE(num === null ? -1 : 8);
    if (num !== null) n.writeDoubleBE(num, 4);
    parts.push(n);
  }
  const end = Buffer.alloc(2);
  end.writeInt16BE(-1);
  parts.push(end);
  return Buffer.concat(parts);
}

function decodeAll(bytes: Buffer, step: number, batchRows: number): ColumnBatch[] {
  const decoder = new CopyBinaryDecoder(['text', 'float8'], batchRows);
  const out: ColumnBatch[] = [];
  for (let i = 0; i < bytes.length; i += step) out.push(...decoder.push(bytes.subarray(i, i + step)));
  const last = decoder.end();
  if (last) out.push(last);
  return out;
}

describe('binary COPY decoding', () => {
  const rows: [string | null, number | null][] = [
    ['a\tb\nc', 1.5],
    [null, null],
    ['日本 é', -0.1 + 0.3],
    ['', Number.MAX_VALUE],
    ['x', 5e-324],
  ];

  it('decodes text and float8 exactly, in batches, whatever the chunk boundaries', () => {
    const bytes = stream(rows);
    for (const step of [1, 2, 5, 13, bytes.length]) {
      const batches = decodeAll(bytes, step, 2);
      expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
      expect(batches.flatMap((b) => b.columns[0] as (string | null)[])).toEqual(rows.map((r) => r[0]));
      expect(batches.flatMap((b) => Array.from(b.columns[1] as Float64Array))).toEqual(rows.map((r) => r[1] ?? NaN));
    }
  });

  it('refuses a stream that is not binary COPY, has the wrong field count, or stops inside a row', () => {
    expect(() => new CopyBinaryDecoder(['text'], 10).push(Buffer.from('id\tname\n1\tx\n...............'))).toThrow(
      /not a binary COPY/,
    );
    expect(() => new CopyBinaryDecoder(['text'], 10).push(stream(rows))).toThrow(/2 fields, expected 1/);
    const cut = new CopyBinaryDecoder(['text', 'float8'], 10);
    cut.push(stream(rows).subarray(0, 30));
    expect(() => cut.end()).toThrow(/ended inside a row/);
  });
});
