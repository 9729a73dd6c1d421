/** Response schemas of the billing routes (billing.routes.ts) that the web app reads. */
import { z } from 'zod';
import { METRICS, PLAN_CODES, type Metric } from '@stormops/plans';
import { isoTime } from '../../http/responses.ts';

const metric = z.enum(METRICS);

/** One schema per metric, keyed by the metric's name: every metric present. */
function perMetric<T extends z.ZodType>(value: T) {
  return z.strictObject(Object.fromEntries(METRICS.map((m) => [m, value])) as Record<Metric, T>);
}

const chargeModel = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('per_unit'), unit_cents: z.number() }),
  z.strictObject({
    model: z.literal('graduated'),
    tiers: z.array(z.strictObject({ up_to: z.number().nullable(), unit_cents: z.number() })),
  }),
  z.strictObject({ model: z.literal('package'), package_size: z.number(), package_cents: z.number() }),
]);

export const plan = z
  .strictObject({
    plan_code: z.enum(PLAN_CODES),
    version: z.number().int(),
    name: z.string(),
    base_price_cents: z.number().int(),
    support_tier: z.string(),
    support_response_sla_hours: z.number(),
    hard_quota: z.boolean(),
    metrics: perMetric(z.strictObject({ included: z.number(), charge: chargeModel })),
  })
  .meta({ id: 'Plan' });

export const planList = z.strictObject({ plans: z.array(plan) });

export const customerHealth = z
  .strictObject({
    tenant_id: z.uuid(),
    org_name: z.string(),
    tier: z.string(),
    health_score: z.number(),
    usage_ratio: z.number(),
    projected_cost_cents: z.number(),
    flags: z.array(z.string()),
    components: z.strictObject({
      usage: z.number(),
      recency: z.number(),
      outcome_logging: z.number(),
      slo: z.number(),
      payment: z.number(),
      pilot: z.number(),
    }),
  })
  .meta({ id: 'CustomerHealth' });

export const customerHealthList = z.strictObject({ tenants: z.array(customerHealth) });

const billLine = z.strictObject({
  type: z.enum(['base', 'proration', 'overage']),
  description: z.string(),
  plan: z.string(),
  metric: metric.optional(),
  quantity: z.number(),
  unit_cents: z.number(),
  amount_cents: z.number(),
  from: z.string(),
  to: z.string(),
});

export const metricUsage = z.strictObject({
  metric,
  quantity: z.number(),
  included: z.number(),
  /** quantity / included; null when nothing is included. */
  ratio: z.number().nullable(),
  overage_cents: z.number(),
});

export const quotaAlert = z.strictObject({
  metric: z.string(),
  level: z.enum(['soft', 'hard']),
  ratio: z.number(),
  period: z.string(),
  at: isoTime,
});

export const billingDashboard = z
  .strictObject({
    tenant_id: z.uuid(),
    org_name: z.string(),
    tier: z.string(),
    plan: z.strictObject({
      code: z.string(),
      version: z.number().int(),
      name: z.string(),
      support_response_sla_hours: z.number(),
    }),
    period: z.string(),
    days_elapsed: z.number(),
    period_days: z.number(),
    base_cents: z.number(),
    overage_cents: z.number(),
    total_cents: z.number(),
    usage: z.array(metricUsage),
    lines: z.array(billLine),
    projected: z.strictObject({ total_cents: z.number(), overage_cents: z.number(), method: z.string() }),
    alerts: z.array(quotaAlert),
  })
  .meta({ id: 'BillingDashboard' });

export const invoice = z
  .strictObject({
    invoice_id: z.uuid(),
    tenant_id: z.uuid(),
    kind: z.enum(['invoice', 'credit_note']),
    period: z.string(),
    status: z.enum(['draft', 'finalized', 'paid', 'overdue', 'void']),
    number: z.number().int().nullable(),
    currency: z.string(),
    lines: z.array(billLine),
    subtotal_cents: z.number(),
    total_cents: z.number(),
    credit_note_for: z.uuid().nullable(),
    created_at: isoTime,
    finalized_at: isoTime.nullable(),
    due_at: isoTime.nullable(),
    paid_at: isoTime.nullable(),
    voided_at: isoTime.nullable(),
  })
  .meta({ id: 'Invoice' });

export const invoiceList = z.strictObject({ invoices: z.array(invoice) });
