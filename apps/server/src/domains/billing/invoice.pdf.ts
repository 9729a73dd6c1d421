/** An invoice or credit note as a one-page PDF (pdfkit, built-in Helvetica: ASCII text only). */
import PDFDocument from 'pdfkit';
import { PDF_COLORS, drawTablePdf } from '../pilot/pilot.pdf-table.ts';
import type { InvoiceView } from './invoices.service.ts';
import { usd } from './money-format.ts';

const PAGE = { width: 612, height: 792, margin: 50 };
const CONTENT = PAGE.width - 2 * PAGE.margin;

function unitPrice(cents: number): string {
  return Number.isInteger(cents) ? usd(cents) : `${Number(cents.toFixed(4))} cents`;
}

export function renderInvoicePdf(inv: InvoiceView, orgName: string): Promise<Buffer> {
  const title = inv.kind === 'credit_note' ? 'Credit note' : 'Invoice';
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    info: {
      Title: `StormOps ${title} ${inv.number ?? '(draft)'}`,
      Author: 'StormOps',
      CreationDate: new Date(inv.created_at),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '-');
  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .fillColor(PDF_COLORS.ink)
    .text(`StormOps ${title} ${inv.number === null ? '(draft)' : `#${inv.number}`}`, PAGE.margin, PAGE.margin);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(PDF_COLORS.muted)
    .text(ascii(`Billed to: ${orgName} (tenant ${inv.tenant_id})`))
    .text(`Period: ${inv.period}    Status: ${inv.status.toUpperCase()}`)
    .text(
      [
        inv.finalized_at
          ? `Issued: ${inv.finalized_at.slice(0, 10)}`
          : 'Draft: amounts change with usage until finalized',
        inv.due_at && inv.kind === 'invoice' ? `Due: ${inv.due_at.slice(0, 10)}` : '',
        inv.paid_at ? `Paid: ${inv.paid_at.slice(0, 10)}` : '',
        inv.credit_note_for ? `Credits invoice ${inv.credit_note_for}` : '',
      ]
        .filter(Boolean)
        .join('    '),
    );
  const y = drawTablePdf(
    doc,
    {
      title: 'Lines',
      header: ['Description', 'Quantity', 'Unit price', 'Amount'],
      rows: inv.lines.map((l) => [
        ascii(l.description),
        l.quantity.toLocaleString('en-US'),
        unitPrice(l.unit_cents),
        usd(l.amount_cents),
      ]),
      align: ['left', 'right', 'right', 'right'],
      note: 'Unit prices may be fractions of a cent; each line is rounded half-up to a whole cent.',
    },
    PAGE.margin,
    doc.y + 16,
    CONTENT,
    PAGE.height - PAGE.margin,
    PAGE.margin,
  );
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor(PDF_COLORS.ink)
    .text(`Total: ${usd(inv.total_cents)} ${inv.currency.toUpperCase()}`, PAGE.margin, y, {
      width: CONTENT,
      align: 'right',
    });
  doc.end();
  return done;
}
