/**
 * The `api_calls` metric: every API request a tenant's credential makes is counted in memory and written to the
 * usage ledger every few seconds and when the server closes, one idempotent row per tenant and flush (the key names
 * this process and the flush, so a retried write counts once). A process killed outright loses at most one
 * interval's count: metering must not add a write to every request.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { announceQuotaAlerts, meterInTx, type QuotaAlert } from './metering.ts';

export const API_CALL_FLUSH_MS = 5_000;

export class ApiCallMeter {
  private counts = new Map<string, number>();
  private readonly instance = randomUUID();
  private flushes = 0;

  constructor(private readonly db: Database) {}

  count(tenantId: string): void {
    this.counts.set(tenantId, (this.counts.get(tenantId) ?? 0) + 1);
  }

  /** Writes the counts so far; a tenant whose write fails keeps its count for the next flush. */
  async flush(): Promise<void> {
    if (this.counts.size === 0) return;
    const batch = this.counts;
    this.counts = new Map();
    const flush = ++this.flushes;
    const alerts: QuotaAlert[] = [];
    for (const [tenantId, n] of batch) {
      try {
        const m = await this.db.withTenant(tenantId, (trx) =>
          meterInTx(trx, { tenantId, metric: 'api_calls', quantity: n, key: `api:${this.instance}:${flush}` }),
        );
        alerts.push(...m.alerts);
      } catch {
        this.counts.set(tenantId, (this.counts.get(tenantId) ?? 0) + n);
      }
    }
    await announceQuotaAlerts(this.db, alerts).catch(() => {});
  }
}

export function installApiCallMetering(app: FastifyInstance, db: Database): ApiCallMeter {
  const meter = new ApiCallMeter(db);
  app.addHook('onResponse', async (request) => {
    const p = request.principal;
    if (p?.kind === 'tenant') meter.count(p.tenantId);
  });
  const timer = setInterval(() => void meter.flush().catch(() => {}), API_CALL_FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await meter.flush().catch(() => {});
  });
  return meter;
}
