/**
 * The plan catalogue and each tenant's plan history. Plans are versioned rows of billing_plan; a tenant is on the
 * version it was assigned (at provisioning, at each tier change), so republishing a plan never changes a running
 * contract.
 */
import type { Database } from '../../db/database.ts';
import type { Q } from './billing.repo.ts';
import { AppError } from '../../errors.ts';
import * as repo from './billing.repo.ts';
import { planMetrics, type Plan, type PlanCode } from './charges.ts';

type PlanRow = Awaited<ReturnType<typeof repo.latestPlans>>[number];

export function toPlan(row: PlanRow): Plan {
  return {
    plan_code: row.plan_code as PlanCode,
    version: row.version,
    name: row.name,
    base_price_cents: Number(row.base_price_cents),
    support_tier: row.support_tier,
    support_response_sla_hours: row.support_response_sla_hours,
    hard_quota: row.hard_quota,
    metrics: planMetrics.parse(row.metrics) as Plan['metrics'],
  };
}

/** The current version of every plan, cheapest first (public: the pricing page). */
export async function currentPlans(trx: Q): Promise<Plan[]> {
  return (await repo.latestPlans(trx)).map(toPlan);
}

export interface PlanSpan {
  plan: Plan;
  from: Date;
  to: Date;
}

/** Plan versions never change once published (a new version is a new row): each is read once per process. */
const versions = new Map<string, Plan>();

async function planVersion(trx: Q, code: string, version: number): Promise<Plan> {
  const key = `${code}:${version}`;
  const cached = versions.get(key);
  if (cached) return cached;
  const row = await repo.planVersion(trx, code, version);
  if (!row) throw new AppError('INTERNAL', `plan ${code} v${version} is missing`);
  const plan = toPlan(row);
  versions.set(key, plan);
  return plan;
}

/** The plan catalogue for anyone (the pricing page, onboarding): no credential needed. */
export function listPlans(db: Database): Promise<Plan[]> {
  return db.withPlatform((trx) => currentPlans(trx));
}

/** The plans a tenant was on between two instants, in order (each span cut to [from, to)). */
export async function planSpans(trx: Q, tenantId: string, from: Date, to: Date): Promise<PlanSpan[]> {
  const history = await repo.assignments(trx, tenantId);
  if (history.length === 0) throw new AppError('NOT_FOUND', `tenant ${tenantId} has no plan`, { tenant_id: tenantId });
  const spans: PlanSpan[] = [];
  for (let i = 0; i < history.length; i++) {
    const a = history[i]!;
    const start = new Date(a.starts_at);
    const end = i + 1 < history.length ? new Date(history[i + 1]!.starts_at) : new Date(8.64e15);
    const s = start < from ? from : start;
    const e = end > to ? to : end;
    if (e <= s) continue;
    spans.push({ plan: await planVersion(trx, a.plan_code, a.plan_version), from: s, to: e });
  }
  // Usage before the first assignment (a tenant created mid-period) is billed on the first plan.
  if (spans.length > 0 && spans[0]!.from > from && new Date(history[0]!.starts_at) > from) spans[0]!.from = from;
  return spans;
}

/** The plan a tenant is on at an instant (its first plan before it had one). */
export async function planOn(trx: Q, tenantId: string, at: Date): Promise<Plan> {
  const history = await repo.assignments(trx, tenantId);
  if (history.length === 0) throw new AppError('NOT_FOUND', `tenant ${tenantId} has no plan`, { tenant_id: tenantId });
  let current = history[0]!;
  for (const a of history) if (new Date(a.starts_at) <= at) current = a;
  return planVersion(trx, current.plan_code, current.plan_version);
}

/** Puts a tenant on the current version of a plan from now (provisioning, tier changes), in the caller's transaction. */
export function assignPlan(trx: Q, tenantId: string, code: PlanCode, at?: Date): Promise<void> {
  return repo.insertAssignment(trx, tenantId, code, at);
}
