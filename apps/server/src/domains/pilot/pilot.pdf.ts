/**
 * The pilot report as PDF, drawn with pdfkit (vectors, no browser). Built-in Helvetica is WinAnsi only, so every
 * string comes from pilot.format.ts, which keeps to ASCII (PASS/FAIL, not check marks).
 * Page 1: verdict, key figures, success criteria. Then the charts, then the detail tables.
 */
import PDFDocument from 'pdfkit';
import { drawChartPdf } from './charts/pdf.ts';
import { pilotCharts } from './charts/pilot-charts.ts';
import type { Chart } from './charts/primitives.ts';
import { count, level, pctValue, pilotSubtitle, pilotTitle, pilotVerdict, pts, ptsNum, usd } from './pilot.format.ts';
import { pilotNextSteps } from './pilot.next-steps.ts';
import { PDF_COLORS, drawTablePdf } from './pilot.pdf-table.ts';
import type { PilotResults } from './pilot.results.ts';
import { pilotTables } from './pilot.tables.ts';

type Doc = InstanceType<typeof PDFDocument>;

const PAGE = { width: 612, height: 792, margin: 50 }; // US Letter, points
const CONTENT = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - 16; // room for the footer
const VERDICT_COLORS = {
  success: '#1f6feb',
  mixed: '#bf8700',
  inconclusive: '#bf8700',
  unsuccessful: '#d1242f',
  not_enough_data: '#57606a',
} as const;

function header(doc: Doc, r: PilotResults): number {
  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .fillColor(PDF_COLORS.ink)
    .text(pilotTitle(r), PAGE.margin, PAGE.margin, { width: CONTENT });
  doc.font('Helvetica').fontSize(10).fillColor(PDF_COLORS.muted).text(pilotSubtitle(r), { width: CONTENT });
  return doc.y + 14;
}

function verdict(doc: Doc, r: PilotResults, y: number): number {
  const text = pilotVerdict(r);
  doc.font('Helvetica').fontSize(11);
  const h = doc.heightOfString(text, { width: CONTENT - 24, lineGap: 2 }) + 20;
  doc.save().rect(PAGE.margin, y, CONTENT, h).fillColor('#f5f8fd').fill().restore();
  doc.save().rect(PAGE.margin, y, 4, h).fillColor(VERDICT_COLORS[r.summary.outcome]).fill().restore();
  doc.fillColor(PDF_COLORS.ink).text(text, PAGE.margin + 14, y + 10, { width: CONTENT - 24, lineGap: 2 });
  return y + h + 14;
}

function cards(doc: Doc, r: PilotResults, y: number): number {
  const l = r.outcomes.lift;
  const items: [string, string][] = [
    [pts(l.absolute), `lift in signed jobs (${ptsNum(l.absolute_ci[0])} to ${ptsNum(l.absolute_ci[1])})`],
    [r.roi.roi_pct === null ? 'n/a' : pctValue(r.roi.roi_pct), 'return on investment'],
    [usd(r.roi.incremental_revenue), `incremental revenue, ${count(r.roi.incremental_conversions)} extra jobs`],
    [r.roi.cac === null ? 'n/a' : usd(r.roi.cac), 'cost per incremental job'],
  ];
  const gap = 8;
  const w = (CONTENT - gap * 3) / 4;
  const h = 54;
  items.forEach(([value, label], i) => {
    const x = PAGE.margin + i * (w + gap);
    doc.save().roundedRect(x, y, w, h, 4).lineWidth(0.7).strokeColor(PDF_COLORS.line).stroke().restore();
    doc
      .font('Helvetica-Bold')
      .fontSize(15)
      .fillColor(PDF_COLORS.ink)
      .text(value, x + 8, y + 8, { width: w - 16, lineBreak: false });
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(PDF_COLORS.muted)
      .text(label, x + 8, y + 29, { width: w - 16 });
  });
  return y + h + 18;
}

function chartBlock(doc: Doc, c: Chart, y: number): number {
  doc.font('Helvetica-Bold').fontSize(12).fillColor(PDF_COLORS.ink).text(c.title, PAGE.margin, y, { width: CONTENT });
  y = doc.y + 2;
  y += drawChartPdf(doc, c, PAGE.margin, y, CONTENT);
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(PDF_COLORS.muted)
    .text(c.caption, PAGE.margin, y + 2, { width: CONTENT });
  return doc.y + 16;
}

function nextSteps(doc: Doc, r: PilotResults, y: number): void {
  const steps = pilotNextSteps(r);
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .fillColor(PDF_COLORS.ink)
    .text('Next steps', PAGE.margin, y, { width: CONTENT });
  doc.font('Helvetica').fontSize(9.5).fillColor(PDF_COLORS.ink);
  doc
    .moveDown(0.3)
    .list(steps, PAGE.margin + 4, doc.y, { width: CONTENT - 8, bulletRadius: 1.6, textIndent: 10, paragraphGap: 3 });
}

function footers(doc: Doc, r: PilotResults): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const text = `StormOps pilot report - ${r.storm.event_id} - intervals at ${level(r.alpha)} - page ${i + 1} of ${range.count}`;
    // Writing below the bottom margin would make pdfkit add a page: lift the margin while drawing the footer.
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(PDF_COLORS.muted)
      .text(text, PAGE.margin, PAGE.height - PAGE.margin + 10, { width: CONTENT, align: 'center', lineBreak: false });
    doc.page.margins.bottom = PAGE.margin;
  }
}

/** Lays out every page; the document is ended by the caller. */
function layout(doc: Doc, r: PilotResults): void {
  const tables = pilotTables(r);
  let y = header(doc, r);
  y = verdict(doc, r, y);
  y = cards(doc, r, y);
  y = drawTablePdf(doc, tables.criteria, PAGE.margin, y, CONTENT, BOTTOM, PAGE.margin);
  nextSteps(doc, r, y);
  const charts = pilotCharts(r);
  for (let i = 0; i < charts.length; i += 2) {
    doc.addPage();
    y = PAGE.margin;
    for (const c of charts.slice(i, i + 2)) y = chartBlock(doc, c, y);
  }
  doc.addPage();
  y = PAGE.margin;
  for (const t of tables.details) y = drawTablePdf(doc, t, PAGE.margin, y, CONTENT, BOTTOM, PAGE.margin);
  footers(doc, r);
}

/**
 * PDF report as a Buffer. Deterministic for the same results (fixed creation date, no random ids).
 *
 * @example
 * await writeFile('pilot.pdf', await renderPdf(results));
 */
export function renderPdf(r: PilotResults): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    bufferPages: true,
    info: {
      Title: pilotTitle(r),
      Author: 'StormOps',
      Subject: `Pilot report for storm ${r.storm.storm_id}`,
      CreationDate: new Date(`${r.storm.ends_on}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  layout(doc, r);
  doc.end();
  return done;
}
