/** Draws a report Table in pdfkit: header row, wrapped cells, PASS/FAIL coloured, page breaks between rows. */
import type PDFDocument from 'pdfkit';
import type { Table } from './pilot.tables.ts';

type Doc = InstanceType<typeof PDFDocument>;

export const PDF_COLORS = {
  ink: '#1f2328',
  muted: '#57606a',
  line: '#d8dee4',
  head: '#f2f4f7',
  pass: '#1a7f37',
  fail: '#d1242f',
};
const PAD = 4;
const SIZE = 9;

/** Column widths: each column's widest content, scaled down to fit `width` (the first column keeps priority). */
function columnWidths(doc: Doc, t: Table, width: number): number[] {
  doc.font('Helvetica').fontSize(SIZE);
  const want = t.header.map((h, i) => {
    const cells = [h, ...t.rows.map((r) => r[i] ?? '')];
    return Math.max(...cells.map((c) => doc.widthOfString(c))) + 2 * PAD + 2;
  });
  const total = want.reduce((a, b) => a + b, 0);
  if (total <= width) return want.map((w) => (w / total) * width);
  // Too wide: cap each column at its fair share, give the rest to those that need it.
  const fair = width / want.length;
  const small = want.filter((w) => w <= fair).reduce((a, b) => a + b, 0);
  const bigCount = want.filter((w) => w > fair).length;
  const bigShare = (width - small) / Math.max(1, bigCount);
  return want.map((w) => (w <= fair ? w : bigShare));
}

function rowHeight(doc: Doc, cells: string[], widths: number[], bold: boolean): number {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(SIZE);
  return (
    Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: (widths[i] ?? 10) - 2 * PAD }))) + 2 * PAD
  );
}

function drawRow(doc: Doc, t: Table, cells: string[], widths: number[], x: number, y: number, head: boolean): number {
  const h = rowHeight(doc, cells, widths, head);
  const width = widths.reduce((a, b) => a + b, 0);
  if (head) doc.save().rect(x, y, width, h).fillColor(PDF_COLORS.head).fill().restore();
  let cx = x;
  cells.forEach((c, i) => {
    const w = widths[i] ?? 10;
    const status = !head && i === t.statusColumn && (c === 'PASS' || c === 'FAIL' || c === 'NO DATA');
    const color = !status
      ? PDF_COLORS.ink
      : c === 'PASS'
        ? PDF_COLORS.pass
        : c === 'FAIL'
          ? PDF_COLORS.fail
          : PDF_COLORS.muted;
    doc
      .font(head || status ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(SIZE)
      .fillColor(color);
    doc.text(c, cx + PAD, y + PAD, {
      width: w - 2 * PAD,
      align: head ? (t.align[i] === 'left' ? 'left' : t.align[i]) : t.align[i],
    });
    cx += w;
  });
  doc
    .save()
    .moveTo(x, y + h)
    .lineTo(x + width, y + h)
    .lineWidth(0.5)
    .strokeColor(PDF_COLORS.line)
    .stroke()
    .restore();
  return h;
}

/** Draws the title, the table and its note from y; returns the y below it. Breaks pages between rows. */
export function drawTablePdf(
  doc: Doc,
  t: Table,
  x: number,
  y: number,
  width: number,
  bottom: number,
  top: number,
): number {
  const widths = columnWidths(doc, t, width);
  if (y + 60 > bottom) {
    doc.addPage();
    y = top;
  }
  doc.font('Helvetica-Bold').fontSize(12).fillColor(PDF_COLORS.ink).text(t.title, x, y, { width });
  y = doc.y + 4;
  y += drawRow(doc, t, t.header, widths, x, y, true);
  for (const row of t.rows) {
    if (y + rowHeight(doc, row, widths, false) > bottom) {
      doc.addPage();
      y = top;
      y += drawRow(doc, t, t.header, widths, x, y, true);
    }
    y += drawRow(doc, t, row, widths, x, y, false);
  }
  if (t.note) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(8)
      .fillColor(PDF_COLORS.muted)
      .text(t.note, x, y + 4, { width });
    y = doc.y;
  }
  return y + 14;
}
