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
  propertyId: uuid,
  converted: z.boolean({ error: 'converted must be true or false' }),
  /** Job value in dollars (cents kept: 15000.5 -> 1500050). */
  value: z.number().min(0, 'value must not be negative').max(100_000_000).optional(),
  /** Or the job value already in cents. */
  valueCents: safeInt().min(0, 'value must not be negative').max(10_000_000_000).optional(),
  idempotencyKey: idempotencyKey.optional(),
};
type ValueFields = { converted: boolean; value?: number | undefined; valueCents?: number | undefined };
const oneValue = (o: ValueFields) => o.value === undefined || o.valueCents === undefined;
const oneValueError = { message: 'give value or value_cents, not both', path: ['value'] };
const valueOnlyIfConverted = (o: ValueFields) => o.converted || !(o.value || o.valueCents);
const valueOnlyIfConvertedError = { message: 'a value was given for an outcome that did not convert', path: ['value'] };

export const outcomeFields = z
  .object(outcomeShape)
  .strict()
  .refine(oneValue, oneValueError)
  .refine(valueOnlyIfConverted, valueOnlyIfConvertedError);
export type OutcomeFields = z.input<typeof outcomeFields>;

/** Where an outcome belongs: a storm id, or the storm's event id (as the playbook), within a tenant. */
const refShape = {
  stormId: uuid.optional(),
  eventId: storable(text().trim().min(1).max(100)).optional(),
  tenantId: uuid.optional(),
};
const refGiven = (s: { stormId?: string | undefined; eventId?: string | undefined }) => Boolean(s.stormId || s.eventId);
const refGivenError = { message: 'give storm_id or event_id', path: ['eventId'] };
export const stormRef = z.object(refShape).strict().refine(refGiven, refGivenError);

export const logOutcomeInput = z
  .object({ ...outcomeShape, ...refShape })
  .strict()
  .refine(oneValue, oneValueError)
  .refine(valueOnlyIfConverted, valueOnlyIfConvertedError)
  .refine(refGiven, refGivenError);
export type LogOutcomeInput = z.input<typeof logOutcomeInput>;

export interface LogOutcomesInput {
  stormId?: string;
  eventId?: string;
  tenantId?: string;
  /** Keys rows without their own: `<key>:<row index>`, so retrying the whole batch is safe. */
  idempotencyKey?: string;
  outcomes: OutcomeFields[];
  /** Recorded on each row (api, batch, import, demo). */
  source?: string;
}

export interface ImportOutcomesInput {
  stormId: string;
  /**
   * The CSV (header: property_id, converted, value or value_cents, optional idempotency_key): its text, or a stream
   * of it (the HTTP body as it arrives).
   */
  text: string | AsyncIterable<string | Uint8Array>;
  /** Keys rows without their own: `<key>:<line>`; default: SHA-256 of the file, so re-importing it is a no-op. */
  idempotencyKey?: string;
  sourceName?: string;
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
