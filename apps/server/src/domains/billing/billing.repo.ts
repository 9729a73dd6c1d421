/** SQL of billing: plans, plan history, the usage ledger, overrides, quota alerts, invoices, health snapshots. */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** A transaction, or the query builder inside a bulk transaction (db/bulk-kysely.ts). */
export type Q = Kysely<DB>;

export async function latestPlans(trx: Q) {
  return trx
    .selectFrom('billing_plan as p')
    .selectAll()
    .where(({ eb, selectFrom }) =>
      eb(
        'p.version',
        '=',
        selectFrom('billing_plan as q')
          .select((q) => q.fn.max('q.version').as('v'))
          .whereRef('q.plan_code', '=', 'p.plan_code'),
      ),
    )
    .orderBy('p.base_price_cents')
    .execute();
}

export function planVersion(trx: Q, code: string, version: number) {
  return trx
    .selectFrom('billing_plan')
    .selectAll()
    .where('plan_code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertAssignment(trx: Q, tenantId: string, code: string, startsAt?: Date): Promise<void> {
  await sql`insert into billing_plan_assignment (tenant_id, plan_code, plan_version, starts_at)
    select ${tenantId}, ${code}, max(version), ${startsAt ?? sql`now()`} from billing_plan where plan_code = ${code}`.execute(
    trx,
  );
}

export function assignments(trx: Q, tenantId: string) {
  return trx
    .selectFrom('billing_plan_assignment')
    .select(['plan_code', 'plan_version', 'starts_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('starts_at')
    .execute();
}

export interface UsageRow {
  tenant_id: string;
  metric: string;
  quantity: number;
  idempotency_key: string;
  payload_hash: string;
  occurred_at: Date;
  period: string;
  late: boolean;
  source: 'action' | 'api' | 'signup';
}

/** Inserts unless the key was seen; returns the stored row either way and whether this call wrote it. */
export async function insertUsage(trx: Q, row: UsageRow) {
  const inserted = await trx
    .insertInto('usage_event')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await trx
    .selectFrom('usage_event')
    .selectAll()
    .where('tenant_id', '=', row.tenant_id)
    .where('idempotency_key', '=', row.idempotency_key)
    .executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

export async function usageTotals(trx: Q, tenantId: string, period: string) {
  const rows = await trx
    .selectFrom('usage_event')
    .select(['metric', sql<string>`sum(quantity)`.as('quantity')])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .groupBy('metric')
    .execute();
  return new Map(rows.map((r) => [r.metric, Number(r.quantity)]));
}

/** A period's usage per metric and day (late events on the period's first day), for proration across plans. */
export async function usageByDay(trx: Q, tenantId: string, period: string, start: Date) {
  const rows = await trx
    .selectFrom('usage_event')
    .select([
      'metric',
      sql<string>`to_char(greatest(occurred_at, ${start}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      sql<string>`sum(quantity)`.as('quantity'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .groupBy(['metric', 'day'])
    .execute();
  return rows.map((r) => ({ metric: r.metric, day: r.day, quantity: Number(r.quantity) }));
}

export function usageLedger(trx: Q, tenantId: string, period: string) {
  return trx
    .selectFrom('usage_event')
    .select([
      'event_id',
      'metric',
      'quantity',
      'idempotency_key',
      'occurred_at',
      'period',
      'late',
      'source',
      'recorded_at',
    ])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .orderBy('occurred_at')
    .orderBy('event_id')
    .execute();
}

export async function lastActivity(trx: Q, tenantId: string): Promise<Date | null> {
  const r = await trx
    .selectFrom('usage_event')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('tenant_id', '=', tenantId)
    .where('source', '<>', 'signup')
    .executeTakeFirst();
  return r?.at ? new Date(r.at as Date) : null;
}

export async function seatCount(trx: Q, tenantId: string): Promise<number> {
  const r = await trx
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function overrides(trx: Q, tenantId: string) {
  const rows = await trx
    .selectFrom('billing_override')
    .select(['metric', 'included'])
    .where('tenant_id', '=', tenantId)
    .execute();
  return new Map(rows.map((r) => [r.metric, Number(r.included)]));
}

export async function upsertOverride(trx: Q, tenantId: string, metric: string, included: number) {
  const before = await trx
    .selectFrom('billing_override')
    .select('included')
    .where('tenant_id', '=', tenantId)
    .where('metric', '=', metric)
    .executeTakeFirst();
  await trx
    .insertInto('billing_override')
    .values({ tenant_id: tenantId, metric, included, set_at: new Date() })
    .onConflict((oc) => oc.columns(['tenant_id', 'metric']).doUpdateSet({ included, set_at: new Date() }))
    .execute();
  return before ? Number(before.included) : null;
}

/** Records a quota alert unless that level was already raised this period; true when this call raised it. */
export async function insertQuotaAlert(
  trx: Q,
  a: { tenant_id: string; period: string; metric: string; level: string; ratio: number },
): Promise<boolean> {
  const r = await trx
    .insertInto('quota_alert')
    .values(a)
    .onConflict((oc) => oc.columns(['tenant_id', 'period', 'metric', 'level']).doNothing())
    .returning('level')
    .executeTakeFirst();
  return r !== undefined;
}

export function quotaAlerts(trx: Q, tenantId: string) {
  return trx
    .selectFrom('quota_alert')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('at', 'desc')
    .orderBy('metric')
    .execute();
}

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

export async function isPeriodClosed(trx: Q, tenantId: string, period: string): Promise<boolean> {
  const inv = await invoiceForPeriod(trx, tenantId, period);
  return inv !== undefined && inv.status !== 'draft';
}

export function activeTenants(trx: Q) {
  return trx
    .selectFrom('tenant')
    .select(['tenant_id', 'org_name', 'tier', 'status', 'created_at'])
    .orderBy('org_name')
    .execute();
}

export async function upsertHealthSnapshot(
  trx: Q,
  s: { tenant_id: string; day: string; score: number; components: Record<string, unknown>; flags: string[] },
): Promise<void> {
  await trx
    .insertInto('customer_health_snapshot')
    .values({ ...s, components: JSON.stringify(s.components) })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'day']).doUpdateSet({
        score: s.score,
        components: JSON.stringify(s.components),
        flags: s.flags,
        taken_at: new Date(),
      }),
    )
    .execute();
}

export function healthSnapshots(trx: Q, tenantId: string, limit: number) {
  return trx
    .selectFrom('customer_health_snapshot')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'score', 'flags'])
    .where('tenant_id', '=', tenantId)
    .orderBy('customer_health_snapshot.day', 'desc')
    .limit(limit)
    .execute();
}

export async function tenantExists(trx: Q, tenantId: string): Promise<boolean> {
  return (
    (await trx.selectFrom('tenant').select('tenant_id').where('tenant_id', '=', tenantId).executeTakeFirst()) !==
    undefined
  );
}

export function tenantSummary(trx: Q, tenantId: string) {
  return trx
    .selectFrom('tenant')
    .select(['tenant_id', 'org_name', 'tier', 'status', 'created_at', 'admin_email'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
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

/** A closed period's quota alerts are history: their incidents resolve. */
export async function resolveQuotaIncidents(trx: Q, period: string, now: Date): Promise<void> {
  await trx
    .updateTable('alert_incident')
    .set({ resolved_at: now })
    .where('source', '=', 'billing')
    .where('alert_key', 'like', `billing:quota:%:${period}:%`)
    .where('resolved_at', 'is', null)
    .execute();
}

/** Assigned properties (both arms) of the last `days` days and how many of them have an outcome logged. */
export async function outcomeCompliance(trx: Q, tenantId: string, since: Date) {
  const r = await sql<{ assigned: string; logged: string }>`
    select count(*) as assigned,
           count(*) filter (where exists (
             select 1 from outcome o
              where o.tenant_id = a.tenant_id and o.storm_id = a.storm_id and o.property_id = a.property_id
                and o.is_current)) as logged
      from assignment a
     where a.tenant_id = ${tenantId} and a.assigned_at >= ${since}`.execute(trx);
  const row = r.rows[0];
  return { assigned: Number(row?.assigned ?? 0), logged: Number(row?.logged ?? 0) };
}

export async function latestPilotScore(trx: Q, tenantId: string): Promise<number | null> {
  const r = await trx
    .selectFrom('pilot_feedback')
    .select('score')
    .where('tenant_id', '=', tenantId)
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? Number(r.score) : null;
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
