/** Outcome inputs and views, shared by the SDK, the CLI and the HTTP routes. Money: dollars in, integer cents stored. */
import { z } from 'zod';
import { text, safeInt } from '../fields.ts';

/** Outcomes arriving after the storm closed are accepted (and flagged late) for this many days. */
export const OUTCOME_GRACE_DAYS = 14;
/** Rows per batch call. */
export const MAX_BATCH = 100_000;
/** Rows per CSV import (one transaction). */
export const MAX_IMPORT = 1_000_000;

const uuid = z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` });
/** Text Postgres can store: a NUL character would fail the whole transaction, and with it every call grouped in it. */
const storable = (text: z.ZodString) => text.refine((v) => !v.includes('\0'), 'must not contain a NUL character');
export const idempotencyKey = storable(text().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'));
/** A batch's or file's key: each row is keyed `<key>:<row>`, which must still fit in 200 characters. */
export const groupIdempotencyKey = storable(
  text().trim().min(1, 'must not be empty').max(190, 'at most 190 characters'),
);

/** One outcome as the playbook passes it: log_outcome(property_id, event_id, converted, value=15000). */
const outcomeShape = {
  property_id: uuid,
  converted: z.boolean({ error: 'converted must be true or false' }),
  /** Job value in dollars (cents kept: 15000.5 -> 1500050). */
  value: z
    .number()
    .min(0, 'value must not be negative')
    .max(100_000_000)
    .optional()
    .describe('job value in dollars (negative values are refused)'),
  /** Or the job value already in cents. */
  value_cents: safeInt().min(0, 'value must not be negative').max(10_000_000_000).optional(),
  idempotency_key: idempotencyKey.optional(),
};
type ValueFields = { converted: boolean; value?: number | undefined; value_cents?: number | undefined };
const oneValue = (o: ValueFields) => o.value === undefined || o.value_cents === undefined;
const oneValueError = { message: 'give value or value_cents, not both', path: ['value'] };
const valueOnlyIfConverted = (o: ValueFields) => o.converted || !(o.value || o.value_cents);
const valueOnlyIfConvertedError = { message: 'a value was given for an outcome that did not convert', path: ['value'] };

/** One row of a batch or a CSV import. */
export const outcomeFields = z
  .object(outcomeShape)
  .strict()
  .refine(oneValue, oneValueError)
  .refine(valueOnlyIfConverted, valueOnlyIfConvertedError);
export type OutcomeFields = z.input<typeof outcomeFields>;

/** Where an outcome belongs: a storm id, or the storm's event id (as the playbook), within a tenant. */
const refShape = {
  storm_id: uuid.optional(),
  event_id: storable(text().trim().min(1).max(100)).optional(),
  tenant_id: uuid.optional().describe('operator only: the tenant to act in'),
};
const refGiven = (s: { storm_id?: string | undefined; event_id?: string | undefined }) =>
  Boolean(s.storm_id || s.event_id);
const refGivenError = { message: 'give storm_id or event_id', path: ['event_id'] };

/** POST /outcomes, `outcome log`, `outcomes.log(...)` (the playbook's plane.log_outcome). */
export const logOutcomeInput = z
  .object({ ...outcomeShape, ...refShape })
  .strict()
  .refine(oneValue, oneValueError)
  .refine(valueOnlyIfConverted, valueOnlyIfConvertedError)
  .refine(refGiven, refGivenError);
export type LogOutcomeInput = z.input<typeof logOutcomeInput>;

/**
 * POST /outcomes/batch, `outcomes.logBatch(...)`. Rows are checked one by one (a bad row is refused with its reason,
 * the others written), so the list holds anything here. `idempotency_key` keys rows without their own:
 * `<key>:<row index>`, so retrying the whole batch is safe.
 */
export const logOutcomesInput = z
  .object({
    ...refShape,
    idempotency_key: groupIdempotencyKey.optional(),
    outcomes: z.array(z.unknown(), { error: 'outcomes must be a list' }).max(MAX_BATCH),
  })
  .strict()
  .refine(refGiven, refGivenError);
export type LogOutcomesInput = z.input<typeof logOutcomesInput>;

/** GET /properties/:property_id/outcomes, `outcomes.history(...)`. */
export const outcomeHistoryInput = z.object({ property_id: uuid, tenant_id: refShape.tenant_id }).strict();
export type OutcomeHistoryInput = z.input<typeof outcomeHistoryInput>;

/** POST /storms/:storm_id/outcomes/import (a text/csv body), `outcome import`, `outcomes.import(...)`. */
export interface ImportOutcomesInput {
  storm_id: string;
  /**
   * The CSV (header: property_id, converted, value or value_cents, optional idempotency_key): its text, or a stream
   * of it (the HTTP body as it arrives).
   */
  text: string | AsyncIterable<string | Uint8Array>;
  /** Keys rows without their own: `<key>:<line>`; default: SHA-256 of the file, so re-importing it is a no-op. */
  idempotency_key?: string | undefined;
  source_name?: string | undefined;
}

export interface OutcomeView {
  outcome_id: string;
  storm_id: string;
  event_id: string;
  property_id: string;
  converted: boolean;
  value_cents: number;
  /** Dollars, as the playbook passes it. */
  value: number;
  idempotency_key: string;
  /** The outcome this one corrected (null for the first). */
  supersedes: string | null;
  is_current: boolean;
  /** Arrived after the storm closed, within the grace window. */
  late: boolean;
  source: string;
  recorded_at: string;
  /** True when this call repeated an earlier one with the same key and payload (nothing new written). */
  replayed: boolean;
}

export interface RefusedRow {
  /** 1-based row of the batch (the line for CSV imports). */
  row: number;
  idempotency_key: string | null;
  code: 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT';
  reason: string;
}

export interface BatchResult {
  storm_id: string;
  received: number;
  accepted: number;
  replayed: number;
  late: number;
  /** All refused rows; `refused` lists the first 1,000 with their reasons. */
  refused_count: number;
  refused: RefusedRow[];
  elapsed_ms: number;
}
