/** Paints a chart as one inline <svg> element (no external assets, scales with its container, prints as vectors). */
import type { Chart, Primitive } from './primitives.ts';

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();
const pts = (p: [number, number][]) => p.map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
const ANCHOR = { start: 'start', middle: 'middle', end: 'end' } as const;

function paint(p: Primitive): string {
  switch (p.kind) {
    case 'line':
      return `<polyline points="${pts(p.points)}" fill="none" stroke="${p.color}" stroke-width="${p.width}"${p.dash ? ` stroke-dasharray="${p.dash.join(' ')}"` : ''} stroke-linejoin="round"/>`;
    case 'polygon':
      return `<polygon points="${pts(p.points)}" fill="${p.fill}" fill-opacity="${p.opacity}" stroke="none"/>`;
    case 'rect':
      return `<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(Math.max(0, p.w))}" height="${n(Math.max(0, p.h))}" fill="${p.fill}"/>`;
    case 'circle':
      return `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(p.r)}" fill="${p.fill}"/>`;
    case 'text': {
      const rotate = p.rotate ? ` transform="rotate(${p.rotate} ${n(p.x)} ${n(p.y)})"` : '';
      return `<text x="${n(p.x)}" y="${n(p.y)}" font-size="${p.size}" fill="${p.color}" text-anchor="${ANCHOR[p.anchor]}"${p.bold ? ' font-weight="bold"' : ''}${rotate}>${escapeXml(p.text)}</text>`;
    }
  }
}

/** `<svg>` with a title for screen readers; width follows the page, height keeps the aspect ratio. */
export function chartSvg(chart: Chart): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chart.width} ${chart.height}" role="img" aria-label="${escapeXml(chart.alt)}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(chart.title)}</title>`,
    ...chart.primitives.map(paint),
    '</svg>',
  ].join('\n');
}
