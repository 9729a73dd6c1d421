/**
 * The billing dashboard of one tenant: plan, period, base, overage and total so far, usage against the included
 * quantities, and the projected end-of-period total (a linear run-rate, stated in the result).
 */
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../auth/principal.ts';
import { parse } from '../validate.ts';
import * as repo from './billing.repo.ts';
import { priceBill, type Bill, type BillLine, type MetricUsage } from './bill.ts';
import { dashboardInput, type DashboardInput } from './billing.schema.ts';
import { periodBounds, periodOf, type Plan } from './charges.ts';
import { planOn, planSpans } from './plans.service.ts';
import { billingTenant, listQuotaAlerts, type QuotaAlertView } from './usage.service.ts';

const DAY = 86_400_000;

type BillInput = Parameters<typeof priceBill>[0];

/** What a tenant's period is priced from: its plan spans, its usage by day, its overrides and its seats now. */
async function billInput(trx: Trx, tenantId: string, period: string): Promise<BillInput> {
  const { start, end, days } = periodBounds(period);
  return {
    period,
    periodStart: start,
    periodDays: days,
    spans: await planSpans(trx, tenantId, start, end),
    usage: await repo.usageByDay(trx, tenantId, period, start),
    overrides: await repo.overrides(trx, tenantId),
    seats: await repo.seatCount(trx, tenantId),
  };
}

/** Prices a tenant's period from the usage recorded so far (seats counted now). */
export async function drawBill(trx: Trx, tenantId: string, period: string): Promise<Bill> {
  return priceBill(await billInput(trx, tenantId, period));
}

export interface BillingDashboard {
  tenant_id: string;
  org_name: string;
  tier: string;
  plan: { code: string; version: number; name: string; support_response_sla_hours: number };
  period: string;
  days_elapsed: number;
  period_days: number;
  base_cents: number;
  overage_cents: number;
  total_cents: number;
  usage: MetricUsage[];
  lines: BillLine[];
  projected: { total_cents: number; overage_cents: number; method: string };
  alerts: QuotaAlertView[];
}

/** `ops.billing.getBillingDashboard(tenantId)`: a tenant admin its own; platform staff any tenant. */
export async function getBillingDashboard(ctx: ServiceContext, input: DashboardInput = {}): Promise<BillingDashboard> {
  const o = parse(dashboardInput, input);
  const tenantId = billingTenant(ctx, o.tenant_id);
  const now = new Date();
  const period = o.period ?? periodOf(now);
  const { start, end, days } = periodBounds(period);
  const { tenant, plan, bill, projected } = await ctx.db.withTenant(tenantId, async (trx) => {
    const tenant = await repo.tenantSummary(trx, tenantId);
    if (!tenant) throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`, { tenant_id: tenantId });
    const plan: Plan = await planOn(trx, tenantId, now < end ? now : new Date(end.getTime() - 1));
    const input = await billInput(trx, tenantId, period);
    const bill = priceBill(input);
    return { tenant, plan, bill, projected: project(input, bill, now) };
  });
  const elapsed = Math.min(days, Math.max(0, (now.getTime() - start.getTime()) / DAY));
  return {
    tenant_id: tenantId,
    org_name: tenant.org_name,
    tier: tenant.tier,
    plan: {
      code: plan.plan_code,
      version: plan.version,
      name: plan.name,
      support_response_sla_hours: plan.support_response_sla_hours,
    },
    period,
    days_elapsed: Math.round(elapsed * 10) / 10,
    period_days: days,
    base_cents: bill.base_cents,
    overage_cents: bill.overage_cents,
    total_cents: bill.total_cents,
    usage: bill.usage,
    lines: bill.lines,
    projected,
    alerts: (await listQuotaAlerts(ctx, { tenant_id: tenantId })).filter((a) => a.period === period),
  };
}

/**
 * The end-of-period total at the current run-rate: each metric's usage so far divided by the days elapsed (at least
 * one), times the period's days, priced on the plans as they stand (the rest of the period on today's plan).
 */
function project(input: BillInput, bill: Bill, now: Date): BillingDashboard['projected'] {
  const end = new Date(input.periodStart.getTime() + input.periodDays * DAY);
  if (now >= end)
    return { total_cents: bill.total_cents, overage_cents: bill.overage_cents, method: 'the period has ended: actual' };
  const elapsed = Math.max(1, (now.getTime() - input.periodStart.getTime()) / DAY);
  const today = now.toISOString().slice(0, 10);
  const extra = bill.usage
    .filter((u) => u.metric !== 'seats' && u.quantity > 0)
    .map((u) => ({
      metric: u.metric,
      day: today,
      quantity: Math.round((u.quantity / elapsed) * input.periodDays) - u.quantity,
    }));
  const p = priceBill({ ...input, usage: [...input.usage, ...extra] });
  return {
    total_cents: p.total_cents,
    overage_cents: p.overage_cents,
    method: `linear run-rate: usage so far / ${Math.round(elapsed * 10) / 10} days elapsed x ${input.periodDays} days, priced on the current plan`,
  };
}
