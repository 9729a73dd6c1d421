/** SQL of invoices and credit notes: drafts, the gap-free number counter, finalizing, payment and lateness. */
import type { Q } from './billing.repo.ts';

export function invoiceForPeriod(trx: Q, tenantId: string, period: string) {
  return trx
    .selectFrom('invoice')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .where('kind', '=', 'invoice')
    .executeTakeFirst();
}

export function invoiceById(trx: Q, invoiceId: string, forUpdate = false) {
  const q = trx.selectFrom('invoice').selectAll().where('invoice_id', '=', invoiceId);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export function creditNoteFor(trx: Q, tenantId: string, invoiceId: string) {
  return trx
    .selectFrom('invoice')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('credit_note_for', '=', invoiceId)
    .executeTakeFirst();
}

export interface InvoiceValues {
  tenant_id: string;
  period: string;
  kind: 'invoice' | 'credit_note';
  lines: unknown[];
  subtotal_cents: number;
  total_cents: number;
  credit_note_for?: string | null;
}

/** Inserts the period's draft unless one exists (a concurrent creator won): returns it, and whether this call made it. */
export async function insertInvoice(trx: Q, v: InvoiceValues) {
  const inserted = await trx
    .insertInto('invoice')
    .values({ ...v, lines: JSON.stringify(v.lines), updated_at: new Date() })
    .onConflict((oc) =>
      v.kind === 'invoice'
        ? oc.columns(['tenant_id', 'period']).where('kind', '=', 'invoice').doNothing()
        : oc.columns(['tenant_id', 'credit_note_for']).where('kind', '=', 'credit_note').doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  return inserted;
}

export function updateDraft(
  trx: Q,
  invoiceId: string,
  v: Pick<InvoiceValues, 'lines' | 'subtotal_cents' | 'total_cents'>,
) {
  return trx
    .updateTable('invoice')
    .set({
      lines: JSON.stringify(v.lines),
      subtotal_cents: v.subtotal_cents,
      total_cents: v.total_cents,
      updated_at: new Date(),
    })
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
}

/** The next number of the one gap-free sequence: the counter row is locked until the finalizing transaction ends. */
export async function nextInvoiceNumber(trx: Q): Promise<number> {
  const r = await trx
    .updateTable('billing_invoice_counter')
    .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
    .where('singleton', '=', true)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(r.last_number);
}

export function finalizeInvoice(trx: Q, invoiceId: string, number: number, at: Date, dueAt: Date) {
  return trx
    .updateTable('invoice')
    .set({ status: 'finalized', number, finalized_at: at, due_at: dueAt, updated_at: at })
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
}

export function setInvoiceStatus(trx: Q, invoiceId: string, status: 'paid' | 'overdue' | 'void', at: Date) {
  return trx
    .updateTable('invoice')
    .set({
      status,
      updated_at: at,
      ...(status === 'paid' ? { paid_at: at } : {}),
      ...(status === 'void' ? { voided_at: at } : {}),
    })
    .where('invoice_id', '=', invoiceId)
    .returningAll()
    .executeTakeFirst();
}

export function invoicesOf(trx: Q, tenantId: string) {
  return trx
    .selectFrom('invoice')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('period', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Finalized invoices past their due time become overdue; returns how many. */
export async function markOverdue(trx: Q, now: Date): Promise<number> {
  const r = await trx
    .updateTable('invoice')
    .set({ status: 'overdue', updated_at: now })
    .where('status', '=', 'finalized')
    .where('kind', '=', 'invoice')
    .where('due_at', '<', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function overdueInvoices(trx: Q, tenantId: string): Promise<number> {
  const r = await trx
    .selectFrom('invoice')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'overdue')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function isPeriodClosed(trx: Q, tenantId: string, period: string): Promise<boolean> {
  const inv = await invoiceForPeriod(trx, tenantId, period);
  return inv !== undefined && inv.status !== 'draft';
}
