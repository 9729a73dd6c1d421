/**
 * The set of address keys seen so far in one import, for in-file dedupe. Keys are stored as 64-bit hashes in one
 * interleaved typed array (open addressing, [hi, lo, row] per slot: one cache miss per probe), not as strings in a
 * Map: a million string keys in the heap made every major GC slower and cost more than parsing. Two different keys
 * share a 64-bit hash with probability ~n^2/2^65 (3e-8 at 1M rows).
 */
/**
 * The hash of a key: per UTF-16 code unit c, h1 = imul(h1 ^ c, 0x01000193); h2 = imul(h2 ^ c, 0x5bd1e995);
 * h2 ^= h2 >>> 15; from these seeds, then finishKeyHash.
 */
export const KEY_HASH_SEEDS: readonly [number, number] = [0x811c9dc5 | 0, 0x9747b28c | 0];

const finished: [number, number] = [0, 0];

/** Mixes h1 and never returns (0, 0), which marks an empty slot. The pair returned is reused by the next call. */
export function finishKeyHash(h1: number, h2: number): readonly [number, number] {
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  finished[0] = h1;
  finished[1] = h1 === 0 && h2 === 0 ? 1 : h2;
  return finished;
}

export class AddressKeySet {
  private slots: Int32Array;
  private used = 0;

  constructor(capacity = 1 << 16) {
    this.slots = new Int32Array(3 * (1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)))));
  }

  get size(): number {
    return this.used;
  }

  /** Adds the key with its row; returns the row that added it first, or -1 when it is new. */
  addOrGet(key: string, row: number): number {
    let h1 = KEY_HASH_SEEDS[0];
    let h2 = KEY_HASH_SEEDS[1];
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    const hash = finishKeyHash(h1, h2);
    return this.addOrGetHash(hash[0], hash[1], row);
  }

  /** The same for a key hashed by the caller (plain-row-lane.ts hashes the key's bytes as it writes them). */
  addOrGetHash(h1: number, h2: number, row: number): number {
    const slots = this.slots;
    const mask = slots.length / 3 - 1;
    let slot = (h1 ^ Math.imul(h2, 0x27d4eb2d)) & mask;
    for (;;) {
      const a = slots[3 * slot]!;
      const b = slots[3 * slot + 1]!;
      if (a === 0 && b === 0) break;
      if (a === h1 && b === h2) return slots[3 * slot + 2]!;
      slot = (slot + 1) & mask;
    }
    slots[3 * slot] = h1;
    slots[3 * slot + 1] = h2;
    slots[3 * slot + 2] = row;
    if (++this.used * 2 > mask + 1) this.grow();
    return -1;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 3 - 1;
    for (let i = 0; i < old.length; i += 3) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a === 0 && b === 0) continue;
      let slot = (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
      while (slots[3 * slot] !== 0 || slots[3 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[3 * slot] = a;
      slots[3 * slot + 1] = b;
      slots[3 * slot + 2] = old[i + 2]!;
    }
    this.slots = slots;
  }
}
