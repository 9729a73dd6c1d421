/** Inputs of the operator's routines (docs/operations.md, "Routines"); unknown keys are refused. */
import { z } from 'zod';
import { text, int4 } from '../fields.ts';

export const kpisInput = z
  .object({
    /** The activity window (knocks, outcomes), in days back from now. */
    days: int4().min(1).max(3660).default(30),
    /** Replace tenant ids and names with pseudonyms and coarsen dates (exec reporting). */
    anonymize: z.boolean().default(false),
    /** Keeps pseudonyms stable across exports (keep it secret); a random one is used when absent. */
    salt: text().min(16, 'at least 16 characters').optional(),
  })
  .strict();
export type KpisInput = z.input<typeof kpisInput>;

export const retentionInput = z
  .object({
    /** Data older than this is reported as past retention. */
    days: int4().min(1).max(3660).default(365),
  })
  .strict();
export type RetentionInput = z.input<typeof retentionInput>;

export const slaInput = z
  .object({
    days: int4().min(1).max(366).default(7),
    /** Resolution targets per alert severity, in hours. */
    page_hours: z.number().positive().max(720).default(4),
    ticket_hours: z.number().positive().max(720).default(72),
  })
  .strict();
export type SlaInput = z.input<typeof slaInput>;
