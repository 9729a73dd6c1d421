/**
 * Set-based outcome batches, in two statements whatever the batch size: take the storm's outcome-writer lock, then
 * one statement that takes the rows as column arrays, checks each (unknown property, other storm, repeated key with
 * another payload), builds correction chains with window functions, inserts with ON CONFLICT, retires the outcomes
 * the new ones supersede, and answers every row's status. The statement starts once the lock is held, so it sees
 * every correction committed before it.
 * Locking: a batch or CSV import holds its storm's lock alone, so no other writer touches the storm's outcomes
 * meanwhile (row locks on 100,000 properties would cost a WAL record, and after a checkpoint a full page, each);
 * groups of single calls (outcomes.coalesce.ts) share it, each holding the row locks of its few properties.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { OutcomeRow } from './outcomes.repo.ts';
import type { RefusedRow } from './outcomes.schema.ts';

export interface StagedOutcome {
  row: number;
  propertyId: string;
  converted: boolean;
  valueCents: number;
  key: string;
}

/** A row's fate: 'ok' (written), 'replay' (its key holds the same outcome), or why it was refused. */
export type RowStatus = 'ok' | 'replay' | 'NOT_FOUND' | 'OTHER_STORM' | 'BATCH_CONFLICT' | 'CONFLICT' | 'RACE';

export interface BatchCounts {
  accepted: number;
  replayed: number;
  /** All refused rows (the list below holds the first 1,000). */
  refusedCount: number;
  refused: RefusedRow[];
  /** Every row's status by row number. */
  statuses: Map<number, RowStatus>;
  /** With `holders`: the outcome now holding each written or replayed row's key, by row number. */
  holders: Map<number, OutcomeRow>;
}

export interface BatchOptions {
  tenantId: string;
  stormId: string;
  late: boolean;
  source: string;
  rows: StagedOutcome[];
  /** The caller holds the row locks of these properties (taken in id order): share the storm's lock. */
  shared?: boolean;
  /** Answer the outcome holding each accepted or replayed row's key (single calls need it; imports do not). */
  holders?: boolean;
}

type Answer = {
  row_no: number;
  status: Exclude<RowStatus, 'RACE'>;
  written: boolean;
  first_row: number;
} & Partial<OutcomeRow>;

/** Stages, checks and writes a batch for one storm; returns counts and every refused row with its reason. */
export async function writeBatch(trx: Trx, a: BatchOptions): Promise<BatchCounts> {
  const statuses = new Map<number, RowStatus>();
  const holders = new Map<number, OutcomeRow>();
  if (a.rows.length === 0) return { accepted: 0, replayed: 0, refusedCount: 0, refused: [], statuses, holders };
  await lockStormOutcomes(trx, a.stormId, a.shared === true);
  const answers = await writeRows(trx, a);
  const byRow = new Map(a.rows.map((r) => [r.row, r]));
  let accepted = 0;
  let replayed = 0;
  const refused: RefusedRow[] = [];
  let refusedCount = 0;
  for (const x of answers) {
    // A concurrent writer took the key between the check and the insert: refused (a retry replays it).
    const status: RowStatus = x.status === 'ok' && !x.written ? 'RACE' : x.status;
    statuses.set(x.row_no, status);
    if (a.holders && x.outcome_id) holders.set(x.row_no, x as OutcomeRow);
    if (status === 'ok') accepted++;
    else if (status === 'replay') replayed++;
    else {
      refusedCount++;
      const r = byRow.get(x.row_no)!;
      if (refused.length < 1000)
        refused.push({
          row: x.row_no,
          idempotency_key: r.key,
          code: codeOf(status),
          reason: reasonOf(status, r, x.first_row),
        });
    }
  }
  return { accepted, replayed, refusedCount, refused, statuses, holders };
}

/** The storm's outcome-writer lock (a transaction-level advisory lock keyed by the storm id). */
async function lockStormOutcomes(trx: Trx, stormId: string, shared: boolean): Promise<void> {
  await (
    shared
      ? sql`select pg_advisory_xact_lock_shared(hashtextextended(${stormId}, 0))`
      : sql`select pg_advisory_xact_lock(hashtextextended(${stormId}, 0))`
  ).execute(trx);
}

const HOLDER_COLUMNS = [
  'outcome_id',
  'storm_id',
  'property_id',
  'converted',
  'value_cents',
  'idempotency_key',
  'supersedes',
  'is_current',
  'late',
  'source',
  'recorded_at',
];

async function writeRows(trx: Trx, a: BatchOptions): Promise<Answer[]> {
  // The holder of a key: the row this statement wrote, else the row that held it before (a replay).
  const holder = a.holders
    ? sql.raw(`, ${HOLDER_COLUMNS.map((c) => `coalesce(w.${c}, h.${c}) as ${c}`).join(', ')}`)
    : sql``;
  const holderJoin = a.holders
    ? sql`left join ins w on w.idempotency_key = st.key
      left join lateral (select ${sql.raw(HOLDER_COLUMNS.join(', '))} from outcome o where o.idempotency_key = st.key) h on w.outcome_id is null`
    : sql``;
  const r = await sql<Answer>`
    with i as (
      select *, first_value(row_no) over k as first_row, row_number() over k as nth,
        first_value(property_id) over k as f_pid, first_value(converted) over k as f_conv, first_value(value_cents) over k as f_cents
      from unnest(${a.rows.map((x) => x.row)}::int[], ${a.rows.map((x) => x.propertyId)}::uuid[], ${a.rows.map((x) => x.converted)}::bool[],
        ${a.rows.map((x) => x.valueCents)}::int8[], ${a.rows.map((x) => x.key)}::text[]) as u(row_no, property_id, converted, value_cents, key)
      window k as (partition by key order by row_no)
    ), c as (
      select i.*, p.storm_id as p_storm, b.storm_id as b_storm, o.property_id as o_pid, o.converted as o_conv, o.value_cents as o_cents
      -- Lateral probes (one index lookup per row), never a hash of the tenant's whole property or outcome table. The
      -- property is looked for in this storm's table alone; a missing one whose id names an import of another storm
      -- (stormops_id_prefix, 0013) is that storm's.
      from i
      left join lateral (select p.storm_id from property p where p.storm_id = ${a.stormId}::uuid and p.property_id = i.property_id) p on true
      left join lateral (select b.storm_id from property_import b
        where p.storm_id is null and b.id_prefix = stormops_id_prefix(i.property_id) limit 1) b on true
      left join lateral (select o.property_id, o.converted, o.value_cents from outcome o where o.idempotency_key = i.key) o on true
    ), st as materialized (
      select row_no, property_id, converted, value_cents, key, first_row, gen_random_uuid() as outcome_id,
        case
          when p_storm is null and b_storm <> ${a.stormId}::uuid then 'OTHER_STORM'
          when p_storm is null then 'NOT_FOUND'
          when nth > 1 and (property_id, converted, value_cents) is distinct from (f_pid, f_conv, f_cents) then 'BATCH_CONFLICT'
          when nth > 1 then 'replay'
          when o_pid is not null and (property_id, converted, value_cents) is distinct from (o_pid, o_conv, o_cents) then 'CONFLICT'
          when o_pid is not null then 'replay'
          else 'ok'
        end as status
      from c
    ), ch as (
      select st.*, lag(outcome_id) over w as prev, lead(row_no) over w is null as is_last
      from st where status = 'ok' window w as (partition by property_id order by row_no)
    ), cur as (
      select o.property_id, o.outcome_id from outcome o
      where o.is_current and o.property_id = any(array(select distinct property_id from st where status = 'ok'))
    ), ins as (
      insert into outcome (tenant_id, outcome_id, storm_id, property_id, converted, value_cents, idempotency_key, supersedes, is_current, late, source)
      select ${a.tenantId}::uuid, ch.outcome_id, ${a.stormId}::uuid, ch.property_id, ch.converted, ch.value_cents, ch.key,
        coalesce(ch.prev, cur.outcome_id), ch.is_last, ${a.late}, ${a.source}
      from ch left join cur on cur.property_id = ch.property_id
      order by ch.row_no
      on conflict (tenant_id, idempotency_key) do nothing
      returning ${sql.raw(HOLDER_COLUMNS.join(', '))}
    ), retired as (
      -- Only where a new outcome of the property was written: a row lost to a race retires nothing.
      update outcome set is_current = false
      where outcome_id in (select cur.outcome_id from cur where cur.property_id in (select property_id from ins))
      returning 1
    )
    select st.row_no, st.status, st.first_row, ins.outcome_id is not null as written ${holder}
    from st left join ins on ins.outcome_id = st.outcome_id ${holderJoin}
    order by st.row_no`.execute(trx);
  return r.rows;
}

function codeOf(status: RowStatus): RefusedRow['code'] {
  return status === 'NOT_FOUND' ? 'NOT_FOUND' : status === 'OTHER_STORM' ? 'VALIDATION' : 'CONFLICT';
}

function reasonOf(status: RowStatus, r: StagedOutcome, firstRow: number): string {
  switch (status) {
    case 'NOT_FOUND':
      return `property ${r.propertyId} not found`;
    case 'OTHER_STORM':
      return `property ${r.propertyId} belongs to another storm`;
    case 'BATCH_CONFLICT':
      return `idempotency key ${r.key} was used by row ${firstRow} with a different payload`;
    case 'CONFLICT':
      return `idempotency key ${r.key} was already used with a different payload`;
    case 'RACE':
    case 'ok':
    case 'replay':
      return `idempotency key ${r.key} was written concurrently; retry`;
  }
}
