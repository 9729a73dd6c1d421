/**
 * Draws a storm map on a 2D canvas: outlines, then every property as a small square coloured by uplift or arm, then
 * hail reports as circles sized by hail diameter. No DOM node and no object per point: the points are read from the
 * typed arrays of the binary map (points.ts) and written straight into the canvas's pixels (one getImageData and one
 * putImageData instead of 100,000 fillRect calls, which cost seconds with software rendering: `npm run bench web`,
 * docs/web.md).
 */
import type { StormMap } from '../api/types';
import type { Outlines } from './outlines';
import { ARM_HOLD, ARM_TREAT, scoredCodes, type MapPoints } from './points';
import type { Bounds, Projection } from './projection';
import { fit } from './projection';

export type ColorBy = 'uplift' | 'arm';

export const UNSCORED = '#9ca3af';
/** Low to high predicted uplift (colour-blind safe, sequential). */
export const UPLIFT_COLORS = ['#fde68a', '#fdba74', '#f97316', '#c2410c', '#7c2d12'];
export const ARM_COLORS = { t: '#c2410c', h: '#1d4ed8' } as const;

/** Uplift cut points (as the map's Int16 codes): quintiles of the scored points, so each colour holds a fifth. */
export function upliftBreaks(points: MapPoints): number[] {
  const xs = scoredCodes(points);
  if (xs.length === 0) return [];
  return [0.2, 0.4, 0.6, 0.8].map((q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number);
}

/** Each point's colour as an index into `colours` (0: not scored / not assigned). */
export function colourIndex(points: MapPoints, by: ColorBy): { colours: string[]; index: Uint8Array } {
  const { count, uplift, arm, notScored } = points;
  const index = new Uint8Array(count);
  if (by === 'arm') {
    for (let i = 0; i < count; i++) index[i] = arm[i] === ARM_TREAT ? 1 : arm[i] === ARM_HOLD ? 2 : 0;
    return { colours: [UNSCORED, ARM_COLORS.t, ARM_COLORS.h], index };
  }
  const breaks = upliftBreaks(points);
  for (let i = 0; i < count; i++) {
    const u = uplift[i] as number;
    if (u === notScored) continue;
    let b = 0;
    while (b < breaks.length && u > (breaks[b] as number)) b++;
    index[i] = 1 + b;
  }
  return { colours: [UNSCORED, ...UPLIFT_COLORS], index };
}

/** '#rrggbb' as an opaque RGBA pixel in the platform's (little-endian) Uint32 order. */
function pixelOf(hex: string): number {
  const v = Number.parseInt(hex.slice(1), 16);
  return ((255 << 24) | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
}

function strokeLines(ctx: CanvasRenderingContext2D, lines: number[][][], p: Projection, b: Bounds): void {
  ctx.beginPath();
  for (const line of lines) {
    let inside = false;
    for (const pt of line) {
      const lon = pt[0] as number;
      const lat = pt[1] as number;
      if (lon >= b.west - 1 && lon <= b.east + 1 && lat >= b.south - 1 && lat <= b.north + 1) {
        inside = true;
        break;
      }
    }
    if (!inside) continue;
    line.forEach((pt, j) => {
      const x = p.x(pt[0] as number);
      const y = p.y(pt[1] as number);
      if (j === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
  }
  ctx.stroke();
}

/** The points as `size` x `size` device-pixel squares, colour by colour (higher colours on top). */
function writePoints(ctx: CanvasRenderingContext2D, points: MapPoints, by: ColorBy, p: Projection, dpr: number): void {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  if (w === 0 || h === 0 || points.count === 0) return;
  const image = ctx.getImageData(0, 0, w, h);
  const px = new Uint32Array(image.data.buffer);
  const { colours, index } = colourIndex(points, by);
  const size = Math.max(1, Math.round((points.count > 20_000 ? 1.5 : 3) * dpr));
  const half = size / 2;
  const { lon, lat, count } = points;
  for (let c = 0; c < colours.length; c++) {
    const colour = pixelOf(colours[c] as string);
    for (let i = 0; i < count; i++) {
      if (index[i] !== c) continue;
      const x0 = Math.round(p.x(lon[i] as number) * dpr - half);
      const y0 = Math.round(p.y(lat[i] as number) * dpr - half);
      for (let y = Math.max(0, y0); y < Math.min(h, y0 + size); y++) {
        const row = y * w;
        for (let x = Math.max(0, x0); x < Math.min(w, x0 + size); x++) px[row + x] = colour;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}

export function drawStormMap(
  canvas: HTMLCanvasElement,
  points: MapPoints,
  hail: StormMap['hail_reports'],
  bounds: Bounds,
  outlines: Outlines | null,
  by: ColorBy,
): number {
  const dpr = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return 0;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#f8fafc';
  ctx.fillRect(0, 0, width, height);
  const p = fit(bounds, width, height);
  if (outlines) {
    ctx.strokeStyle = '#cbd5e1';
    ctx.lineWidth = 0.7;
    strokeLines(ctx, outlines.counties, p, bounds);
    ctx.strokeStyle = '#64748b';
    ctx.lineWidth = 1.5;
    strokeLines(ctx, outlines.states, p, bounds);
  }
  writePoints(ctx, points, by, p, dpr);
  ctx.strokeStyle = '#111827';
  ctx.lineWidth = 1;
  for (const r of hail) {
    ctx.beginPath();
    ctx.arc(p.x(r.lon), p.y(r.lat), 3 + 3 * (r.size_in ?? 1), 0, 2 * Math.PI);
    ctx.stroke();
  }
  return points.count;
}
