/**
 * Customer health: one score from 0 to 1 per tenant, for Customer Success (docs/billing.md gives the formula). Each
 * component is 0 to 1; the score is their weighted sum. Flags: health below 0.75, a usage ratio above 0.95, an
 * overdue invoice. Every computation stores the day's snapshot (one per tenant and day) for trends.
 */
import { PLATFORM, authorize, type ServiceContext } from '../auth/principal.ts';
import { tenantSloStatus } from '../slo/slo.service.ts';
import * as repo from './billing.repo.ts';
import * as healthRepo from './health.repo.ts';
import * as invoiceRepo from './invoices.repo.ts';
import { getBillingDashboard } from './dashboard.service.ts';

export const HEALTH_WEIGHTS = {
  usage: 0.25,
  recency: 0.2,
  outcome_logging: 0.2,
  slo: 0.1,
  payment: 0.15,
  pilot: 0.1,
} as const;
export const LOW_HEALTH = 0.75;
export const HIGH_USAGE = 0.95;
const DAY = 86_400_000;

export interface HealthComponents {
  /** min(1, usage ratio / 0.3): a tenant using under 30% of what it pays for is at risk. */
  usage: number;
  /** 1 when active in the last 7 days, falling linearly to 0 at 30 days (no activity: 0). */
  recency: number;
  /** Share of properties assigned in the last 90 days with an outcome logged (0.5 when nothing was assigned). */
  outcome_logging: number;
  /** 1 with no SLO incident that touched the tenant in 30 days, 0.5 with one, 0 with more. */
  slo: number;
  /** 1 with no overdue invoice, 0 otherwise. */
  payment: number;
  /** The contractor's latest pilot satisfaction score / 10 (0.5 when not recorded yet). */
  pilot: number;
}

export interface CustomerHealth {
  tenant_id: string;
  org_name: string;
  tier: string;
  health_score: number;
  usage_ratio: number;
  projected_cost_cents: number;
  flags: string[];
  components: HealthComponents;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function tenantHealth(ctx: ServiceContext, tenantId: string, now = new Date()): Promise<CustomerHealth> {
  const dash = await getBillingDashboard(ctx, { tenant_id: tenantId });
  const usageRatio = Math.max(0, ...dash.usage.filter((u) => u.metric !== 'seats').map((u) => u.ratio ?? 0));
  const facts = await ctx.db.withTenant(tenantId, async (trx) => ({
    last: await healthRepo.lastActivity(trx, tenantId),
    compliance: await healthRepo.outcomeCompliance(trx, tenantId, new Date(now.getTime() - 90 * DAY)),
    pilot: await healthRepo.latestPilotScore(trx, tenantId),
    overdue: await invoiceRepo.overdueInvoices(trx, tenantId),
  }));
  // Health needs the tenant's SLO record, which Customer Success may see as part of health (not the platform's SLOs).
  const slo = await tenantSloStatus({ ...ctx, principal: PLATFORM }, tenantId, new Date(now.getTime() - 30 * DAY), now);
  const idle = facts.last ? (now.getTime() - facts.last.getTime()) / DAY : Infinity;
  const components: HealthComponents = {
    usage: round3(Math.min(1, usageRatio / 0.3)),
    recency: round3(idle <= 7 ? 1 : idle >= 30 ? 0 : (30 - idle) / 23),
    outcome_logging: round3(
      facts.compliance.assigned === 0 ? 0.5 : facts.compliance.logged / facts.compliance.assigned,
    ),
    slo: slo.breaches === 0 ? 1 : slo.breaches === 1 ? 0.5 : 0,
    payment: facts.overdue === 0 ? 1 : 0,
    pilot: facts.pilot === null ? 0.5 : facts.pilot / 10,
  };
  const score = round3(
    (Object.keys(HEALTH_WEIGHTS) as (keyof HealthComponents)[]).reduce(
      (s, k) => s + HEALTH_WEIGHTS[k] * components[k],
      0,
    ),
  );
  const flags = [
    ...(score < LOW_HEALTH ? ['low_health'] : []),
    ...(usageRatio > HIGH_USAGE ? ['high_usage'] : []),
    ...(facts.overdue > 0 ? ['overdue_invoice'] : []),
  ];
  await ctx.db.withTenant(tenantId, (trx) =>
    healthRepo.upsertHealthSnapshot(trx, {
      tenant_id: tenantId,
      day: now.toISOString().slice(0, 10),
      score,
      components: { ...components },
      flags,
    }),
  );
  return {
    tenant_id: tenantId,
    org_name: dash.org_name,
    tier: dash.tier,
    health_score: score,
    usage_ratio: round3(usageRatio),
    projected_cost_cents: dash.projected.total_cents,
    flags,
    components,
  };
}

/** `GET /billing/usage`: every tenant's health, usage ratio, projected cost and flags (platform staff only). */
export async function customerHealth(ctx: ServiceContext): Promise<CustomerHealth[]> {
  authorize(ctx, 'billing:read');
  const tenants = await ctx.db.withPlatform((trx) => repo.activeTenants(trx));
  const out: CustomerHealth[] = [];
  for (const t of tenants) out.push(await tenantHealth(ctx, t.tenant_id));
  return out;
}

/** The flagged tenants, worst first: the playbook's daily Customer Success routine (`stormops ops triage`). */
export async function triage(ctx: ServiceContext): Promise<CustomerHealth[]> {
  return (await customerHealth(ctx)).filter((h) => h.flags.length > 0).sort((a, b) => a.health_score - b.health_score);
}

/** A tenant's health snapshots, newest first (trends). */
export async function healthHistory(ctx: ServiceContext, tenantId: string, days = 90) {
  authorize(ctx, 'billing:read');
  const rows = await ctx.db.withTenant(tenantId, (trx) => healthRepo.healthSnapshots(trx, tenantId, days));
  return rows.map((r) => ({ day: r.day, score: r.score, flags: r.flags }));
}
