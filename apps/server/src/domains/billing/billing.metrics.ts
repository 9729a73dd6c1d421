/**
 * Billing telemetry on the process registry (every app's /metrics): usage recorded per metric and source, quota
 * alerts and refusals. No tenant id as a label: per-tenant figures live in the usage ledger, not in Prometheus.
 */
import { Counter } from 'prom-client';
import { metrics, processRegistry } from '../../telemetry/metrics.ts';

const usage = new Counter({
  name: 'stormops_billing_usage_units_total',
  help: 'Billable units recorded in the usage ledger, by metric and source (action, api, signup).',
  labelNames: ['metric', 'source'] as const,
  registers: [processRegistry],
});
const quotaAlerts = new Counter({
  name: 'stormops_billing_quota_alerts_total',
  help: 'Quota alerts raised (soft at 80%, hard at 95% of an included quantity), by metric and level.',
  labelNames: ['metric', 'level'] as const,
  registers: [processRegistry],
});
const quotaRefusals = new Counter({
  name: 'stormops_billing_quota_refusals_total',
  help: 'Actions refused with QUOTA_EXCEEDED (trial plans stop at 100%), by metric.',
  labelNames: ['metric'] as const,
  registers: [processRegistry],
});

export const billingMetrics = {
  usage: {
    add(n: number, labels: { metric: string; source: string }) {
      usage.inc(labels, n);
      metrics.billableEvents.inc(1);
    },
  },
  quotaAlerts: { add: (n: number, labels: { metric: string; level: string }) => quotaAlerts.inc(labels, n) },
  quotaRefusals: { add: (n: number, labels: { metric: string }) => quotaRefusals.inc(labels, n) },
};
