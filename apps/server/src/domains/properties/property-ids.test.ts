import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importIdPrefix, PROPERTY_ID_LENGTH, propertyId } from './property-ids.ts';

describe('imported property ids', () => {
  it('are RFC 9562 version-7 UUIDs that the API accepts, carrying the time', () => {
    const now = Date.UTC(2026, 1, 10, 12, 0, 0);
    const prefix = importIdPrefix(now, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    for (const n of [0, 1, 0xabcdef, 0xffffffff]) {
      const id = propertyId(prefix, n);
      expect(id).toHaveLength(PROPERTY_ID_LENGTH);
      expect(z.uuid().safeParse(id).success, id).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
    }
    expect(propertyId(importIdPrefix(now, new Uint8Array(6)), 0)[19]).toBe('8');
    expect(() => propertyId(prefix, 2 ** 32)).toThrow(RangeError);
  });

  it('grow with the counter within an import and from one import to a later one', () => {
    const a = importIdPrefix(1_000_000);
    const b = importIdPrefix(1_000_001);
    const ids = [propertyId(a, 0), propertyId(a, 9), propertyId(a, 10), propertyId(a, 0xfffffff), propertyId(b, 0)];
    expect([...ids].sort()).toEqual(ids);
    expect(importIdPrefix(5)).not.toBe(importIdPrefix(5)); // same millisecond, different random bits
  });
});
