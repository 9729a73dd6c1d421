/**
 * Alert incidents, shared by every alert source: `syncAlerts` turns "is this condition firing now?" into incidents
 * that open once and resolve once, and `deliverPending` sends each trigger and resolve through the notifier exactly
 * once (an outbox: a delivery that failed with a retryable error is tried again on the next pass).
 */
import type { Database } from '../../db/database.ts';
import * as repo from './alerts.repo.ts';
import type { IncidentRow } from './alerts.repo.ts';
import type { AlertEvent, DeliveryResult, Notifier, Severity } from './notify.types.ts';

/** A condition as its source sees it at one evaluation. */
export interface AlertCondition {
  /** Names the condition, e.g. 'slo:api-availability:page' or 'data_health:<storm>:uplift_drift'. */
  key: string;
  source: string;
  severity: Severity;
  firing: boolean;
  /** Used when the incident opens. */
  message: string;
  details?: Record<string, unknown>;
}

export interface AlertView {
  alert_id: string;
  alert_key: string;
  source: string;
  severity: Severity;
  message: string;
  /** When the incident opened (ISO 8601, UTC). */
  since: string;
  resolved_at: string | null;
  /** The PagerDuty dedup key of this incident. */
  dedup_key: string;
  details: Record<string, unknown>;
}

export function dedupKeyOf(row: Pick<IncidentRow, 'alert_key' | 'alert_id'>): string {
  return `stormops/${row.alert_key}/${row.alert_id}`;
}

export function alertView(row: IncidentRow): AlertView {
  return {
    alert_id: row.alert_id,
    alert_key: row.alert_key,
    source: row.source,
    severity: row.severity as Severity,
    message: row.message,
    since: new Date(row.opened_at).toISOString(),
    resolved_at: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
    dedup_key: dedupKeyOf(row),
    details: row.details,
  };
}

/** Opens incidents for firing conditions without one, resolves open incidents whose condition stopped. */
export async function syncAlerts(
  db: Database,
  conditions: readonly AlertCondition[],
  now: Date,
): Promise<{ opened: AlertView[]; resolved: AlertView[] }> {
  return db.withPlatform(async (trx) => {
    const open = new Map(
      (
        await repo.openIncidents(
          trx,
          conditions.map((c) => c.key),
        )
      ).map((r) => [r.alert_key, r]),
    );
    const opened: AlertView[] = [];
    const resolved: AlertView[] = [];
    for (const c of conditions) {
      const current = open.get(c.key);
      if (c.firing && !current) {
        const row = await repo.insertIncident(trx, {
          key: c.key,
          source: c.source,
          severity: c.severity,
          message: c.message,
          details: c.details ?? {},
          at: now,
        });
        if (row) opened.push(alertView(row));
      } else if (!c.firing && current) {
        const row = await repo.resolveIncident(trx, current.alert_id, now);
        if (row) resolved.push(alertView(row));
      }
    }
    return { opened, resolved };
  });
}

export async function activeAlerts(db: Database, source?: string): Promise<AlertView[]> {
  const rows = await db.withPlatform((trx) => repo.openIncidents(trx));
  return rows.filter((r) => !source || r.source === source).map(alertView);
}

export interface DeliveryReport {
  alert_id: string;
  action: 'trigger' | 'resolve';
  results: DeliveryResult[];
  done: boolean;
}

function eventOf(row: IncidentRow, action: 'trigger' | 'resolve', now: Date): AlertEvent {
  const runbook = typeof row.details['runbook'] === 'string' ? row.details['runbook'] : undefined;
  return {
    action,
    dedupKey: dedupKeyOf(row),
    severity: row.severity as Severity,
    summary: row.message,
    source: row.source,
    alertKey: row.alert_key,
    at: action === 'trigger' ? new Date(row.opened_at) : new Date(row.resolved_at ?? now),
    details: row.details,
    ...(runbook ? { runbook } : {}),
  };
}

/**
 * Sends undelivered triggers and resolves. A step is done when every destination accepted it or failed for good
 * (e.g. 400: recorded in last_delivery_error, not retried); a retryable failure leaves it for the next pass, up to
 * `maxPasses` passes per incident.
 */
export async function deliverPending(
  db: Database,
  notifier: Notifier,
  now: Date,
  maxPasses = 10,
): Promise<DeliveryReport[]> {
  const pending = await db.withPlatform((trx) => repo.pendingDeliveries(trx, maxPasses));
  const reports: DeliveryReport[] = [];
  for (const row of pending) {
    const steps: ('trigger' | 'resolve')[] = [];
    if (!row.trigger_sent_at) steps.push('trigger');
    if (row.resolved_at && !row.resolve_sent_at) steps.push('resolve');
    for (const action of steps) {
      const results = await notifier.notify(eventOf(row, action, now));
      const done = results.every((r) => r.ok || !r.retryable);
      const failed = results.filter((r) => !r.ok).map((r) => `${r.destination}: ${r.error ?? r.status}`);
      await db.withPlatform((trx) =>
        repo.markDelivery(trx, row.alert_id, {
          ...(done && action === 'trigger' ? { triggerSentAt: now } : {}),
          ...(done && action === 'resolve' ? { resolveSentAt: now } : {}),
          error: failed.length > 0 ? failed.join('; ') : null,
          attempted: !done,
        }),
      );
      reports.push({ alert_id: row.alert_id, action, results, done });
      if (!done) break; // resolve only after the trigger went out
    }
  }
  return reports;
}
