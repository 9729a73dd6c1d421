import { describe, expect, it } from 'vitest';
import { AddressKeySet } from './address-key-set.ts';

describe('AddressKeySet', () => {
  it('returns the first row of a key seen before, through many growths', () => {
    const set = new AddressKeySet(4);
    for (let i = 0; i < 50_000; i++) expect(set.addOrGet(`${i} MAIN ST|73160`, i + 2)).toBe(-1);
    expect(set.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(set.addOrGet(`${i} MAIN ST|73160`, 999_999)).toBe(i + 2);
    expect(set.addOrGet('', 1)).toBe(-1);
    expect(set.addOrGet('', 5)).toBe(1);
  });
});
