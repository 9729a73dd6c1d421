/** SQL behind customer health: activity, outcome logging, pilot satisfaction, daily snapshots. */
import { sql } from 'kysely';
import type { Q } from './billing.repo.ts';

export async function lastActivity(trx: Q, tenantId: string): Promise<Date | null> {
  const r = await trx
    .selectFrom('usage_event')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('tenant_id', '=', tenantId)
    .where('source', '<>', 'signup')
    .executeTakeFirst();
  return r?.at ? new Date(r.at as Date) : null;
}

export async function upsertHealthSnapshot(
  trx: Q,
  s: { tenant_id: string; day: string; score: number; components: Record<string, unknown>; flags: string[] },
): Promise<void> {
  await trx
    .insertInto('customer_health_snapshot')
    .values({ ...s, components: JSON.stringify(s.components) })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'day']).doUpdateSet({
        score: s.score,
        components: JSON.stringify(s.components),
        flags: s.flags,
        taken_at: new Date(),
      }),
    )
    .execute();
}

export function healthSnapshots(trx: Q, tenantId: string, limit: number) {
  return trx
    .selectFrom('customer_health_snapshot')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'score', 'flags'])
    .where('tenant_id', '=', tenantId)
    .orderBy('customer_health_snapshot.day', 'desc')
    .limit(limit)
    .execute();
}

/** Assigned properties (both arms) of the last `days` days and how many of them have an outcome logged. */
export async function outcomeCompliance(trx: Q, tenantId: string, since: Date) {
  const r = await sql<{ assigned: string; logged: string }>`
    select count(*) as assigned,
           count(*) filter (where exists (
             select 1 from outcome o
              where o.tenant_id = a.tenant_id and o.storm_id = a.storm_id and o.property_id = a.property_id
                and o.is_current)) as logged
      from assignment a
     where a.tenant_id = ${tenantId} and a.assigned_at >= ${since}`.execute(trx);
  const row = r.rows[0];
  return { assigned: Number(row?.assigned ?? 0), logged: Number(row?.logged ?? 0) };
}

export async function latestPilotScore(trx: Q, tenantId: string): Promise<number | null> {
  const r = await trx
    .selectFrom('pilot_feedback')
    .select('score')
    .where('tenant_id', '=', tenantId)
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? Number(r.score) : null;
}
