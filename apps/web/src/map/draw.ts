/**
 * Draws a storm map on a 2D canvas: outlines, then every property as a small square coloured by uplift or arm
 * (grouped by colour, so the canvas changes fill style a handful of times, not once a point), then hail reports as
 * circles sized by hail diameter. No DOM node per point.
 */
import type { StormMap } from '../api/views';
import type { Outlines } from './outlines';
import type { Bounds, Projection } from './projection';
import { fit } from './projection';

export type ColorBy = 'uplift' | 'arm';

export const UNSCORED = '#9ca3af';
/** Low to high predicted uplift (colour-blind safe, sequential). */
export const UPLIFT_COLORS = ['#fde68a', '#fdba74', '#f97316', '#c2410c', '#7c2d12'];
export const ARM_COLORS = { t: '#c2410c', h: '#1d4ed8' } as const;

/** Uplift cut points: quintiles of the scored points, so each colour holds a fifth of them. */
export function upliftBreaks(uplift: (number | null)[]): number[] {
  const xs = uplift.filter((u): u is number => u !== null).sort((a, b) => a - b);
  if (xs.length === 0) return [];
  return [0.2, 0.4, 0.6, 0.8].map((q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number);
}

function colourIndex(map: StormMap, by: ColorBy, breaks: number[]): { colours: string[]; index: Uint8Array } {
  const { count, uplift, arm } = map.properties;
  const index = new Uint8Array(count);
  if (by === 'arm') {
    const colours = [UNSCORED, ARM_COLORS.t, ARM_COLORS.h];
    for (let i = 0; i < count; i++) index[i] = arm[i] === 't' ? 1 : arm[i] === 'h' ? 2 : 0;
    return { colours, index };
  }
  const colours = [UNSCORED, ...UPLIFT_COLORS];
  for (let i = 0; i < count; i++) {
    const u = uplift[i];
    if (u === null || u === undefined) continue;
    let b = 0;
    while (b < breaks.length && u > (breaks[b] as number)) b++;
    index[i] = 1 + b;
  }
  return { colours, index };
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

export function drawStormMap(
  canvas: HTMLCanvasElement,
  map: StormMap,
  bounds: Bounds,
  outlines: Outlines | null,
  by: ColorBy,
): number {
  const dpr = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d');
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
  const { lon, lat, count } = map.properties;
  const { colours, index } = colourIndex(map, by, upliftBreaks(map.properties.uplift));
  const size = count > 20_000 ? 1.5 : 3;
  for (let c = 0; c < colours.length; c++) {
    ctx.fillStyle = colours[c] as string;
    for (let i = 0; i < count; i++) {
      if (index[i] !== c) continue;
      ctx.fillRect(p.x(lon[i] as number) - size / 2, p.y(lat[i] as number) - size / 2, size, size);
    }
  }
  ctx.strokeStyle = '#111827';
  ctx.lineWidth = 1;
  for (const r of map.hail_reports) {
    ctx.beginPath();
    ctx.arc(p.x(r.lon), p.y(r.lat), 3 + 3 * (r.size_in ?? 1), 0, 2 * Math.PI);
    ctx.stroke();
  }
  return count;
}
