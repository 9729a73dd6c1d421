/**
 * The storm map's points: `GET /v1/storms/{storm_id}/map/points` read as typed arrays over the one response buffer
 * (no per-point object, no copy). The layout (docs/web.md, the server's map-points.format.ts): a 16-byte header
 * (magic `SMP1`, Uint32 n, Float32 uplift scale, Int16 not-scored code), then little-endian columns Float32 lon,
 * Float32 lat, Int16 uplift, Uint8 arm (0 none, 1 treat, 2 hold).
 */
import { api, unwrap } from '../api/client';

export interface MapPoints {
  count: number;
  lon: Float32Array;
  lat: Float32Array;
  /** round(uplift x upliftScale), or `notScored`. */
  uplift: Int16Array;
  upliftScale: number;
  notScored: number;
  /** 0 none, 1 treat, 2 hold. */
  arm: Uint8Array;
}

export const ARM_NONE = 0;
export const ARM_TREAT = 1;
export const ARM_HOLD = 2;
const HEADER = 16;

export function decodePoints(buffer: ArrayBuffer): MapPoints {
  const view = new DataView(buffer);
  const magic = buffer.byteLength >= HEADER ? String.fromCharCode(...new Uint8Array(buffer, 0, 4)) : '';
  if (magic !== 'SMP1') throw new Error('map points: not an SMP1 document');
  const n = view.getUint32(4, true);
  if (buffer.byteLength !== HEADER + 11 * n)
    throw new Error(`map points: ${buffer.byteLength} bytes for ${n} points (expected ${HEADER + 11 * n})`);
  return {
    count: n,
    lon: new Float32Array(buffer, HEADER, n),
    lat: new Float32Array(buffer, HEADER + 4 * n, n),
    uplift: new Int16Array(buffer, HEADER + 8 * n, n),
    upliftScale: view.getFloat32(8, true),
    notScored: view.getInt16(12, true),
    arm: new Uint8Array(buffer, HEADER + 10 * n, n),
  };
}

/** The points of a storm through the typed client (its credential middleware), as an ArrayBuffer decoded in place. */
export async function fetchMapPoints(stormId: string): Promise<MapPoints> {
  const data = await unwrap<ArrayBuffer>(
    api.GET('/v1/storms/{storm_id}/map/points', { params: { path: { storm_id: stormId } }, parseAs: 'arrayBuffer' }),
  );
  return decodePoints(data);
}

/** The scored uplift codes, sorted ascending (a copy): quantiles, the median and the histogram read it. */
export function scoredCodes(p: MapPoints): Int16Array {
  let k = 0;
  for (let i = 0; i < p.count; i++) if (p.uplift[i] !== p.notScored) k++;
  const out = new Int16Array(k);
  k = 0;
  for (let i = 0; i < p.count; i++) {
    const u = p.uplift[i] as number;
    if (u !== p.notScored) out[k++] = u;
  }
  return out.sort();
}
