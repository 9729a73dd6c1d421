/**
 * Invoices: one per tenant and period. `createInvoice` gives the period's draft (the same one again, also under
 * concurrency: a unique index decides), recomputed from the ledger while it is a draft. `finalizeInvoice` freezes it
 * with the next number of one gap-free sequence; from then on the database refuses any change to its lines, totals
 * or number (trigger in migration 0028). Voiding issues a credit note; payment and lateness are recorded.
 * `closePeriod` invoices and finalizes every tenant once and can be rerun.
 */
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { audit } from '../audit/audit.service.ts';
import { parse } from '../validate.ts';
import * as repo from './billing.repo.ts';
import * as invoiceRepo from './invoices.repo.ts';
import {
  closePeriodInput,
  invoiceCreateInput,
  invoiceIdInput,
  invoiceListInput,
  type ClosePeriodInput,
  type InvoiceCreateInput,
  type InvoiceIdInput,
  type InvoiceListInput,
} from './billing.schema.ts';
import { drawBill } from './dashboard.service.ts';
import { renderInvoicePdf } from './invoice.pdf.ts';
import { authorizeBilling, billingTenant, mustExist } from './usage.service.ts';
import { periodBounds } from './charges.ts';
import type { BillLine } from './bill.ts';

/** Tenants closed at once by `closePeriod` (server Postgres runs them on separate connections). */
const CLOSE_CONCURRENCY = 4;

/** Days from finalizing to due. */
export const NET_DAYS = 15;

type InvoiceRow = NonNullable<Awaited<ReturnType<typeof invoiceRepo.invoiceById>>>;

export interface InvoiceView {
  invoice_id: string;
  tenant_id: string;
  kind: 'invoice' | 'credit_note';
  period: string;
  status: 'draft' | 'finalized' | 'paid' | 'overdue' | 'void';
  number: number | null;
  currency: string;
  lines: BillLine[];
  subtotal_cents: number;
  total_cents: number;
  credit_note_for: string | null;
  created_at: string;
  finalized_at: string | null;
  due_at: string | null;
  paid_at: string | null;
  voided_at: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function invoiceView(r: InvoiceRow): InvoiceView {
  return {
    invoice_id: r.invoice_id,
    tenant_id: r.tenant_id,
    kind: r.kind as InvoiceView['kind'],
    period: r.period,
    status: r.status as InvoiceView['status'],
    number: r.number === null ? null : Number(r.number),
    currency: r.currency,
    lines: r.lines as BillLine[],
    subtotal_cents: Number(r.subtotal_cents),
    total_cents: Number(r.total_cents),
    credit_note_for: r.credit_note_for,
    created_at: new Date(r.created_at).toISOString(),
    finalized_at: iso(r.finalized_at),
    due_at: iso(r.due_at),
    paid_at: iso(r.paid_at),
    voided_at: iso(r.voided_at),
  };
}

/** The period's draft, made or brought up to date from the ledger; a finalized invoice is returned as it is. */
async function draftFor(trx: Trx, tenantId: string, period: string): Promise<{ row: InvoiceRow; created: boolean }> {
  const existing = await invoiceRepo.invoiceForPeriod(trx, tenantId, period);
  if (existing && existing.status !== 'draft') return { row: existing, created: false };
  const bill = await drawBill(trx, tenantId, period);
  const values = { lines: bill.lines, subtotal_cents: bill.total_cents, total_cents: bill.total_cents };
  if (existing)
    return { row: (await invoiceRepo.updateDraft(trx, existing.invoice_id, values)) ?? existing, created: false };
  const inserted = await invoiceRepo.insertInvoice(trx, { tenant_id: tenantId, period, kind: 'invoice', ...values });
  if (inserted) return { row: inserted, created: true };
  // A concurrent call made it first: that one is the period's invoice.
  const winner = await invoiceRepo.invoiceForPeriod(trx, tenantId, period);
  if (!winner) throw new AppError('INTERNAL', `invoice for ${period} vanished`);
  return { row: winner, created: false };
}

export async function createInvoice(
  ctx: ServiceContext,
  input: InvoiceCreateInput,
): Promise<InvoiceView & { created: boolean }> {
  authorize(ctx, 'billing:write');
  const o = parse(invoiceCreateInput, input);
  const { start } = periodBounds(o.period);
  if (start > new Date()) throw new AppError('VALIDATION', `period ${o.period} has not started`, { field: 'period' });
  const { row, created } = await ctx.db.withTenant(o.tenant_id, async (trx) => {
    await mustExist(trx, o.tenant_id);
    const r = await draftFor(trx, o.tenant_id, o.period);
    if (r.created)
      await audit(trx, ctx, o.tenant_id, 'invoice.create', ['invoice', r.row.invoice_id], undefined, {
        period: o.period,
        total_cents: Number(r.row.total_cents),
      });
    return r;
  });
  return { ...invoiceView(row), created };
}

/** Freezes a draft (recomputed one last time) with the next invoice number. Finalizing a finalized one is a no-op. */
async function finalizeIn(
  trx: Trx,
  ctx: ServiceContext,
  invoiceId: string,
  now: Date,
  fresh = false,
): Promise<InvoiceRow> {
  const row = await invoiceRepo.invoiceById(trx, invoiceId, true);
  if (!row) throw new AppError('NOT_FOUND', `invoice ${invoiceId} not found`, { invoice_id: invoiceId });
  if (row.status !== 'draft') return row;
  // Recomputed one last time, unless the caller drew it in this very transaction.
  let total = Number(row.total_cents);
  if (!fresh) {
    const bill = await drawBill(trx, row.tenant_id, row.period);
    await invoiceRepo.updateDraft(trx, invoiceId, {
      lines: bill.lines,
      subtotal_cents: bill.total_cents,
      total_cents: bill.total_cents,
    });
    total = bill.total_cents;
  }
  const number = await invoiceRepo.nextInvoiceNumber(trx);
  const done = await invoiceRepo.finalizeInvoice(
    trx,
    invoiceId,
    number,
    now,
    new Date(now.getTime() + NET_DAYS * 86_400_000),
  );
  if (!done) throw new AppError('CONFLICT', `invoice ${invoiceId} changed while finalizing`);
  await audit(
    trx,
    ctx,
    row.tenant_id,
    'invoice.finalize',
    ['invoice', invoiceId],
    { status: 'draft' },
    {
      status: 'finalized',
      number,
      total_cents: total,
    },
  );
  return done;
}

export async function finalizeInvoice(ctx: ServiceContext, input: InvoiceIdInput): Promise<InvoiceView> {
  authorize(ctx, 'billing:write');
  const { invoice_id } = parse(invoiceIdInput, input);
  return invoiceView(await ctx.db.withPlatform((trx) => finalizeIn(trx, ctx, invoice_id, new Date())));
}

/** Voids a finalized (or overdue) invoice and issues its credit note, numbered from the same sequence. */
export async function voidInvoice(
  ctx: ServiceContext,
  input: InvoiceIdInput,
): Promise<{ invoice: InvoiceView; credit_note: InvoiceView }> {
  authorize(ctx, 'billing:write');
  const { invoice_id } = parse(invoiceIdInput, input);
  return ctx.db.withPlatform(async (trx) => {
    const row = await invoiceRepo.invoiceById(trx, invoice_id, true);
    if (!row || row.kind !== 'invoice')
      throw new AppError('NOT_FOUND', `invoice ${invoice_id} not found`, { invoice_id });
    if (row.status === 'void') {
      const note = await invoiceRepo.creditNoteFor(trx, row.tenant_id, invoice_id);
      if (note) return { invoice: invoiceView(row), credit_note: invoiceView(note) };
    }
    if (row.status !== 'finalized' && row.status !== 'overdue')
      throw new AppError(
        'INVALID_TRANSITION',
        `invoice ${invoice_id} is ${row.status}: only a finalized or overdue invoice can be voided${row.status === 'draft' ? ' (a draft is simply recomputed)' : ''}`,
        { status: row.status },
      );
    const now = new Date();
    const voided = await invoiceRepo.setInvoiceStatus(trx, invoice_id, 'void', now);
    const lines = (row.lines as BillLine[]).map((l) => ({ ...l, amount_cents: -l.amount_cents }));
    const note = await invoiceRepo.insertInvoice(trx, {
      tenant_id: row.tenant_id,
      period: row.period,
      kind: 'credit_note',
      lines,
      subtotal_cents: -Number(row.subtotal_cents),
      total_cents: -Number(row.total_cents),
      credit_note_for: invoice_id,
    });
    if (!note || !voided) throw new AppError('CONFLICT', `invoice ${invoice_id} changed while voiding`);
    const number = await invoiceRepo.nextInvoiceNumber(trx);
    const finalNote = await invoiceRepo.finalizeInvoice(trx, note.invoice_id, number, now, now);
    await audit(
      trx,
      ctx,
      row.tenant_id,
      'invoice.void',
      ['invoice', invoice_id],
      { status: row.status },
      {
        status: 'void',
        credit_note: note.invoice_id,
        credit_note_number: number,
      },
    );
    return { invoice: invoiceView(voided), credit_note: invoiceView(finalNote ?? note) };
  });
}

/** Records payment of a finalized or overdue invoice (paying a paid one again is a no-op). */
export async function payInvoice(ctx: ServiceContext, input: InvoiceIdInput): Promise<InvoiceView> {
  authorize(ctx, 'billing:write');
  const { invoice_id } = parse(invoiceIdInput, input);
  return ctx.db.withPlatform(async (trx) => {
    const row = await invoiceRepo.invoiceById(trx, invoice_id, true);
    if (!row || row.kind !== 'invoice')
      throw new AppError('NOT_FOUND', `invoice ${invoice_id} not found`, { invoice_id });
    if (row.status === 'paid') return invoiceView(row);
    if (row.status !== 'finalized' && row.status !== 'overdue')
      throw new AppError(
        'INVALID_TRANSITION',
        `invoice ${invoice_id} is ${row.status}: only a finalized or overdue invoice can be paid`,
        {
          status: row.status,
        },
      );
    const paid = await invoiceRepo.setInvoiceStatus(trx, invoice_id, 'paid', new Date());
    await audit(
      trx,
      ctx,
      row.tenant_id,
      'invoice.pay',
      ['invoice', invoice_id],
      { status: row.status },
      { status: 'paid' },
    );
    return invoiceView(paid ?? row);
  });
}

export async function getInvoice(ctx: ServiceContext, input: InvoiceIdInput): Promise<InvoiceView> {
  const { invoice_id } = parse(invoiceIdInput, input);
  authorizeBilling(ctx);
  const p = ctx.principal;
  const row =
    p.kind === 'tenant'
      ? await ctx.db.withTenant(p.tenantId, (trx) => invoiceRepo.invoiceById(trx, invoice_id))
      : await ctx.db.withPlatform((trx) => invoiceRepo.invoiceById(trx, invoice_id));
  if (!row) throw new AppError('NOT_FOUND', `invoice ${invoice_id} not found`, { invoice_id });
  return invoiceView(row);
}

export async function listInvoices(ctx: ServiceContext, input: InvoiceListInput = {}): Promise<InvoiceView[]> {
  const o = parse(invoiceListInput, input);
  const tenantId = billingTenant(ctx, o.tenant_id);
  return (await ctx.db.withTenant(tenantId, (trx) => invoiceRepo.invoicesOf(trx, tenantId))).map(invoiceView);
}

export async function invoicePdf(
  ctx: ServiceContext,
  input: InvoiceIdInput,
): Promise<{ invoice: InvoiceView; pdf: Buffer }> {
  const invoice = await getInvoice(ctx, input);
  const org = await ctx.db.withTenant(invoice.tenant_id, (trx) => repo.tenantSummary(trx, invoice.tenant_id));
  return { invoice, pdf: await renderInvoicePdf(invoice, org?.org_name ?? invoice.tenant_id) };
}

export interface CloseResult {
  period: string;
  tenants: number;
  finalized: number;
  already_final: number;
  total_cents: number;
  overdue: number;
}

/**
 * Invoices every tenant for a period and finalizes each (one transaction per tenant, so a rerun after a crash picks up
 * where it stopped and changes nothing already final); marks unpaid invoices past due as overdue; resolves the
 * period's quota alerts.
 */
export async function closePeriod(
  ctx: ServiceContext,
  input: ClosePeriodInput,
  onProgress?: (done: number, total: number) => void,
): Promise<CloseResult> {
  authorize(ctx, 'billing:write');
  const { period } = parse(closePeriodInput, input);
  const { end } = periodBounds(period);
  const now = new Date();
  if (end > now) throw new AppError('VALIDATION', `period ${period} has not ended`, { field: 'period' });
  const tenants = await ctx.db.withPlatform((trx) => repo.activeTenants(trx));
  const result: CloseResult = {
    period,
    tenants: tenants.length,
    finalized: 0,
    already_final: 0,
    total_cents: 0,
    overdue: 0,
  };
  // A few tenants at a time (each in its own transaction); numbers stay gap-free because each finalizing
  // transaction holds the counter row until it commits.
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tenants.length) {
      const t = tenants[next++]!;
      const row = await ctx.db.withPlatform(async (trx) => {
        const { row } = await draftFor(trx, t.tenant_id, period);
        if (row.status !== 'draft') {
          result.already_final++;
          return row;
        }
        result.finalized++;
        return finalizeIn(trx, ctx, row.invoice_id, now, true);
      });
      result.total_cents += Number(row.total_cents);
      onProgress?.(++done, tenants.length);
    }
  };
  await Promise.all(Array.from({ length: CLOSE_CONCURRENCY }, worker));
  result.overdue = await ctx.db.withPlatform((trx) => invoiceRepo.markOverdue(trx, now));
  await ctx.db.withPlatform((trx) => repo.resolveQuotaIncidents(trx, period, now));
  return result;
}
