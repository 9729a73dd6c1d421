/**
 * The operator's routines as commands (docs/operations.md): anonymized KPI export, retention audit, and the alert
 * response SLA report. Platform-only. Plans, usage ratios and customer health are billing's (domains/billing).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { defaultSlos, windowMinutes } from '../slo/slo.schema.ts';
import * as repo from './ops.repo.ts';
import {
  kpisInput,
  retentionInput,
  slaInput,
  type KpisInput,
  type RetentionInput,
  type SlaInput,
} from './ops.schema.ts';

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AppError('VALIDATION', `${i?.path.join('.') || 'input'}: ${i?.message}`, { field: i?.path.join('.') });
  }
  return r.data;
}

const DAY = 86_400_000;

export async function exportKpis(ctx: ServiceContext, input: KpisInput = {}, now = new Date()) {
  authorize(ctx, 'billing:read');
  const o = parse(kpisInput, input);
  const from = new Date(now.getTime() - o.days * DAY);
  const rows = await ctx.db.withPlatform((trx) => repo.tenantKpis(trx, from, now));
  const salt = o.salt ?? randomBytes(16).toString('hex');
  const tenants = rows.map((r) => {
    const { tenant_id, org_name, created_at, ...counts } = r;
    const conversion_rate = r.outcomes > 0 ? Math.round((r.conversions / r.outcomes) * 10_000) / 10_000 : null;
    if (!o.anonymize) return { tenant_id, org_name, created_at: created_at.toISOString(), ...counts, conversion_rate };
    // An HMAC, not a hash: without the salt a pseudonym cannot be matched back to a tenant id by trying ids.
    const pseudonym = `tenant-${createHmac('sha256', salt).update(tenant_id).digest('hex').slice(0, 10)}`;
    return { tenant: pseudonym, created_month: created_at.toISOString().slice(0, 7), ...counts, conversion_rate };
  });
  const sum = (k: 'storms' | 'properties' | 'knocks' | 'outcomes' | 'conversions' | 'revenue_cents') =>
    rows.reduce((s, r) => s + r[k], 0);
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    anonymized: o.anonymize,
    totals: {
      tenants: rows.length,
      active_tenants: rows.filter((r) => r.status === 'active').length,
      storms: sum('storms'),
      properties: sum('properties'),
      knocks: sum('knocks'),
      outcomes: sum('outcomes'),
      conversions: sum('conversions'),
      revenue_cents: sum('revenue_cents'),
    },
    tenants,
  };
}

/** What each retention category means and what to do about it. */
const ACTIONS: Record<string, string> = {
  closed_storms: 'storms closed or cancelled before the cutoff: export what the contractor needs, then delete them',
  properties_of_closed_storms: 'addresses of those storms (personal data): deleted with their storm',
  import_errors: 'rejected rows of old imports (they quote file contents): delete',
  resolved_alerts: 'resolved alert incidents: keep for the SLA history, or delete',
  metric_buckets_past_retention: 'SLO minute buckets the leader prunes hourly: a non-zero count means no leader runs',
  storm_health_checks: 'kept data-health results: delete or keep for trends',
};

export async function retentionAudit(ctx: ServiceContext, input: RetentionInput = {}, now = new Date()) {
  authorize(ctx, 'platform:admin');
  const o = parse(retentionInput, input);
  const cutoff = new Date(now.getTime() - o.days * DAY);
  // The SLO monitor keeps buckets for the longest SLO window plus 5 days (slo.monitor.ts); an hour of slack.
  const keepMinutes = Math.max(...defaultSlos().map(windowMinutes)) + 5 * 1440 + 60;
  const metricCutoff = new Date(now.getTime() - keepMinutes * 60_000);
  const { rows, backups } = await ctx.db.withPlatform(async (trx) => ({
    rows: await repo.retentionCounts(trx, cutoff, metricCutoff),
    backups: await repo.backupLocations(trx),
  }));
  return {
    cutoff: cutoff.toISOString(),
    categories: rows.map((r) => ({
      category: r.category,
      rows: r.rows,
      oldest: r.oldest?.toISOString() ?? null,
      action: ACTIONS[r.category] ?? '',
    })),
    /** Backups recorded but no longer at their location on this machine (moved off-site, or lost). */
    missing_backup_files: backups
      .filter((b) => !existsSync(b.location))
      .map((b) => ({ location: b.location, completed_at: new Date(b.completed_at).toISOString() })),
  };
}

export async function slaReport(ctx: ServiceContext, input: SlaInput = {}, now = new Date()) {
  authorize(ctx, 'platform:health');
  const o = parse(slaInput, input);
  const from = new Date(now.getTime() - o.days * DAY);
  const incidents = await ctx.db.withPlatform((trx) => repo.incidentsOpenedIn(trx, from, now));
  const severities = (['page', 'ticket'] as const).map((severity) => {
    const target = (severity === 'page' ? o.page_hours : o.ticket_hours) * 3_600_000;
    const mine = incidents.filter((i) => i.severity === severity);
    const hours = (i: repo.IncidentRow) =>
      ((i.resolved_at ? new Date(i.resolved_at).getTime() : now.getTime()) - new Date(i.opened_at).getTime()) /
      3_600_000;
    const within = mine.filter((i) => i.resolved_at && hours(i) * 3_600_000 <= target).length;
    const openPast = mine.filter((i) => !i.resolved_at && hours(i) * 3_600_000 > target).length;
    const decided = mine.filter((i) => i.resolved_at || hours(i) * 3_600_000 > target).length;
    const sorted = mine
      .filter((i) => i.resolved_at)
      .map(hours)
      .sort((a, b) => a - b);
    return {
      severity,
      target_hours: target / 3_600_000,
      incidents: mine.length,
      resolved_within_target: within,
      breached: decided - within,
      open_past_target: openPast,
      still_open_within_target: mine.length - decided,
      /** Share of decided incidents (resolved, or open past the target) that met it; null with none. */
      adherence: decided > 0 ? Math.round((within / decided) * 10_000) / 10_000 : null,
      median_resolution_hours: sorted.length
        ? Math.round(sorted[Math.floor((sorted.length - 1) / 2)]! * 100) / 100
        : null,
      notified: mine.filter((i) => i.trigger_sent_at).length,
    };
  });
  return { from: from.toISOString(), to: now.toISOString(), severities };
}
