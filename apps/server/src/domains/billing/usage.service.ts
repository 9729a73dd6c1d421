/**
 * Usage: out-of-band events (operator, idempotent), the ledger export for the CRM, contract overrides and quota
 * alerts. Actions meter themselves in their own transactions (metering.ts).
 */
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { actingTenant, authorize, type ServiceContext } from '../auth/principal.ts';
import { audit } from '../audit/audit.service.ts';
import { toCsv } from './csv.ts';
import { parse } from '../validate.ts';
import * as repo from './billing.repo.ts';
import {
  overrideInput,
  recordUsageInput,
  tenantInput,
  usageExportInput,
  type OverrideInput,
  type RecordUsageInput,
  type TenantInput,
  type UsageExportInput,
} from './billing.schema.ts';
import type { Metric } from './charges.ts';
import { announceQuotaAlerts, meterInTx, type QuotaAlert } from './metering.ts';

/**
 * Who may read a tenant's billing: a tenant admin its own (`billing:own`), platform staff any (`billing:read`).
 * Returns the tenant the call reads.
 */
export function billingTenant(ctx: ServiceContext, tenantId: string | undefined): string {
  authorizeBilling(ctx);
  return actingTenant(ctx, tenantId);
}

export function authorizeBilling(ctx: ServiceContext): void {
  authorize(ctx, ctx.principal.kind === 'tenant' ? 'billing:own' : 'billing:read');
}

export async function mustExist(trx: Trx, tenantId: string): Promise<void> {
  if (!(await repo.tenantExists(trx, tenantId)))
    throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`, { tenant_id: tenantId });
}

export interface UsageEventResult {
  idempotency_key: string;
  /** created: counted now; duplicate: this key was already counted (nothing changed). */
  status: 'created' | 'duplicate';
  period: string;
  /** The event's time fell in a period already invoiced: it counts in `period`, the next open one. */
  late: boolean;
}

/**
 * Records a batch of usage events (up to 100), each in its own transaction: a repeated key is a no-op that says so,
 * the same key with another payload is a CONFLICT naming it (and the batch stops there; earlier events stand).
 */
export async function recordUsageEvents(
  ctx: ServiceContext,
  input: RecordUsageInput,
): Promise<{ results: UsageEventResult[]; created: number; duplicates: number }> {
  authorize(ctx, 'billing:write');
  const { events } = parse(recordUsageInput, input);
  const results: UsageEventResult[] = [];
  const alerts: QuotaAlert[] = [];
  for (const [i, e] of events.entries()) {
    try {
      const m = await ctx.db.withTenant(e.tenant_id, async (trx) => {
        await mustExist(trx, e.tenant_id);
        return meterInTx(trx, {
          tenantId: e.tenant_id,
          metric: e.metric as Metric,
          quantity: e.quantity,
          key: e.idempotency_key,
          source: 'api',
          ...(e.timestamp ? { at: new Date(e.timestamp) } : {}),
        });
      });
      alerts.push(...m.alerts);
      results.push({
        idempotency_key: e.idempotency_key,
        status: m.created ? 'created' : 'duplicate',
        period: m.period,
        late: m.late,
      });
    } catch (err) {
      if (err instanceof AppError)
        throw new AppError(err.code, `events[${i}]: ${err.message}`, { ...err.details, index: i, recorded: results });
      throw err;
    }
  }
  await announceQuotaAlerts(ctx.db, alerts).catch(() => {});
  const created = results.filter((r) => r.status === 'created').length;
  return { results, created, duplicates: results.length - created };
}

export interface UsageLedgerEntry {
  event_id: string;
  metric: string;
  quantity: number;
  idempotency_key: string;
  occurred_at: string;
  period: string;
  late: boolean;
  source: string;
  recorded_at: string;
}

/** The usage ledger of one tenant and period (the playbook's usage.json for the CRM), as JSON rows or CSV text. */
export async function exportUsage(
  ctx: ServiceContext,
  input: UsageExportInput,
): Promise<{ tenant_id: string; period: string; events: UsageLedgerEntry[] } | string> {
  const o = parse(usageExportInput, input);
  const tenantId = billingTenant(ctx, o.tenant_id);
  const rows = await ctx.db.withTenant(tenantId, (trx) => repo.usageLedger(trx, tenantId, o.period));
  const events = rows.map((r) => ({
    event_id: r.event_id,
    metric: r.metric,
    quantity: Number(r.quantity),
    idempotency_key: r.idempotency_key,
    occurred_at: new Date(r.occurred_at).toISOString(),
    period: r.period,
    late: r.late,
    source: r.source,
    recorded_at: new Date(r.recorded_at).toISOString(),
  }));
  if (o.format === 'csv')
    return toCsv(
      ['event_id', 'metric', 'quantity', 'idempotency_key', 'occurred_at', 'period', 'late', 'source', 'recorded_at'],
      events.map((e) => [
        e.event_id,
        e.metric,
        e.quantity,
        e.idempotency_key,
        e.occurred_at,
        e.period,
        e.late,
        e.source,
        e.recorded_at,
      ]),
    );
  return { tenant_id: tenantId, period: o.period, events };
}

/** A contract's included quantity for one metric, instead of the plan's (operator; audited). */
export async function setOverride(
  ctx: ServiceContext,
  input: OverrideInput,
): Promise<{ tenant_id: string; metric: string; included: number; previous: number | null }> {
  authorize(ctx, 'billing:write');
  const o = parse(overrideInput, input);
  return ctx.db.withTenant(o.tenant_id, async (trx) => {
    await mustExist(trx, o.tenant_id);
    const previous = await repo.upsertOverride(trx, o.tenant_id, o.metric, o.included);
    await audit(
      trx,
      ctx,
      o.tenant_id,
      'billing.override',
      ['billing_override', o.metric],
      previous === null ? undefined : { included: previous },
      { included: o.included },
    );
    return { tenant_id: o.tenant_id, metric: o.metric, included: o.included, previous };
  });
}

export interface QuotaAlertView {
  metric: string;
  level: 'soft' | 'hard';
  ratio: number;
  period: string;
  at: string;
}

export async function listQuotaAlerts(ctx: ServiceContext, input: TenantInput = {}): Promise<QuotaAlertView[]> {
  const o = parse(tenantInput, input);
  const tenantId = billingTenant(ctx, o.tenant_id);
  const rows = await ctx.db.withTenant(tenantId, (trx) => repo.quotaAlerts(trx, tenantId));
  return rows.map((r) => ({
    metric: r.metric,
    level: r.level as 'soft' | 'hard',
    ratio: r.ratio,
    period: r.period,
    at: new Date(r.at).toISOString(),
  }));
}
