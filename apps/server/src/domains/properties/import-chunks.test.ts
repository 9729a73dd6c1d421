import { describe, expect, it } from 'vitest';
import { resolveMapping } from './column-mapping.ts';
import { PROPERTY_COPY_COLUMNS } from './copy-rows.ts';
import { ChunkPacker, readAhead, sortKey } from './import-chunks.ts';
import { importIdPrefix } from './property-ids.ts';
import { validatePropertyRow, type ImportedProperty } from './property-row.ts';

const m = resolveMapping(['address', 'zip']);
const property = (street: string, row: number) => validatePropertyRow([street, '73160'], row, m, [], { currentYear: 2025 }) as ImportedProperty;

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
  it('orders by the first characters of the key, bytewise, keeping file order within a prefix', () => {
    const keys = ['10 MAIN ST|73160', '10 MAIN AVE|73160', '1 ELM', '1', '', '9', '10 MA', 'A', 'Z', 'Z|', 'Zz', 'Ñ'];
    const sorted = [...keys].sort((a, b) => sortKey(a) - sortKey(b)); // a stable sort
    expect(sorted).toEqual(['', '1', '1 ELM', '10 MA', '10 MAIN ST|73160', '10 MAIN AVE|73160', '9', 'A', 'Z', 'Z|', 'Zz', 'Ñ']);
    expect(sortKey('10 MAIN ST')).toBe(sortKey('10 MAIN AVE'));
    expect(Number.isSafeInteger(sortKey('~~~~~~') * 65_536 + 65_535)).toBe(true);
  });

  it('writes whole binary COPY streams sorted by key, each row led by an id that grows in that order', () => {
    const prefix = importIdPrefix();
    const packer = new ChunkPacker(prefix, 700);
    const chunks: Buffer[] = [];
    const streets = ['9 Oak St', '2 Elm St', '5 Ash Ave', '1 Fir Ln', '8 Yew Ct', '3 Bay Rd', '7 Ivy Way', '4 Elm Pl', '6 Main St', '10 Pine Dr'];
    streets.forEach((s, i) => {
      const full = packer.add(property(s, i + 2));
      if (full) chunks.push(full);
    });
    const last = packer.end();
    if (last) chunks.push(last);
    expect(packer.end()).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(1);
    const all = chunks.map(rows);
    for (const c of all) expect(c.map((r) => r.key)).toEqual(c.map((r) => r.key).sort());
    const flat = all.flat();
    expect(flat.map((r) => r.key).sort()).toEqual(streets.map((s) => property(s, 0).address_key).sort());
    const ids = flat.map((r) => r.id);
    expect(ids[0]).toBe(prefix.replace(/-/g, '') + '00000000');
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(streets.length);
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
