/**
 * Outcomes: what happened at each property (signed or not, job value). Every call carries an idempotency key (per
 * tenant) so retries never double count; a later outcome for a property supersedes the earlier one and both are
 * kept; unknown or other tenants' properties and negative values are refused with the reason; outcomes after the
 * storm closed are accepted within a grace window and flagged late.
 */
import { recordJobEvent } from '../slo/slo.events.ts';
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { metrics } from '../../telemetry/metrics.ts';
import { authorize, actingTenant, type ServiceContext } from '../auth/principal.ts';
import { tenantOfStorm } from '../storms/storms.repo.ts';
import { parse } from '../validate.ts';
import { writeBatch, type StagedOutcome } from './outcomes-batch.repo.ts';
import { writeCoalesced } from './outcomes.coalesce.ts';
import { streamOutcomeCsv } from './outcomes.csv.ts';
import * as repo from './outcomes.repo.ts';
import {
  MAX_BATCH,
  MAX_IMPORT,
  OUTCOME_GRACE_DAYS,
  logOutcomeInput,
  groupIdempotencyKey,
  outcomeFields,
  stormRef,
  type BatchResult,
  type ImportOutcomesInput,
  type LogOutcomeInput,
  type LogOutcomesInput,
  type OutcomeView,
  type RefusedRow,
} from './outcomes.schema.ts';

const DAY_MS = 86_400_000;

/** Field names as callers write them (HTTP bodies and CSV headers are snake_case). */
function snake(field: string | undefined): string {
  return (field ?? '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function view(row: repo.OutcomeRow, eventId: string, replayed: boolean): OutcomeView {
  const cents = Number(row.value_cents);
  return {
    outcome_id: row.outcome_id,
    storm_id: row.storm_id,
    event_id: eventId,
    property_id: row.property_id,
    converted: row.converted,
    value_cents: cents,
    value: cents / 100,
    idempotency_key: row.idempotency_key,
    supersedes: row.supersedes,
    is_current: row.is_current,
    late: row.late,
    source: row.source,
    recorded_at: new Date(row.recorded_at).toISOString(),
    replayed,
  };
}

/** The tenant to act in: a tenant principal's own; the operator's by storm id (or named). */
async function tenantFor(
  ctx: ServiceContext,
  ref: { stormId?: string | undefined; tenantId?: string | undefined },
): Promise<string> {
  if (ctx.principal.kind === 'tenant' || !ref.stormId) return actingTenant(ctx, ref.tenantId);
  const id = ref.stormId;
  const tenantId = await ctx.db.withPlatform((trx) => tenantOfStorm(trx, id));
  if (!tenantId) throw new AppError('NOT_FOUND', `storm ${id} not found`, { storm_id: id });
  return tenantId;
}

/** Refuses outcomes for a cancelled storm or past the grace window of a closed one; says whether it is late. */
export function stormGate(
  s: { status: string; event_id: string; closed_at: Date | null; now: Date },
  graceDays = OUTCOME_GRACE_DAYS,
): boolean {
  if (s.status === 'cancelled')
    throw new AppError('CONFLICT', `storm ${s.event_id} is cancelled: outcomes are not accepted`);
  if (s.status !== 'closed') return false;
  const closed = new Date(s.closed_at ?? s.now).getTime();
  const until = new Date(closed + graceDays * DAY_MS);
  if (new Date(s.now).getTime() > until.getTime()) {
    throw new AppError(
      'CONFLICT',
      `storm ${s.event_id} closed on ${new Date(closed).toISOString()}: outcomes were accepted until ${until.toISOString()} (${graceDays}-day grace)`,
      {
        closed_at: new Date(closed).toISOString(),
        accepted_until: until.toISOString(),
      },
    );
  }
  return true;
}

function centsOf(o: { value?: number | undefined; valueCents?: number | undefined }): number {
  return o.valueCents ?? (o.value !== undefined ? Math.round(o.value * 100) : 0);
}

/** An outcome logged within this many hours of the home's first knock counts as ingested on time (data health's p90). */
export const INGESTION_LAG_TARGET_HOURS = 48;

/** Records one outcome (playbook: log_outcome(property_id, event_id, converted, value)). */
export async function logOutcome(ctx: ServiceContext, input: LogOutcomeInput): Promise<OutcomeView> {
  authorize(ctx, 'outcomes:write');
  const o = parse(logOutcomeInput, input);
  const tenantId = await tenantFor(ctx, o);
  const key = o.idempotencyKey ?? randomUUID();
  const cents = centsOf(o);
  const r = await writeCoalesced(
    ctx.db,
    tenantId,
    {
      propertyId: o.propertyId,
      stormId: o.stormId,
      eventId: o.eventId,
      converted: o.converted,
      valueCents: cents,
      key,
    },
    (storm) => stormGate(storm),
  );
  if (r instanceof AppError) throw r;
  if (!r.replayed) metrics.outcomesLogged.inc(1);
  return view(r.row, r.eventId, r.replayed);
}

/** Orders versions along their `supersedes` chain (rows written by one batch can share a timestamp). */
function chainOrder(rows: repo.OutcomeRow[]): repo.OutcomeRow[] {
  const next = new Map<string | null, repo.OutcomeRow>();
  for (const r of rows) next.set(r.supersedes, r);
  const ids = new Set(rows.map((r) => r.outcome_id));
  const out: repo.OutcomeRow[] = [];
  let cur = rows.find((r) => r.supersedes === null || !ids.has(r.supersedes));
  while (cur && out.length < rows.length) {
    out.push(cur);
    cur = next.get(cur.outcome_id);
  }
  return out.length === rows.length ? out : rows; // a broken chain (never expected): keep time order
}

/** Every version of a property's outcome, oldest first; the current one is the last. */
export async function outcomeHistory(
  ctx: ServiceContext,
  input: { propertyId: string; tenantId?: string },
): Promise<OutcomeView[]> {
  authorize(ctx, 'outcomes:read');
  const tenantId = actingTenant(ctx, input.tenantId);
  return ctx.db.withTenant(tenantId, async (trx) => {
    const rows = chainOrder(await repo.outcomeHistory(trx, input.propertyId));
    // No outcome yet: an unknown property (or another tenant's) is not found, a known one has an empty history.
    if (!rows.length && !(await repo.propertyExists(trx, input.propertyId)))
      throw new AppError('NOT_FOUND', `property ${input.propertyId} not found`, { property_id: input.propertyId });
    const event = rows[0] ? ((await repo.eventOfStorm(trx, rows[0].storm_id)) ?? '') : '';
    return rows.map((r) => view(r, event, false));
  });
}

/** Many outcomes of one storm in one transaction, set-based; each row answered (accepted, replayed, or refused). */
export async function logOutcomes(ctx: ServiceContext, input: LogOutcomesInput): Promise<BatchResult> {
  authorize(ctx, 'outcomes:write');
  const started = performance.now();
  const ref = parse(stormRef, { stormId: input.stormId, eventId: input.eventId, tenantId: input.tenantId });
  if (!Array.isArray(input.outcomes))
    throw new AppError('VALIDATION', 'outcomes must be a list', { field: 'outcomes' });
  if (input.outcomes.length > MAX_BATCH)
    throw new AppError('PAYLOAD_TOO_LARGE', `at most ${MAX_BATCH} outcomes per batch`);
  const batchKey =
    input.idempotencyKey === undefined
      ? undefined
      : parse(groupIdempotencyKey, input.idempotencyKey, 'idempotency_key');
  const refused: RefusedRow[] = [];
  const rows: StagedOutcome[] = [];
  input.outcomes.forEach((raw, i) => {
    const r = outcomeFields.safeParse(raw);
    const fallback = batchKey ? `${batchKey}:${i + 1}` : randomUUID();
    if (!r.success) {
      const issue = r.error.issues[0];
      const key = typeof raw?.idempotencyKey === 'string' ? raw.idempotencyKey : fallback;
      refused.push({
        row: i + 1,
        idempotency_key: key,
        code: 'VALIDATION',
        reason: `${snake(issue?.path.join('.')) || 'row'}: ${issue?.message}`,
      });
    } else {
      const key = r.data.idempotencyKey ?? fallback;
      rows.push({
        row: i + 1,
        propertyId: r.data.propertyId,
        converted: r.data.converted,
        valueCents: centsOf(r.data),
        key,
      });
    }
  });
  const result = await batchInStorm(ctx, ref, {
    rows,
    refused,
    received: input.outcomes.length,
    source: input.source ?? 'batch',
    started,
  });
  metrics.outcomesLogged.inc(result.accepted);
  // Fresh statistics for the report's joins (PGlite runs no autovacuum).
  if (result.accepted > 0) await ctx.db.analyze(['outcome']);
  return result;
}

async function batchInStorm(
  ctx: ServiceContext,
  ref: { stormId?: string | undefined; eventId?: string | undefined; tenantId?: string | undefined },
  b: {
    rows: StagedOutcome[];
    refused: RefusedRow[];
    /** Rows refused before the database, when more than `refused` lists (default: its length). */
    refusedCount?: number;
    received: number;
    source: string;
    started: number;
  },
): Promise<BatchResult> {
  const tenantId = await tenantFor(ctx, ref);
  const written = await ctx.db.withTenant(tenantId, async (trx) => {
    const since = await repo.databaseNow(trx);
    const storm = await repo.lockStorm(trx, ref);
    if (!storm)
      throw new AppError('NOT_FOUND', `storm ${ref.stormId ?? ref.eventId} not found`, {
        storm_id: ref.stormId ?? null,
        event_id: ref.eventId ?? null,
      });
    const late = stormGate(storm);
    const c = await writeBatch(trx, { tenantId, stormId: storm.storm_id, late, source: b.source, rows: b.rows });
    const refusedAll = [...b.refused, ...c.refused].sort((x, y) => x.row - y.row).slice(0, 1000);
    const lag = await repo.ingestionLag(trx, storm.storm_id, since, INGESTION_LAG_TARGET_HOURS);
    const result = {
      storm_id: storm.storm_id,
      received: b.received,
      accepted: c.accepted,
      replayed: c.replayed,
      refused_count: (b.refusedCount ?? b.refused.length) + c.refusedCount,
      late: late ? c.accepted : 0,
      refused: refusedAll,
      elapsed_ms: Math.round(performance.now() - b.started),
    };
    return { result, lag };
  });
  // The outcome-ingestion-lag SLO, fed once the batch has committed.
  // Best effort: the outcomes are already written, so a failure to count them must not fail the call.
  await recordJobEvent(ctx.db, { series: 'job.outcomes.ingestion_lag', counts: written.lag, at: new Date() }).catch(
    () => {},
  );
  return written.result;
}

/** Rows between two yields to the event loop while a CSV import reads and checks its rows. */
const YIELD_EVERY_ROWS = 2_000;
/** Refused rows kept to answer (the rest are only counted), so a junk file cannot grow the answer or the heap. */
const REFUSED_KEPT = 1_000;

/**
 * A CSV of outcomes into a storm; rows are keyed `<key>:<line>` (key default: SHA-256 of the file). The caller, the
 * storm (exists in the tenant, still accepts outcomes) and the key are checked before a byte of the file is read;
 * then the file is read as it arrives, a line at a time, yielding to the event loop every few thousand rows, and
 * refused at once when it passes MAX_IMPORT rows. Memory is bounded by the row cap, never by the junk in the file.
 */
export async function importOutcomes(ctx: ServiceContext, input: ImportOutcomesInput): Promise<BatchResult> {
  authorize(ctx, 'outcomes:write');
  const started = performance.now();
  const source = input.text;
  if (typeof source !== 'string' && !(source && Symbol.asyncIterator in Object(source)))
    throw new AppError('VALIDATION', 'send the CSV as text', { field: 'text' });
  const givenKey =
    input.idempotencyKey === undefined
      ? undefined
      : parse(groupIdempotencyKey, input.idempotencyKey, 'idempotency_key');
  const ref = { stormId: parse(stormRef, { stormId: input.stormId }).stormId };
  await checkStormAcceptsOutcomes(ctx, ref);

  const hash = createHash('sha256');
  const chunks: AsyncIterable<string | Uint8Array> = typeof source === 'string' ? oneChunk(source) : source;
  const refused: RefusedRow[] = [];
  let refusedCount = 0;
  let received = 0;
  const rows: Array<Omit<StagedOutcome, 'key'> & { key: string | undefined }> = [];
  const refuse = (r: RefusedRow): boolean => {
    refusedCount++;
    if (refused.length >= REFUSED_KEPT) return false;
    refused.push(r);
    return true;
  };
  const keyLater = new Set<RefusedRow>();
  let sliceStart = performance.now();
  for await (const event of streamOutcomeCsv(chunks, givenKey ? undefined : (c) => hash.update(c))) {
    if (event.kind === 'header-error') {
      refuse(event.refused);
      received++;
      break;
    }
    received++;
    if (received > MAX_IMPORT) throw new AppError('PAYLOAD_TOO_LARGE', `at most ${MAX_IMPORT} outcomes per file`);
    if (event.kind === 'refused') refuse(event.refused);
    else {
      const r = outcomeFields.safeParse(event.fields);
      if (!r.success) {
        const issue = r.error.issues[0];
        const row: RefusedRow = {
          row: event.line,
          idempotency_key: event.fields.idempotencyKey ?? null,
          code: 'VALIDATION',
          reason: `${snake(issue?.path.join('.')) || 'row'}: ${issue?.message}`,
        };
        // Keyed by the file, which is known once it is read.
        if (refuse(row) && row.idempotency_key === null) keyLater.add(row);
      } else
        rows.push({
          row: event.line,
          propertyId: r.data.propertyId,
          converted: r.data.converted,
          valueCents: centsOf(r.data),
          key: r.data.idempotencyKey,
        });
    }
    if (received % YIELD_EVERY_ROWS === 0 || performance.now() - sliceStart > 10) {
      await new Promise((r) => setImmediate(r));
      sliceStart = performance.now();
    }
  }
  const fileKey = givenKey ?? `csv:${hash.digest('hex').slice(0, 32)}`;
  for (const r of keyLater) r.idempotency_key = `${fileKey}:${r.row}`;
  const staged: StagedOutcome[] = rows.map((r) => ({ ...r, key: r.key ?? `${fileKey}:${r.row}` }));
  const result = await batchInStorm(ctx, ref, {
    rows: staged,
    refused,
    refusedCount,
    received,
    source: 'import',
    started,
  });
  metrics.outcomesLogged.inc(result.accepted);
  return result;
}

async function* oneChunk(text: string): AsyncGenerator<string> {
  // Big strings (SDK and CLI callers) are handed over in slices, so the reader yields between them.
  for (let i = 0; i < text.length; i += 1 << 20) yield text.slice(i, i + (1 << 20));
}

/** Before reading a file: the storm exists in the caller's tenant and still accepts outcomes. */
async function checkStormAcceptsOutcomes(ctx: ServiceContext, ref: { stormId?: string | undefined }): Promise<void> {
  const tenantId = await tenantFor(ctx, ref);
  await ctx.db.withTenant(tenantId, async (trx) => {
    const storm = await repo.lockStorm(trx, ref);
    if (!storm) throw new AppError('NOT_FOUND', `storm ${ref.stormId} not found`, { storm_id: ref.stormId ?? null });
    stormGate(storm);
  });
}
