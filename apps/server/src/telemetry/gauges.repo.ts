/** The platform-wide counts /metrics reports at scrape time (platform role; counts only, never ids or names). */
import { sql } from 'kysely';
import type { Trx } from '../db/database.ts';

export interface PlatformCounts {
  tenants: { tier: string; status: string; n: number }[];
  storms: { status: string; n: number }[];
  lastVerifiedBackup: Date | null;
  /** Tenants by health band and by flag, from each tenant's latest customer-health snapshot (docs/billing.md). */
  health: { band: string; n: number }[];
  flags: { flag: string; n: number }[];
}

export async function platformCounts(trx: Trx): Promise<PlatformCounts> {
  const tenants = await sql<{ tier: string; status: string; n: string }>`
    select tier, status, count(*) as n from tenant group by tier, status`.execute(trx);
  const storms = await sql<{ status: string; n: string }>`
    select status, count(*) as n from storm group by status`.execute(trx);
  const backup = await sql<{ at: Date | null }>`
    select max(completed_at) as at from backup_log where verified_at is not null`.execute(trx);
  const latest = sql`(select distinct on (tenant_id) tenant_id, score, flags from customer_health_snapshot
    order by tenant_id, day desc)`;
  const health = await sql<{ band: string; n: string }>`
    select case when score < 0.5 then 'below_0.5' when score < 0.75 then '0.5_to_0.75'
                when score < 0.9 then '0.75_to_0.9' else '0.9_and_above' end as band, count(*) as n
      from ${latest} h group by 1`.execute(trx);
  const flags = await sql<{ flag: string; n: string }>`
    select f as flag, count(*) as n from ${latest} h, unnest(h.flags) f group by f`.execute(trx);
  return {
    health: health.rows.map((r) => ({ band: r.band, n: Number(r.n) })),
    flags: flags.rows.map((r) => ({ flag: r.flag, n: Number(r.n) })),
    tenants: tenants.rows.map((r) => ({ tier: r.tier, status: r.status, n: Number(r.n) })),
    storms: storms.rows.map((r) => ({ status: r.status, n: Number(r.n) })),
    lastVerifiedBackup: backup.rows[0]?.at ?? null,
  };
}
