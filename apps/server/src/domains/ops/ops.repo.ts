/** SQL for the operator's routines (platform role: counts and timestamps across tenants). */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';

export interface TenantKpiRow {
  tenant_id: string;
  org_name: string;
  tier: string;
  status: string;
  created_at: Date;
  storms: number;
  active_storms: number;
  properties: number;
  scored: number;
  knocks: number;
  outcomes: number;
  conversions: number;
  revenue_cents: number;
}

/** Per tenant: storms and properties in total; knocks and outcomes (current ones) recorded in [from, to). */
export async function tenantKpis(trx: Trx, from: Date, to: Date): Promise<TenantKpiRow[]> {
  const r = await sql<Record<keyof TenantKpiRow, unknown>>`
    select t.tenant_id, t.org_name, t.tier, t.status, t.created_at,
      coalesce(s.storms, 0) as storms, coalesce(s.active, 0) as active_storms,
      coalesce(p.n, 0) as properties, coalesce(sc.n, 0) as scored, coalesce(k.n, 0) as knocks,
      coalesce(o.n, 0) as outcomes, coalesce(o.conversions, 0) as conversions, coalesce(o.revenue, 0) as revenue_cents
    from tenant t
    left join (select tenant_id, count(*) as storms, count(*) filter (where status = 'active') as active
               from storm group by tenant_id) s on s.tenant_id = t.tenant_id
    left join (select tenant_id, count(*) as n from property group by tenant_id) p on p.tenant_id = t.tenant_id
    left join (select tenant_id, count(*) as n from property_score group by tenant_id) sc on sc.tenant_id = t.tenant_id
    left join (select tenant_id, count(*) as n from knock where recorded_at >= ${from} and recorded_at < ${to}
               group by tenant_id) k on k.tenant_id = t.tenant_id
    left join (select tenant_id, count(*) as n, count(*) filter (where converted) as conversions,
                 sum(value_cents) as revenue
               from outcome where is_current and recorded_at >= ${from} and recorded_at < ${to}
               group by tenant_id) o on o.tenant_id = t.tenant_id
    order by t.created_at, t.tenant_id`.execute(trx);
  return r.rows.map((x) => ({
    tenant_id: String(x.tenant_id),
    org_name: String(x.org_name),
    tier: String(x.tier),
    status: String(x.status),
    created_at: new Date(x.created_at as Date),
    storms: Number(x.storms),
    active_storms: Number(x.active_storms),
    properties: Number(x.properties),
    scored: Number(x.scored),
    knocks: Number(x.knocks),
    outcomes: Number(x.outcomes),
    conversions: Number(x.conversions),
    revenue_cents: Number(x.revenue_cents),
  }));
}

export interface RetentionRow {
  category: string;
  rows: number;
  oldest: Date | null;
}

/** What is older than `cutoff` in each kept category (see ops.service.ts for what each means). */
export async function retentionCounts(trx: Trx, cutoff: Date, metricCutoff: Date): Promise<RetentionRow[]> {
  const r = await sql<{ category: string; rows: string; oldest: Date | null }>`
    select 'closed_storms' as category, count(*) as rows, min(updated_at) as oldest from storm
      where status in ('closed', 'cancelled') and updated_at < ${cutoff}
    union all
    select 'properties_of_closed_storms', count(*), null from property p
      where exists (select 1 from storm s where s.tenant_id = p.tenant_id and s.storm_id = p.storm_id
                    and s.status in ('closed', 'cancelled') and s.updated_at < ${cutoff})
    union all
    select 'import_errors', count(*), min(i.started_at) from property_import_error e
      join property_import i on i.tenant_id = e.tenant_id and i.import_id = e.import_id where i.started_at < ${cutoff}
    union all
    select 'resolved_alerts', count(*), min(opened_at) from alert_incident
      where resolved_at is not null and resolved_at < ${cutoff}
    union all
    select 'metric_buckets_past_retention', count(*), min(bucket_start) from metric_bucket where bucket_start < ${metricCutoff}
    union all
    select 'storm_health_checks', count(*), min(checked_at) from storm_health_check where checked_at < ${cutoff}`.execute(
    trx,
  );
  return r.rows.map((x) => ({
    category: x.category,
    rows: Number(x.rows),
    oldest: x.oldest ? new Date(x.oldest) : null,
  }));
}

export async function backupLocations(trx: Trx): Promise<{ location: string; completed_at: Date }[]> {
  return trx.selectFrom('backup_log').select(['location', 'completed_at']).orderBy('completed_at').execute();
}

export interface IncidentRow {
  alert_key: string;
  severity: string;
  opened_at: Date;
  resolved_at: Date | null;
  trigger_sent_at: Date | null;
}

export async function incidentsOpenedIn(trx: Trx, from: Date, to: Date): Promise<IncidentRow[]> {
  return trx
    .selectFrom('alert_incident')
    .select(['alert_key', 'severity', 'opened_at', 'resolved_at', 'trigger_sent_at'])
    .where('opened_at', '>=', from)
    .where('opened_at', '<', to)
    .orderBy('opened_at')
    .execute();
}
