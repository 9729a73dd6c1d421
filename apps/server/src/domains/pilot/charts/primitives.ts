/**
 * Output-neutral chart drawing: a chart is a list of primitives in its own coordinate box (y grows downward, as in
 * SVG and PDF), painted by charts/svg.ts for HTML and charts/pdf.ts for PDF, so both formats draw the same chart.
 */
export type Point = [number, number];

export type Primitive =
  | { kind: 'line'; points: Point[]; color: string; width: number; dash?: number[] }
  | { kind: 'polygon'; points: Point[]; fill: string; opacity: number }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { kind: 'circle'; x: number; y: number; r: number; fill: string }
  | {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      color: string;
      anchor: 'start' | 'middle' | 'end';
      bold?: boolean;
      rotate?: number;
    };

export interface Chart {
  title: string;
  /** What the chart shows and how to read it: printed under it. */
  caption: string;
  width: number;
  height: number;
  primitives: Primitive[];
  /** Text for screen readers (HTML) and the Markdown report. */
  alt: string;
}

export const COLORS = {
  treat: '#1f6feb',
  hold: '#8c959f',
  band: '#1f6feb',
  accent: '#d1242f',
  good: '#1a7f37',
  axis: '#57606a',
  grid: '#d8dee4',
  text: '#1f2328',
  muted: '#57606a',
};

/** A linear map from a data range to a pixel range. */
export function linear(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** About `count` round tick values covering [lo, hi] (1, 2, 2.5, 5 x 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Math.round(v / step) * step + 0); // + 0: no -0
  return ticks;
}

/** [lo, hi] widened to whole tick steps (including 0 when asked), so the axis ends on a labelled tick. */
export function niceDomain(values: number[], includeZero = true, count = 5): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite, includeZero ? 0 : Infinity);
  let hi = Math.max(...finite, includeZero ? 0 : -Infinity);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const ticks = niceTicks(lo, hi, count);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : hi - lo;
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

export interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Horizontal grid lines with y labels, and the x axis line. */
export function yAxis(
  frame: Frame,
  domain: [number, number],
  format: (v: number) => string,
  label: string,
): Primitive[] {
  const y = linear(domain, [frame.bottom, frame.top]);
  const out: Primitive[] = [];
  for (const t of niceTicks(domain[0], domain[1])) {
    const py = y(t);
    out.push({
      kind: 'line',
      points: [
        [frame.left, py],
        [frame.right, py],
      ],
      color: t === 0 ? COLORS.axis : COLORS.grid,
      width: t === 0 ? 1 : 0.6,
    });
    out.push({
      kind: 'text',
      x: frame.left - 5,
      y: py + 3,
      text: format(t),
      size: 8,
      color: COLORS.muted,
      anchor: 'end',
    });
  }
  out.push({
    kind: 'text',
    x: 12,
    y: (frame.top + frame.bottom) / 2,
    text: label,
    size: 8,
    color: COLORS.muted,
    anchor: 'middle',
    rotate: -90,
  });
  return out;
}

/** A small legend: colored swatches with labels, left to right, at (x, y). */
export function legend(x: number, y: number, items: { label: string; color: string; dash?: boolean }[]): Primitive[] {
  const out: Primitive[] = [];
  let cx = x;
  for (const it of items) {
    out.push({
      kind: 'line',
      points: [
        [cx, y - 3],
        [cx + 14, y - 3],
      ],
      color: it.color,
      width: 2.5,
      ...(it.dash ? { dash: [3, 2] } : {}),
    });
    out.push({ kind: 'text', x: cx + 18, y, text: it.label, size: 8, color: COLORS.text, anchor: 'start' });
    cx += 26 + it.label.length * 4.4;
  }
  return out;
}
