/**
 * Memos of the byte lane (plain-row-lane.ts): a cell's normalized form remembered by the cell's bytes, so a value
 * seen before costs a byte comparison instead of a string and a normalization.
 */
import { normalizeStreet } from '../address-normalize.ts';

/** Raw cell bytes -> canonical text, for a column of few distinct values (roof material). */
export class CellMemo {
  private readonly keys: Uint8Array[] = [];
  private readonly values: string[] = [];

  constructor(
    private readonly compute: (text: string) => string,
    private readonly max = 64,
  ) {}

  get(buf: Buffer, a: number, b: number): string {
    const n = b - a;
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key.length !== n) continue;
      let i = 0;
      while (i < n && key[i] === buf[a + i]) i++;
      if (i === n) return this.values[k]!;
    }
    const value = this.compute(buf.toString('latin1', a, b));
    if (keys.length < this.max) {
      keys.push(Uint8Array.prototype.slice.call(buf, a, b));
      this.values.push(value);
    }
    return value;
  }
}

interface Street {
  bytes: Uint8Array;
  normalized: string;
  next: Street | undefined;
}

/** Raw street bytes (the line after its house number) -> normalizeStreet, by a hash of the bytes. */
export class StreetMemo {
  private readonly byHash = new Map<number, Street>();
  private size = 0;

  constructor(private readonly max = 100_000) {}

  get(buf: Buffer, a: number, b: number): string {
    let h = 0x811c9dc5 | 0;
    for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    h &= 0x3fffffff; // a small integer (Smi) key, which V8 keeps unboxed; an int32 can need a heap number
    const first = this.byHash.get(h);
    for (let s = first; s !== undefined; s = s.next) {
      const key = s.bytes;
      if (key.length !== b - a) continue;
      let i = 0;
      while (i < key.length && key[i] === buf[a + i]) i++;
      if (i === key.length) return s.normalized;
    }
    const normalized = normalizeStreet(buf.toString('latin1', a, b));
    if (this.size < this.max) {
      this.byHash.set(h, { bytes: Uint8Array.prototype.slice.call(buf, a, b), normalized, next: first });
      this.size++;
    }
    return normalized;
  }
}
