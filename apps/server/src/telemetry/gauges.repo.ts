/** The platform-wide counts /metrics reports at scrape time (platform role; counts only, never ids or names). */
import { sql } from 'kysely';
import type { Trx } from '../db/database.ts';

export interface PlatformCounts {
  tenants: { tier: string; status: string; n: number }[];
  storms: { status: string; n: number }[];
  lastVerifiedBackup: Date | null;
}

export async function platformCounts(trx: Trx): Promise<PlatformCounts> {
  const tenants = await sql<{ tier: string; status: string; n: string }>`
    select tier, status, count(*) as n from tenant group by tier, status`.execute(trx);
  const storms = await sql<{ status: string; n: string }>`
    select status, count(*) as n from storm group by status`.execute(trx);
  const backup = await sql<{ at: Date | null }>`
    select max(completed_at) as at from backup_log where verified_at is not null`.execute(trx);
  return {
    tenants: tenants.rows.map((r) => ({ tier: r.tier, status: r.status, n: Number(r.n) })),
    storms: storms.rows.map((r) => ({ status: r.status, n: Number(r.n) })),
    lastVerifiedBackup: backup.rows[0]?.at ?? null,
  };
}
