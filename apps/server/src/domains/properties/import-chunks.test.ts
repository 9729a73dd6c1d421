import { describe, expect, it } from 'vitest';
import { resolveMapping } from './column-mapping.ts';
import { PROPERTY_COPY_COLUMNS } from './copy-rows.ts';
import { ChunkPacker, readAhead } from './import-chunks.ts';
import { importIdPrefix } from './property-ids.ts';
import { validatePropertyRow, type ImportedProperty } from './property-row.ts';

const m = resolveMapping(['address', 'zip']);
const property = (street: string, row: number) =>
  validatePropertyRow([street, '73160'], row, m, [], { currentYear: 2025 }) as ImportedProperty;

/** Packs the streets; returns every chunk. */
function pack(packer: ChunkPacker, streets: string[]): Buffer[] {
  const chunks: Buffer[] = [];
  streets.forEach((s, i) => {
    const full = packer.add(property(s, i + 2));
    if (full) chunks.push(full);
  });
  const last = packer.end();
  if (last) chunks.push(last);
  return chunks;
}

/** Reads a chunk back: each row's id and its address key (the last field). */
function rows(chunk: Buffer): { id: string; key: string }[] {
  expect(chunk.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  let at = 19;
  const out: { id: string; key: string }[] = [];
  for (;;) {
    const count = chunk.readInt16BE(at);
    at += 2;
    if (count === -1) break;
    expect(count).toBe(1 + PROPERTY_COPY_COLUMNS.length);
    let id = '';
    let key = '';
    for (let f = 0; f < count; f++) {
      const n = chunk.readInt32BE(at);
      at += 4;
      if (n === -1) continue;
      const value = chunk.subarray(at, (at += n));
      if (f === 0) id = value.toString('hex');
      if (f === count - 1) key = value.toString('utf8');
    }
    out.push({ id, key });
  }
  expect(at).toBe(chunk.length);
  return out;
}

describe('ChunkPacker', () => {
  it('writes whole binary COPY streams of the rows in order, each led by an id that grows in that order', () => {
    const prefix = importIdPrefix();
    const packer = new ChunkPacker(prefix, 700);
    const streets = [
      '9 Oak St',
      '2 Elm St',
      '5 Ash Ave',
      '1 Fir Ln',
      '8 Yew Ct',
      '3 Bay Rd',
      '7 Ivy Way',
      '4 Elm Pl',
      '6 Main St',
      '10 Pine Dr',
    ];
    const chunks = pack(packer, streets);
    expect(packer.end()).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(1);
    const flat = chunks.map(rows).flat();
    expect(flat.map((r) => r.key)).toEqual(streets.map((s) => property(s, 0).address_key));
    expect(packer.packed).toBe(streets.length);
    const ids = flat.map((r) => r.id);
    expect(ids[0]).toBe(prefix.replace(/-/g, '') + '00000000');
    expect(ids.at(-1)).toBe(prefix.replace(/-/g, '') + (streets.length - 1).toString(16).padStart(8, '0'));
    expect([...ids].sort()).toEqual(ids);
  });

  it('ends a chunk with the row that crosses its size, however large', () => {
    const packer = new ChunkPacker(importIdPrefix(), 64);
    const long = `1 ${'Long '.repeat(39)}St`;
    const chunks = pack(packer, ['1 Elm St', long, '2 Elm St']);
    expect(chunks.length).toBe(3);
    expect(
      chunks
        .map(rows)
        .flat()
        .map((r) => r.key),
    ).toEqual(['1 Elm St', long, '2 Elm St'].map((s) => property(s, 0).address_key));
  });
});

describe('ChunkPacker.recycle', () => {
  it('writes later chunks into the buffers of chunks handed back, and never into one still held', () => {
    const packer = new ChunkPacker(importIdPrefix(), 2048);
    const streets = Array.from({ length: 400 }, (_, i) => `${i} Main St`);
    const chunks: Buffer[] = [];
    const held: { chunk: Buffer; bytes: string }[] = [];
    const keys: string[] = [];
    streets.forEach((s, i) => {
      const full = packer.add(property(s, i + 2));
      if (!full) return;
      chunks.push(full);
      keys.push(...rows(full).map((r) => r.key));
      // every other chunk goes back at once (its COPY done); the rest stay held, and must not change
      if (chunks.length % 2 === 0) packer.recycle(full);
      else held.push({ chunk: full, bytes: full.toString('hex') });
    });
    keys.push(...rows(packer.end()!).map((r) => r.key));
    expect(new Set(chunks.map((c) => c.buffer)).size).toBeLessThan(chunks.length);
    for (const h of held) expect(h.chunk.toString('hex')).toBe(h.bytes);
    expect(keys).toEqual(streets.map((s) => property(s, 0).address_key));
  });

  it('leaves alone a chunk it did not make', () => {
    const packer = new ChunkPacker(importIdPrefix(), 2048);
    packer.recycle(Buffer.alloc(4096));
    const chunks = pack(
      packer,
      Array.from({ length: 100 }, (_, i) => `${i} Elm St`),
    );
    expect(chunks.every((c) => c.length > 0)).toBe(true);
  });
});

describe('readAhead', () => {
  async function* source(log: string[], n: number, failAt?: number) {
    try {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error(`source failed at ${i}`);
        log.push(`made ${i}`);
        yield i;
      }
    } finally {
      log.push('source closed');
    }
  }

  it('yields every item in order, requesting up to `depth` ahead of the consumer', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const i of readAhead(source(log, 5), 2)) {
      await new Promise((r) => setImmediate(r));
      log.push(`used ${i}`);
      seen.push(i);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(log.indexOf('made 2')).toBeLessThan(log.indexOf('used 0'));
    expect(log.at(-1)).toBe('used 4');
  });

  it('passes a source error on in its place, and closes the source when the consumer stops early', async () => {
    const seen: number[] = [];
    await expect(async () => {
      for await (const i of readAhead(source([], 5, 3), 2)) seen.push(i);
    }).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
    const log: string[] = [];
    for await (const i of readAhead(source(log, 100), 2)) if (i === 1) break;
    expect(log).toContain('source closed');
    expect(log.filter((l) => l.startsWith('made')).length).toBeLessThanOrEqual(5);
  });
});
