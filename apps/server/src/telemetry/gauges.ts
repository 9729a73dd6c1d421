/**
 * Gauges read from the database when Prometheus scrapes (customer health and operations dashboards, the backup-age
 * alert). One platform transaction per scrape; when the database is down the gauges are left out of that scrape
 * rather than failing /metrics (the request metrics still report it).
 */
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import { platformCounts, type PlatformCounts } from './gauges.repo.ts';

export function registerPlatformGauges(registry: Registry, db: Database): void {
  let pending: Promise<PlatformCounts | undefined> | undefined;
  // The three gauges' collect() run in one scrape: share one read.
  const read = () => {
    pending ??= db
      .withPlatform(platformCounts)
      .catch(() => undefined)
      .finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };
  new Gauge({
    name: 'stormops_tenants',
    help: 'Tenants by tier and status.',
    labelNames: ['tier', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of (await read())?.tenants ?? []) this.labels(t.tier, t.status).set(t.n);
    },
  });
  new Gauge({
    name: 'stormops_storms',
    help: 'Storms by status, across tenants.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await read())?.storms ?? []) this.labels(s.status).set(s.n);
    },
  });
  new Gauge({
    name: 'stormops_tenant_health_band',
    help: "Tenants by customer-health band of their latest daily snapshot (never a tenant's id).",
    labelNames: ['band'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const h of (await read())?.health ?? []) this.labels(h.band).set(h.n);
    },
  });
  new Gauge({
    name: 'stormops_tenants_flagged',
    help: 'Tenants flagged by their latest customer-health snapshot: low_health, high_usage, overdue_invoice.',
    labelNames: ['flag'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const f of (await read())?.flags ?? []) this.labels(f.flag).set(f.n);
    },
  });
  new Gauge({
    name: 'stormops_backup_last_verified_timestamp_seconds',
    help: 'When the newest backup whose restore was verified was taken (Unix seconds; 0 without one).',
    registers: [registry],
    async collect() {
      const at = (await read())?.lastVerifiedBackup;
      this.set(at ? new Date(at).getTime() / 1000 : 0);
    },
  });
}
