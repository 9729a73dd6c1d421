/**
 * Set-based outcome batches: rows go into a temporary stage in one statement (unnest of column arrays), are checked
 * in SQL (unknown property, other storm, repeated key with another payload), the touched properties are locked,
 * correction chains are built with window functions and everything is written with one INSERT ... ON CONFLICT.
 * A constant number of statements whatever the batch size.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { RefusedRow } from './outcomes.schema.ts';

export interface StagedOutcome {
  row: number;
  propertyId: string;
  converted: boolean;
  valueCents: number;
  key: string;
}

export interface BatchCounts {
  accepted: number;
  replayed: number;
  /** All refused rows (the list below holds the first 1,000). */
  refusedCount: number;
  refused: RefusedRow[];
}

/**
 * One pass: the rows (unnest of column arrays) joined to their property and to any outcome already holding their
 * key, with the first-row-wins rule for keys repeated in the batch, into the stage with a status per row.
 */
async function stage(trx: Trx, stormId: string, rows: StagedOutcome[]): Promise<void> {
  await sql`create temp table outcome_stage on commit drop as
    with i as (
      select *, first_value(row_no) over k as first_row, row_number() over k as nth,
        first_value(property_id) over k as f_pid, first_value(converted) over k as f_conv, first_value(value_cents) over k as f_cents
      from unnest(${rows.map((r) => r.row)}::int[], ${rows.map((r) => r.propertyId)}::uuid[], ${rows.map((r) => r.converted)}::bool[],
        ${rows.map((r) => r.valueCents)}::int8[], ${rows.map((r) => r.key)}::text[]) as u(row_no, property_id, converted, value_cents, key)
      window k as (partition by key order by row_no)
    ), c as (
      select i.*, p.storm_id as p_storm, o.property_id as o_pid, o.converted as o_conv, o.value_cents as o_cents
      -- Lateral probes (one index lookup per row), never a hash of the tenant's whole property or outcome table.
      from i
      left join lateral (select p.storm_id from property p where p.property_id = i.property_id) p on true
      left join lateral (select o.property_id, o.converted, o.value_cents from outcome o where o.idempotency_key = i.key) o on true
    )
    select row_no, property_id, converted, value_cents, key, gen_random_uuid() as outcome_id,
      case
        when p_storm is null then 'NOT_FOUND'
        when p_storm <> ${stormId}::uuid then 'OTHER_STORM'
        when nth > 1 and (property_id, converted, value_cents) is distinct from (f_pid, f_conv, f_cents) then 'BATCH_CONFLICT'
        when nth > 1 then 'replay'
        when o_pid is not null and (property_id, converted, value_cents) is distinct from (o_pid, o_conv, o_cents) then 'CONFLICT'
        when o_pid is not null then 'replay'
        else 'ok'
      end as status,
      first_row
    from c`.execute(trx);
}

/** Locks the touched properties (corrections of one property serialize on its row), then writes the chain. */
async function write(trx: Trx, a: { tenantId: string; stormId: string; late: boolean; source: string }): Promise<number> {
  await sql`select 1 from property
    where property_id = any(array(select property_id from outcome_stage where status = 'ok' order by property_id))
    for no key update`.execute(trx);
  const r = await sql<{ n: string }>`
    with ch as (
      select st.*, lag(outcome_id) over w as prev, lead(row_no) over w is null as is_last
      from outcome_stage st where status = 'ok' window w as (partition by property_id order by row_no)
    ), cur as (
      select o.property_id, o.outcome_id from outcome o
      where o.is_current and o.property_id = any(array(select distinct property_id from outcome_stage where status = 'ok'))
    ), retired as (
      update outcome set is_current = false where outcome_id in (select outcome_id from cur) returning 1
    ), ins as (
      insert into outcome (tenant_id, outcome_id, storm_id, property_id, converted, value_cents, idempotency_key, supersedes, is_current, late, source)
      select ${a.tenantId}::uuid, ch.outcome_id, ${a.stormId}::uuid, ch.property_id, ch.converted, ch.value_cents, ch.key,
        coalesce(ch.prev, cur.outcome_id), ch.is_last, ${a.late}, ${a.source}
      from ch left join cur on cur.property_id = ch.property_id
      order by ch.row_no
      on conflict (tenant_id, idempotency_key) do nothing
      returning outcome_id
    )
    select (select count(*) from ins) as n, (select count(*) from retired) as retired`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

const REASONS = sql`case status
    when 'NOT_FOUND' then 'property ' || property_id || ' not found'
    when 'OTHER_STORM' then 'property ' || property_id || ' belongs to another storm'
    when 'BATCH_CONFLICT' then 'idempotency key ' || key || ' was used by row ' || first_row || ' with a different payload'
    when 'CONFLICT' then 'idempotency key ' || key || ' was already used with a different payload'
    else 'idempotency key ' || key || ' was written concurrently; retry' end`;

/** Stages, checks and writes a batch for one storm; returns counts and every refused row with its reason. */
export async function writeBatch(
  trx: Trx,
  a: { tenantId: string; stormId: string; late: boolean; source: string; rows: StagedOutcome[] },
): Promise<BatchCounts> {
  if (a.rows.length === 0) return { accepted: 0, replayed: 0, refusedCount: 0, refused: [] };
  await stage(trx, a.stormId, a.rows);
  const ok = Number((await sql<{ n: string }>`select count(*) as n from outcome_stage where status = 'ok'`.execute(trx)).rows[0]?.n ?? 0);
  const written = ok > 0 ? await write(trx, a) : 0;
  if (written < ok) {
    // A concurrent writer took some keys between the check and the insert: those rows are refused (retry = replay).
    await sql`update outcome_stage st set status = 'RACE' where st.status = 'ok'
      and not exists (select 1 from outcome o where o.outcome_id = st.outcome_id)`.execute(trx);
  }
  const counts = await sql<{ status: string; n: string }>`select status, count(*) as n from outcome_stage group by status`.execute(trx);
  const refused = await sql<{ row_no: number; key: string; status: string; reason: string }>`
    select row_no, key, status, ${REASONS} as reason from outcome_stage where status not in ('ok', 'replay') order by row_no limit 1000`.execute(trx);
  await sql`drop table outcome_stage`.execute(trx);
  const n = (s: string) => Number(counts.rows.find((c) => c.status === s)?.n ?? 0);
  const total = counts.rows.reduce((sum, c) => sum + Number(c.n), 0);
  return {
    accepted: written,
    replayed: n('replay'),
    refusedCount: total - written - n('replay'),
    refused: refused.rows.map((r) => ({
      row: r.row_no,
      idempotency_key: r.key,
      code: r.status === 'NOT_FOUND' ? 'NOT_FOUND' : r.status === 'OTHER_STORM' ? 'VALIDATION' : 'CONFLICT',
      reason: r.reason,
    })),
  };
}
