/**
 * Metering inside the action's own transaction: `meterInTx` writes the usage row with the action, so a failed or
 * rolled-back action counts nothing and a retried one (same idempotency key) counts once. `checkQuota` runs first, in
 * the same transaction under a per-tenant-and-metric lock: a trial is refused with QUOTA_EXCEEDED before the work
 * commits; paid plans run on. Crossing 80% and 95% of an included quantity records a soft and a hard alert, once
 * per tenant, metric and period (quota_alert), which the caller hands to `announceQuotaAlerts` after commit.
 */
import { createHash } from 'node:crypto';
import type { Database, Trx } from '../../db/database.ts';
import type { Q } from './billing.repo.ts';
import { AppError } from '../../errors.ts';
import { insertIncident } from '../notify/alerts.repo.ts';
import * as repo from './billing.repo.ts';
import * as invoiceRepo from './invoices.repo.ts';
import { nextPeriod, periodOf, type Metric, type Plan } from './charges.ts';
import { planOn } from './plans.service.ts';
import { billingMetrics } from './billing.metrics.ts';
import type { Mailer } from '../users/mailer.ts';

export const SOFT_RATIO = 0.8;
export const HARD_RATIO = 0.95;

export interface QuotaAlert {
  tenant_id: string;
  metric: Metric;
  level: 'soft' | 'hard';
  ratio: number;
  period: string;
  included: number;
  used: number;
}

export interface Metered {
  created: boolean;
  period: string;
  late: boolean;
  alerts: QuotaAlert[];
}

export function payloadHash(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
}

/** Serializes quota checks and usage writes of one tenant's metric until the transaction ends. */
async function lockMetric(trx: Q, tenantId: string, metric: Metric): Promise<void> {
  await repo.lockMetric(trx, tenantId, metric);
}

/** The included quantity of a metric for a tenant this period: its contract override, else its plan's. */
export async function includedOf(trx: Q, tenantId: string, plan: Plan, metric: Metric): Promise<number> {
  const o = await repo.overrides(trx, tenantId);
  return o.get(metric) ?? plan.metrics[metric].included;
}

/**
 * Refuses work that would take a hard-quota (trial) tenant past 100% of a metric, saying how much still fits.
 * Returns the room left (Infinity on paid plans). Call inside the action's transaction, before writing.
 */
export async function checkQuota(
  trx: Q,
  tenantId: string,
  metric: Metric,
  adding: number,
  now = new Date(),
): Promise<number> {
  await lockMetric(trx, tenantId, metric);
  const plan = await planOn(trx, tenantId, now);
  if (!plan.hard_quota) return Infinity;
  const period = periodOf(now);
  const included = await includedOf(trx, tenantId, plan, metric);
  const used = (await repo.usageTotals(trx, tenantId, period)).get(metric) ?? 0;
  const room = Math.max(0, included - used);
  if (adding > room) {
    billingMetrics.quotaRefusals.add(1, { metric });
    throw new AppError(
      'QUOTA_EXCEEDED',
      `the ${plan.name} plan includes ${included} ${metric.replace(/_/g, ' ')} a month; ${used} used in ${period}, so ${room} more fit and this needs ${adding}. Nothing was written: upgrade the plan or ask for a higher quota.`,
      { metric, included, used, fits: room, requested: adding, period, plan: plan.plan_code },
    );
  }
  return room;
}

/**
 * Records usage in the caller's transaction. A repeated key is a no-op (`created: false`); the same key with another
 * quantity, metric or time is a CONFLICT. A time in a period whose invoice is already finalized counts in the next
 * open period and is marked late.
 */
export async function meterInTx(
  trx: Q,
  e: {
    tenantId: string;
    metric: Metric;
    quantity: number;
    key: string;
    at?: Date;
    source?: 'action' | 'api' | 'signup';
  },
): Promise<Metered> {
  const at = e.at ?? new Date();
  const hash = payloadHash({ metric: e.metric, quantity: e.quantity, at: e.at?.toISOString() ?? null });
  await lockMetric(trx, e.tenantId, e.metric);
  let period = periodOf(at);
  let late = false;
  while (await invoiceRepo.isPeriodClosed(trx, e.tenantId, period)) {
    period = nextPeriod(period);
    late = true;
  }
  const { row, created } = await repo.insertUsage(trx, {
    tenant_id: e.tenantId,
    metric: e.metric,
    quantity: e.quantity,
    idempotency_key: e.key,
    payload_hash: hash,
    occurred_at: at,
    period,
    late,
    source: e.source ?? 'action',
  });
  if (!created) {
    if (row.payload_hash !== hash)
      throw new AppError(
        'CONFLICT',
        `idempotency key ${e.key} was already used for another usage event (${row.metric} x ${row.quantity})`,
        { idempotency_key: e.key },
      );
    return { created: false, period: row.period, late: row.late, alerts: [] };
  }
  billingMetrics.usage.add(e.quantity, { metric: e.metric, source: e.source ?? 'action' });
  const alerts = await raiseQuotaAlerts(trx, e.tenantId, e.metric, period, at);
  return { created: true, period, late, alerts };
}

async function raiseQuotaAlerts(
  trx: Q,
  tenantId: string,
  metric: Metric,
  period: string,
  at: Date,
): Promise<QuotaAlert[]> {
  const plan = await planOn(trx, tenantId, at);
  const included = await includedOf(trx, tenantId, plan, metric);
  if (included <= 0) return [];
  const used = (await repo.usageTotals(trx, tenantId, period)).get(metric) ?? 0;
  const ratio = used / included;
  const raised: QuotaAlert[] = [];
  for (const [level, threshold] of [
    ['soft', SOFT_RATIO],
    ['hard', HARD_RATIO],
  ] as const) {
    if (ratio + 1e-12 < threshold) continue;
    if (await repo.insertQuotaAlert(trx, { tenant_id: tenantId, period, metric, level, ratio })) {
      raised.push({ tenant_id: tenantId, metric, level, ratio, period, included, used });
      billingMetrics.quotaAlerts.add(1, { metric, level });
    }
  }
  return raised;
}

/** Where quota alerts are e-mailed besides the incident (the tenant's admin address); set at start when SMTP is. */
let quotaMailer: Mailer | undefined;
export function mailQuotaAlertsWith(mailer: Mailer | undefined): void {
  quotaMailer = mailer;
}

/**
 * Opens a ticket incident per new quota alert (Slack through the notifier's outbox; see notify/alerts.service.ts).
 * Run after the action's transaction commits; resolved when the period is closed.
 */
export async function announceQuotaAlerts(db: Database, alerts: readonly QuotaAlert[]): Promise<void> {
  if (alerts.length === 0) return;
  await db.withPlatform(async (trx) => {
    for (const a of alerts)
      await insertIncident(trx, {
        key: `billing:quota:${a.tenant_id}:${a.period}:${a.metric}:${a.level}`,
        source: 'billing',
        severity: 'ticket',
        message: `tenant ${a.tenant_id} used ${Math.round(a.ratio * 100)}% of its included ${a.metric.replace(/_/g, ' ')} (${a.used} of ${a.included}) in ${a.period} (${a.level} quota alert)`,
        details: { tenant_id: a.tenant_id, metric: a.metric, level: a.level, ratio: a.ratio, period: a.period },
        at: new Date(),
      });
  });
  const mailer = quotaMailer;
  if (!mailer) return;
  for (const a of alerts) {
    const to = await db.withPlatform((trx) => repo.tenantSummary(trx, a.tenant_id)).then((t) => t?.admin_email);
    if (!to) continue;
    const what = a.metric.replace(/_/g, ' ');
    await mailer
      .send({
        to,
        subject: `StormOps: ${Math.round(a.ratio * 100)}% of your monthly ${what} used`,
        text: `Your organization has used ${a.used} of the ${a.included} ${what} its plan includes in ${a.period} (${a.level === 'hard' ? 'over 95%' : 'over 80%'}).\n\nSee usage and the projected bill: stormops billing dashboard, or Billing in the web app. A trial stops at 100%; paid plans bill the overage.\n`,
      })
      .catch(() => {});
  }
}

/**
 * An action's metering in one call: quota check, the action's own writes (`work`), the usage row, all in one tenant
 * transaction; alerts announced after commit. `quantityOf` reads the quantity from the work's result (rows imported).
 */
export async function meteredTx<T>(
  db: Database,
  tenantId: string,
  m: { metric: Metric; key: string | ((r: T) => string); expected?: number; quantityOf?: (r: T) => number },
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  const alerts: QuotaAlert[] = [];
  const result = await db.withTenant(tenantId, async (trx) => {
    await checkQuota(trx, tenantId, m.metric, m.expected ?? 1);
    const r = await work(trx);
    const quantity = m.quantityOf ? m.quantityOf(r) : (m.expected ?? 1);
    if (m.quantityOf && m.expected === undefined) await checkQuota(trx, tenantId, m.metric, quantity);
    const key = typeof m.key === 'string' ? m.key : m.key(r);
    if (quantity > 0) alerts.push(...(await meterInTx(trx, { tenantId, metric: m.metric, quantity, key })).alerts);
    return r;
  });
  await announceQuotaAlerts(db, alerts).catch(() => {});
  return result;
}
