/**
 * Ids of imported properties: RFC 9562 version-7 UUIDs, ordered by time, so the primary key (tenant_id, property_id)
 * grows at its right edge. Random ids (gen_random_uuid) land on a random index page per row, which cost about a
 * quarter of a million-row import on server Postgres.
 * An import draws one prefix: 48 bits of Unix milliseconds, the version, the variant and 42 random bits (imports
 * started in the same millisecond still differ). The last 32 bits count the import's rows in the order it inserts
 * them, so ids grow along each import and from one import to the next.
 */
import { randomBytes } from 'node:crypto';

/** The first 28 characters of every id of one import: `tttttttt-tttt-7rrr-vrrr-rrrr`. */
export function importIdPrefix(now = Date.now(), random: Uint8Array = randomBytes(6)): string {
  const time = Math.floor(now).toString(16).padStart(12, '0').slice(-12);
  const r = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  const variant = (8 | (((random[0] ?? 0) >> 4) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${r.slice(1, 4)}-${variant}${r.slice(4, 7)}-${r.slice(7, 11)}`;
}

/** Characters of an id in text form. */
export const PROPERTY_ID_LENGTH = 36;

/** The id of the import's `n`th property (from 0). */
export function propertyId(prefix: string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`property id counter out of range: ${n}`);
  return prefix + n.toString(16).padStart(8, '0');
}
