/** The web app's reader of the binary map points, and the histogram and colour breaks read from its typed arrays. */
import { describe, expect, it } from 'vitest';
import { histogram } from '../charts/histogram';
import { colourIndex, upliftBreaks } from './draw';
import { decodePoints, scoredCodes } from './points';

/** A document laid out as docs/web.md says, written field by field with a DataView. */
function document(points: { lon: number; lat: number; uplift: number | null; arm: number }[]): ArrayBuffer {
  const n = points.length;
  const buf = new ArrayBuffer(16 + 11 * n);
  const v = new DataView(buf);
  [...'SMP1'].forEach((ch, i) => v.setUint8(i, ch.charCodeAt(0)));
  v.setUint32(4, n, true);
  v.setFloat32(8, 10_000, true);
  v.setInt16(12, -32768, true);
  points.forEach((p, i) => {
    v.setFloat32(16 + 4 * i, p.lon, true);
    v.setFloat32(16 + 4 * n + 4 * i, p.lat, true);
    v.setInt16(16 + 8 * n + 2 * i, p.uplift === null ? -32768 : Math.round(p.uplift * 10_000), true);
    v.setUint8(16 + 10 * n + i, p.arm);
  });
  return buf;
}

const sample = [
  { lon: -97.5, lat: 35.4, uplift: 0.02, arm: 1 },
  { lon: -97.4, lat: 35.3, uplift: null, arm: 0 },
  { lon: -97.3, lat: 35.2, uplift: -0.01, arm: 2 },
  { lon: -97.2, lat: 35.1, uplift: 0.05, arm: 1 },
];

describe('map points', () => {
  it('reads each column as a typed array over the one buffer', () => {
    const buf = document(sample);
    const p = decodePoints(buf);
    expect(p.count).toBe(4);
    expect(p.lon.buffer).toBe(buf);
    expect([...p.lon].map((x) => Math.round(x * 10) / 10)).toEqual([-97.5, -97.4, -97.3, -97.2]);
    expect([...p.lat].map((x) => Math.round(x * 10) / 10)).toEqual([35.4, 35.3, 35.2, 35.1]);
    expect([...p.uplift]).toEqual([200, -32768, -100, 500]);
    expect([...p.arm]).toEqual([1, 0, 2, 1]);
    expect([p.upliftScale, p.notScored]).toEqual([10_000, -32768]);
    expect([...scoredCodes(p)]).toEqual([-100, 200, 500]);
  });

  it('refuses a document that is not SMP1 or whose length does not match its count', () => {
    const buf = document(sample);
    expect(() => decodePoints(buf.slice(0, buf.byteLength - 1))).toThrow(/bytes for 4 points/);
    const wrong = document(sample);
    new DataView(wrong).setUint8(0, 0x58);
    expect(() => decodePoints(wrong)).toThrow(/not an SMP1/);
    expect(() => decodePoints(new ArrayBuffer(3))).toThrow(/not an SMP1/);
  });

  it('bins the scored uplift in points and colours by arm and by uplift quintile', () => {
    const p = decodePoints(document(sample));
    const h = histogram(p.uplift, 3, { missing: p.notScored, scale: 100 / p.upliftScale });
    expect(h.counts).toEqual([1, 1, 1]);
    expect(h.edges[0]).toBeCloseTo(-1);
    expect(upliftBreaks(p)).toEqual([-100, 200, 200, 500]);
    expect([...colourIndex(p, 'arm').index]).toEqual([1, 0, 2, 1]);
    expect([...colourIndex(p, 'uplift').index]).toEqual([2, 0, 1, 4]);
  });
});
