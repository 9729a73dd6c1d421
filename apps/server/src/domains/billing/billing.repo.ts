/**
 * SQL of billing: plans, plan history, the usage ledger, overrides, quota alerts, tenants. Invoices are in
 * invoices.repo.ts, customer-health reads in health.repo.ts.
 */
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

export function activeTenants(trx: Q) {
  return trx
    .selectFrom('tenant')
    .select(['tenant_id', 'org_name', 'tier', 'status', 'created_at'])
    .orderBy('org_name')
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

/** Serializes quota checks and usage writes of one tenant's metric until the transaction ends. */
export async function lockMetric(trx: Q, tenantId: string, metric: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`usage:${tenantId}:${metric}`}))`.execute(trx);
}
