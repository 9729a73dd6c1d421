/** Paints a chart into a pdfkit document as vectors, scaled to a given width at (x, y). Built-in Helvetica only. */
import type PDFDocument from 'pdfkit';
import type { Chart, Primitive } from './primitives.ts';

type Doc = InstanceType<typeof PDFDocument>;

function paint(doc: Doc, p: Primitive): void {
  switch (p.kind) {
    case 'line': {
      const [first, ...rest] = p.points;
      if (!first) return;
      doc.save().moveTo(first[0], first[1]);
      for (const [x, y] of rest) doc.lineTo(x, y);
      doc.lineWidth(p.width).lineJoin('round').strokeColor(p.color);
      if (p.dash) doc.dash(p.dash[0] ?? 3, { space: p.dash[1] ?? 2 });
      doc.stroke().undash().restore();
      return;
    }
    case 'polygon':
      doc
        .save()
        .polygon(...p.points)
        .fillColor(p.fill)
        .fillOpacity(p.opacity)
        .fill()
        .restore();
      return;
    case 'rect':
      doc.save().rect(p.x, p.y, Math.max(0, p.w), Math.max(0, p.h)).fillColor(p.fill).fill().restore();
      return;
    case 'circle':
      doc.save().circle(p.x, p.y, p.r).fillColor(p.fill).fill().restore();
      return;
    case 'text': {
      doc
        .save()
        .font(p.bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(p.size)
        .fillColor(p.color);
      const w = doc.widthOfString(p.text);
      const dx = p.anchor === 'middle' ? -w / 2 : p.anchor === 'end' ? -w : 0;
      // SVG places text on its baseline; pdfkit at its top: shift up by the ascent (~0.75 em for Helvetica).
      const dy = -p.size * 0.75;
      if (p.rotate) doc.rotate(p.rotate, { origin: [p.x, p.y] });
      doc.text(p.text, p.x + dx, p.y + dy, { lineBreak: false });
      doc.restore();
      return;
    }
  }
}

/** Draws `chart` with its top-left at (x, y), `width` wide; returns the height used. */
export function drawChartPdf(doc: Doc, chart: Chart, x: number, y: number, width: number): number {
  const scale = width / chart.width;
  doc.save().translate(x, y).scale(scale);
  for (const p of chart.primitives) paint(doc, p);
  doc.restore();
  return chart.height * scale;
}
