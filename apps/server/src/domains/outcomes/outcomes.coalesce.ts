/**
 * Group commit for single outcomes. Each `logOutcome` call is one request, but the database's cost is per
 * transaction and per statement: BEGIN, tenant setup, lock, insert, COMMIT and its WAL flush. Calls of one tenant
 * that arrive while its previous group is being written wait for that group and go together in the next one, through
 * the set-based batch writer (outcomes-batch.repo.ts), one transaction for the group. Each call still gets its own answer
 * (its row, a replay, or its own refusal), exactly as if it had been written alone; a lone call is written at once.
 * Calls for one property are written in the order they were made.
 */
import type { Database, Trx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { writeBatch, type StagedOutcome } from './outcomes-batch.repo.ts';
import { lockPropertyStorms, type OutcomeRow, type PropertyStorm } from './outcomes.repo.ts';

export interface SingleOutcome {
  propertyId: string;
  stormId?: string | undefined;
  eventId?: string | undefined;
  converted: boolean;
  valueCents: number;
  key: string;
}

/** What a call gets: its row (replayed or not) with its storm's event id, or the refusal it would have had alone. */
export type SingleResult = { row: OutcomeRow; eventId: string; replayed: boolean } | AppError;

/** Most calls written in one transaction. */
const MAX_GROUP = 500;

interface Waiting {
  outcome: SingleOutcome;
  done: (r: SingleResult) => void;
  fail: (err: unknown) => void;
}

/**
 * Writers per tenant, each owning the properties whose id hashes to it: calls for one property are always written
 * by the same writer, in the order they were made (a correction after its original), while the other writer's
 * group is in Postgres on another connection. Writers lock disjoint properties, so they cannot deadlock.
 */
const WRITERS = 2;

interface Queue {
  waiting: Waiting[];
  writing: boolean;
}

const queues = new WeakMap<Database, Map<string, Queue>>();

function writerOf(propertyId: string): number {
  return parseInt(propertyId.slice(-2), 16) % WRITERS || 0;
}

/** Writes one outcome, grouped with the tenant's concurrent calls. `gate` refuses or flags by the storm's state. */
export function writeCoalesced(
  db: Database,
  tenantId: string,
  outcome: SingleOutcome,
  gate: (s: PropertyStorm) => boolean,
): Promise<SingleResult> {
  let byWriter = queues.get(db);
  if (!byWriter) queues.set(db, (byWriter = new Map()));
  const name = `${tenantId}/${writerOf(outcome.propertyId)}`;
  let queue = byWriter.get(name);
  if (!queue) byWriter.set(name, (queue = { waiting: [], writing: false }));
  const q = queue;
  return new Promise<SingleResult>((done, fail) => {
    q.waiting.push({ outcome, done, fail });
    if (!q.writing) void drain(db, tenantId, q, gate, () => byWriter.delete(name));
  });
}

async function drain(
  db: Database,
  tenantId: string,
  q: Queue,
  gate: (s: PropertyStorm) => boolean,
  idle: () => void,
): Promise<void> {
  q.writing = true;
  try {
    while (q.waiting.length > 0) {
      const group = q.waiting.splice(0, MAX_GROUP);
      try {
        const results = await db.withTenant(tenantId, (trx) =>
          writeGroup(
            trx,
            tenantId,
            group.map((w) => w.outcome),
            gate,
          ),
        );
        group.forEach((w, i) => w.done(results[i]!));
      } catch (err) {
        for (const w of group) w.fail(err);
      }
    }
  } finally {
    q.writing = false;
    idle();
  }
}

/** One transaction for a group: lock and read the properties, decide refusals per call, then one write per storm. */
async function writeGroup(
  trx: Trx,
  tenantId: string,
  outcomes: SingleOutcome[],
  gate: (s: PropertyStorm) => boolean,
): Promise<SingleResult[]> {
  const info = await lockPropertyStorms(
    trx,
    outcomes.map((o) => o.propertyId),
  );
  const results: (SingleResult | undefined)[] = new Array(outcomes.length);
  const byStorm = new Map<string, { late: boolean; event: string; rows: StagedOutcome[] }>();
  outcomes.forEach((o, i) => {
    const found = info.get(o.propertyId);
    if (!found) {
      results[i] = new AppError('NOT_FOUND', `property ${o.propertyId} not found`, { property_id: o.propertyId });
      return;
    }
    if ((o.stormId && found.storm_id !== o.stormId) || (o.eventId && found.event_id !== o.eventId)) {
      results[i] = new AppError(
        'VALIDATION',
        `property ${o.propertyId} belongs to storm ${found.event_id}, not ${o.eventId ?? o.stormId}`,
        {
          property_id: o.propertyId,
        },
      );
      return;
    }
    let late: boolean;
    try {
      late = gate(found);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results[i] = err;
      return;
    }
    let storm = byStorm.get(found.storm_id);
    if (!storm) byStorm.set(found.storm_id, (storm = { late, event: found.event_id, rows: [] }));
    storm.rows.push({
      row: i + 1,
      propertyId: o.propertyId,
      converted: o.converted,
      valueCents: o.valueCents,
      key: o.key,
    });
  });
  for (const [stormId, storm] of byStorm) {
    const counts = await writeBatch(trx, {
      tenantId,
      stormId,
      late: storm.late,
      source: 'api',
      rows: storm.rows,
      shared: true,
      holders: true,
    });
    for (const r of storm.rows)
      results[r.row - 1] = answer(counts.statuses.get(r.row), counts.holders.get(r.row), r, storm.event);
  }
  return results.map((r) => r ?? new AppError('CONFLICT', 'the outcome was not written; retry'));
}

/** A row's status after the batch write, as the answer a lone call would have had. */
function answer(
  status: string | undefined,
  holder: OutcomeRow | undefined,
  r: StagedOutcome,
  eventId: string,
): SingleResult {
  if (status === 'ok' && holder) return { row: holder, eventId, replayed: false };
  if (!holder || status === 'RACE' || status === undefined) {
    return new AppError('CONFLICT', `idempotency key ${r.key} was written concurrently; retry`, {
      idempotency_key: r.key,
    });
  }
  if (
    holder.property_id !== r.propertyId ||
    holder.converted !== r.converted ||
    Number(holder.value_cents) !== r.valueCents
  ) {
    return new AppError('CONFLICT', `idempotency key ${r.key} was already used with a different outcome`, {
      idempotency_key: r.key,
      outcome_id: holder.outcome_id,
    });
  }
  return { row: holder, eventId, replayed: true };
}
