/**
 * The storm map's binary points (`GET /v1/storms/{storm_id}/map/points`, `application/octet-stream`), little-endian,
 * columnar so a browser reads each column as a typed array over the one buffer without copying (docs/web.md):
 *
 *   offset 0        4 bytes  magic "SMP1" (format version 1)
 *   offset 4        Uint32   n, the number of points (located properties)
 *   offset 8        Float32  uplift scale S: a stored uplift u means u / S probability points
 *   offset 12       Int16    the code of "not scored" (-32768); then 2 bytes zero
 *   offset 16       Float32  longitude x n
 *   offset 16+4n    Float32  latitude x n
 *   offset 16+8n    Int16    uplift x n, round(uplift x S) clamped to +-32767, or the "not scored" code
 *   offset 16+10n   Uint8    arm x n: 0 none (or excluded), 1 treat, 2 hold
 *
 * 16 + 11n bytes in all: 1.1 MB for 100,000 points (the JSON columns were 3 MB). Every column starts on a multiple of
 * its element size, so `new Float32Array(buffer, 16, n)` and the others need no copy.
 */
import type { PointColumnsBE } from './storm-map.repo.ts';

export const MAGIC = 'SMP1';
export const HEADER_BYTES = 16;
export const UPLIFT_SCALE = 10_000;
export const NULL_UPLIFT = -32768;

export const byteLength = (n: number) => HEADER_BYTES + 11 * n;

/** The response body from the database's big-endian columns: one allocation, four copies, byte swaps in place. */
export function encodePoints(c: PointColumnsBE): Buffer {
  const n = c.count;
  if (c.lon.length !== 4 * n || c.lat.length !== 4 * n || c.uplift.length !== 2 * n || c.arm.length !== n)
    throw new Error(`map points: columns of ${n} points do not line up`);
  const out = Buffer.alloc(byteLength(n));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(n, 4);
  out.writeFloatLE(UPLIFT_SCALE, 8);
  out.writeInt16LE(NULL_UPLIFT, 12);
  let at = HEADER_BYTES;
  for (const [col, width] of [
    [c.lon, 4],
    [c.lat, 4],
    [c.uplift, 2],
  ] as const) {
    out.set(col, at);
    const view = out.subarray(at, at + col.length);
    if (width === 4) view.swap32();
    else view.swap16();
    at += col.length;
  }
  out.set(c.arm, at);
  return out;
}
