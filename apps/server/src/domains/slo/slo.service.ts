/**
 * The SLO monitor's service functions: the dashboard (SLI, error budget, burn rates, breaches), active alerts, and
 * one evaluation pass (rules -> incidents -> notifications). Platform-only: SLOs describe the whole service.
 */
import type { Trx } from '../../db/database.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import {
  activeAlerts,
  deliverPending,
  syncAlerts,
  type AlertCondition,
  type AlertView,
} from '../notify/alerts.service.ts';
import { incidentsInRange } from '../notify/alerts.repo.ts';
import type { Notifier } from '../notify/notify.types.ts';
import {
  budgetRemaining,
  burnRates,
  evaluateRules,
  round,
  ruleLabel,
  sli,
  type Counts,
  type RuleVerdict,
} from './slo.burn.ts';
import { badEvents, windowSums } from './slo.repo.ts';
import {
  BURN_WINDOWS,
  dashboardInput,
  defaultSlos,
  HTTP_SERIES,
  sloSeries,
  tenantSeries,
  windowMinutes,
  type BurnWindow,
  type DashboardInput,
  type EvaluationView,
  type SloDefinition,
  type SloStatusView,
} from './slo.schema.ts';
import { AppError } from '../../errors.ts';

export interface SloDeps {
  clock?: Clock;
  /** SLO definitions (default: slos.json). */
  slos?: readonly SloDefinition[];
  /** Where alerts go; without one, incidents are kept and delivered by the next pass that has one. */
  notifier?: Notifier;
}

interface Measured {
  slo: SloDefinition;
  windows: Record<BurnWindow, Counts>;
  verdicts: RuleVerdict[];
  extra: Map<number, Counts>;
}

/** Sums each SLO's series over the burn windows plus `extraMinutes` (the dashboard adds its range and the compliance window). */
async function measure(
  trx: Trx,
  slos: readonly SloDefinition[],
  now: Date,
  extraMinutes: number[],
): Promise<Measured[]> {
  const burn = Object.entries(BURN_WINDOWS) as [BurnWindow, number][];
  const minutes = [...new Set([...burn.map(([, m]) => m), ...extraMinutes])];
  const sums = await windowSums(trx, [...new Set(slos.map(sloSeries))], now, minutes);
  return slos.map((slo) => {
    const perWindow = sums.get(sloSeries(slo)) ?? new Map<number, Counts>();
    const get = (m: number): Counts => perWindow.get(m) ?? { good: 0, total: 0 };
    const windows = Object.fromEntries(burn.map(([w, m]) => [w, get(m)])) as Record<BurnWindow, Counts>;
    return { slo, windows, verdicts: evaluateRules(slo, windows), extra: new Map(minutes.map((m) => [m, get(m)])) };
  });
}

function alertMessage(m: Measured, severity: 'page' | 'ticket'): string {
  const v = m.verdicts.find((x) => x.firing && x.rule.severity === severity);
  if (!v) return `SLO ${m.slo.name}`;
  const r = v.rule;
  return (
    `SLO ${m.slo.name} (objective ${(m.slo.objective * 100).toFixed(2)}%) burning error budget at ` +
    `${v.long_burn.toFixed(1)}x over ${r.long} and ${v.short_burn.toFixed(1)}x over ${r.short} (${severity} rule >= ${r.factor}x)`
  );
}

function conditionsOf(m: Measured): AlertCondition[] {
  return (['page', 'ticket'] as const).map((severity) => {
    const firing = m.verdicts.filter((v) => v.firing && v.rule.severity === severity);
    return {
      key: `slo:${m.slo.name}:${severity}`,
      source: 'slo',
      severity,
      firing: firing.length > 0,
      message: alertMessage(m, severity),
      details: {
        slo: m.slo.name,
        objective: m.slo.objective,
        rules: firing.map((v) => ruleLabel(v.rule)),
        burn_rates: burnRates(m.slo, m.windows),
        ...(m.slo.runbook ? { runbook: m.slo.runbook } : {}),
      },
    };
  });
}

/**
 * One evaluation at the clock's now: applies the burn-rate rules to every SLO, opens and resolves incidents (one
 * per SLO and severity), then delivers pending notifications when a notifier is given.
 */
export async function evaluateSlos(ctx: ServiceContext, deps: SloDeps = {}): Promise<EvaluationView> {
  authorize(ctx, 'platform:admin');
  const now = (deps.clock ?? systemClock)();
  const measured = await ctx.db.withPlatform((trx) => measure(trx, deps.slos ?? defaultSlos(), now, []));
  const conditions = measured.flatMap(conditionsOf);
  const { opened, resolved } = await syncAlerts(ctx.db, conditions, now);
  if (deps.notifier) await deliverPending(ctx.db, deps.notifier, now);
  return {
    evaluated_at: now.toISOString(),
    firing: conditions.filter((c) => c.firing).map((c) => c.key),
    opened,
    resolved,
  };
}

function statusView(m: Measured, hoursMinutes: number, breaches: number): SloStatusView {
  const inRange = m.extra.get(hoursMinutes) ?? { good: 0, total: 0 };
  const compliance = m.extra.get(windowMinutes(m.slo)) ?? { good: 0, total: 0 };
  const firing = m.verdicts.filter((v) => v.firing);
  const budget = budgetRemaining(compliance, m.slo.objective);
  const status =
    compliance.total === 0
      ? 'no_data'
      : firing.some((v) => v.rule.severity === 'page')
        ? 'breaching'
        : firing.length > 0 || budget <= 0
          ? 'warning'
          : 'ok';
  const share = sli(inRange);
  const windowShare = sli(compliance);
  return {
    name: m.slo.name,
    description: m.slo.description,
    objective: m.slo.objective,
    window: m.slo.window,
    status,
    sli: share === null ? null : round(share, 6),
    good: inRange.good,
    total: inRange.total,
    window_sli: windowShare === null ? null : round(windowShare, 6),
    error_budget_remaining: round(budget, 6),
    burn_rates: burnRates(m.slo, m.windows),
    firing_rules: firing.map((v) => ruleLabel(v.rule)),
    breaches,
    runbook: m.slo.runbook ?? null,
  };
}

/** Counts breach periods: overlapping incidents (a page and the ticket of the same burn) are one period. */
export function breachPeriods(incidents: readonly { opened_at: Date; resolved_at: Date | null }[]): number {
  const sorted = [...incidents].sort((a, b) => new Date(a.opened_at).getTime() - new Date(b.opened_at).getTime());
  let periods = 0;
  let end = -Infinity;
  for (const i of sorted) {
    const opened = new Date(i.opened_at).getTime();
    const resolved = i.resolved_at ? new Date(i.resolved_at).getTime() : Infinity;
    if (opened > end) periods++;
    end = Math.max(end, resolved);
  }
  return periods;
}

/** The playbook's `get_slo_dashboard(hours=24)`: per SLO name, its status, SLI, budget, burn rates and breaches. */
export async function getSloDashboard(
  ctx: ServiceContext,
  input: DashboardInput = {},
  deps: SloDeps = {},
): Promise<Record<string, SloStatusView>> {
  authorize(ctx, 'platform:health');
  const parsed = dashboardInput.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AppError('VALIDATION', `${i?.path.join('.') || 'input'}: ${i?.message}`, { field: i?.path.join('.') });
  }
  const now = (deps.clock ?? systemClock)();
  const hoursMinutes = parsed.data.hours * 60;
  const from = new Date(now.getTime() - hoursMinutes * 60_000);
  const slos = deps.slos ?? defaultSlos();
  const { measured, incidents } = await ctx.db.withPlatform(async (trx) => ({
    measured: await measure(trx, slos, now, [hoursMinutes, ...slos.map(windowMinutes)]),
    incidents: await incidentsInRange(trx, from, now, 'slo:'),
  }));
  const out: Record<string, SloStatusView> = {};
  for (const m of measured) {
    const breaches = breachPeriods(incidents.filter((r) => r.alert_key.startsWith(`slo:${m.slo.name}:`)));
    out[m.slo.name] = statusView(m, hoursMinutes, breaches);
  }
  return out;
}

/** How far before an incident opened its cause is looked for: the longest burn-rate window that can open one. */
const INCIDENT_LOOKBACK_MS = 6 * 3_600_000;

export interface TenantSloStatus {
  status: 'ok' | 'breached' | 'no_data';
  /** One line per SLO incident that touched the tenant. */
  issues: string[];
  /** SLO incidents in the window during which the tenant's own requests or jobs failed the SLO. */
  breaches: number;
  /** SLO incidents in the window that did not touch the tenant (another tenant's, or the platform's alone). */
  other_incidents: number;
}

/**
 * A tenant's SLO record over [from, now]: the platform's SLO incidents in the window, each counted against the tenant
 * only when the tenant's own series (tenant.<id>.<series>) had bad events between the incident's look-back and its
 * resolution. So one tenant's incident does not fail every tenant's pilot.
 */
export async function tenantSloStatus(
  ctx: ServiceContext,
  tenantId: string,
  from: Date,
  now: Date,
  deps: SloDeps = {},
): Promise<TenantSloStatus> {
  authorize(ctx, 'platform:health');
  const slos = new Map((deps.slos ?? defaultSlos()).map((s) => [s.name, s]));
  return ctx.db.withPlatform(async (trx) => {
    const incidents = await incidentsInRange(trx, from, now, 'slo:');
    const issues: string[] = [];
    let other = 0;
    for (const i of incidents) {
      const slo = slos.get(i.alert_key.split(':')[1] ?? '');
      if (!slo) continue;
      const opened = new Date(i.opened_at);
      const until = i.resolved_at ? new Date(i.resolved_at) : now;
      const bad = await badEvents(
        trx,
        tenantSeries(tenantId, sloSeries(slo)),
        new Date(opened.getTime() - INCIDENT_LOOKBACK_MS),
        new Date(until.getTime() + 60_000),
      );
      if (bad > 0)
        issues.push(
          `${slo.name}: ${i.severity} incident from ${opened.toISOString()}, ${bad} of this tenant's events failed`,
        );
      else other++;
    }
    const seen = await windowSums(trx, [tenantSeries(tenantId, HTTP_SERIES)], now, [
      Math.max(1, Math.ceil((now.getTime() - from.getTime()) / 60_000)),
    ]);
    const any = [...(seen.values().next().value?.values() ?? [])].some((c) => c.total > 0);
    return {
      status: issues.length ? 'breached' : any || incidents.length ? 'ok' : 'no_data',
      issues,
      breaches: issues.length,
      other_incidents: other,
    };
  });
}

/** The playbook's `get_active_alerts()`: open incidents of every source, oldest first. */
export async function getActiveAlerts(ctx: ServiceContext, input: { source?: string } = {}): Promise<AlertView[]> {
  authorize(ctx, 'platform:health');
  return activeAlerts(ctx.db, input.source);
}

/** The SLO definitions in force. */
export function listSlos(ctx: ServiceContext, deps: SloDeps = {}): Promise<SloDefinition[]> {
  authorize(ctx, 'platform:health');
  return Promise.resolve([...(deps.slos ?? defaultSlos())]);
}
