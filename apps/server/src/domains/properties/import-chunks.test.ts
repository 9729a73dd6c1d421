import { describe, expect, it } from 'vitest';
import { ChunkPacker, readAhead } from './import-chunks.ts';
import { importIdPrefix } from './property-ids.ts';

const lines = (chunk: Buffer) => chunk.toString('utf8').split('\n').slice(0, -1);

describe('ChunkPacker', () => {
  it('keeps whole lines per chunk, sorted by key, each led by an id that grows in that order', () => {
    const packer = new ChunkPacker(importIdPrefix(), 64);
    const chunks: Buffer[] = [];
    const rows = ['m', 'b', 'é', 'a', 'z', 'c', 'q', 'd'];
    for (const key of rows) {
      const full = packer.add(key, `${key}\tvalue ${key}\n`);
      if (full) chunks.push(full);
    }
    const last = packer.end();
    if (last) chunks.push(last);
    expect(packer.end()).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(1);
    const all = chunks.flatMap(lines).map((l) => l.split('\t'));
    expect(all.map((f) => f[1]).sort()).toEqual([...rows].sort());
    for (const c of chunks) {
      const keys = lines(c).map((l) => l.split('\t')[1] as string);
      expect(keys).toEqual([...keys].sort());
    }
    const ids = all.map((f) => f[0] as string);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(rows.length);
    expect(all.every((f) => f[2] === `value ${f[1]}`)).toBe(true);
  });

  it('takes a line longer than its chunk size in a chunk of its own', () => {
    const packer = new ChunkPacker(importIdPrefix(), 16);
    expect(packer.add('a', 'a\tshort\n')).toBeUndefined();
    const long = `b\t${'x'.repeat(100)}\n`;
    expect(lines(packer.add('b', long) as Buffer)).toHaveLength(1);
    expect(lines(packer.end() as Buffer)[0]?.endsWith(long.slice(0, -1))).toBe(true);
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
