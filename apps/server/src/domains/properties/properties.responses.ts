/** Response schemas of the property import routes (properties.routes.ts). */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';

const importStatus = z.enum(['running', 'completed', 'failed', 'interrupted', 'cancelled']);
export type ImportStatus = z.output<typeof importStatus>;

export const importStarted = z.strictObject({ import_id: z.uuid(), status: z.literal('running') });

/** An import job (GET /imports/{import_id}); `progress` only while it runs. */
export const importJob = z
  .strictObject({
    tenant_id: z.uuid(),
    import_id: z.uuid(),
    storm_id: z.uuid(),
    status: importStatus,
    source_name: z.string().nullable(),
    format: z.string().nullable(),
    /** The column mapping used (a saved mapping's fields), null when the columns were read as named. */
    mapping: z.record(z.string(), z.unknown()).nullable(),
    skip_invalid: z.boolean(),
    rows_read: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    duplicates: z.number().int(),
    invalid: z.number().int(),
    elapsed_ms: z.number().int().nullable(),
    /** Why a failed or interrupted import stopped: the platform's error code, message and details. */
    error: z.record(z.string(), z.unknown()).nullable(),
    started_at: isoTime,
    finished_at: isoTime.nullable(),
    progress: z
      .strictObject({
        rows_read: z.number().int(),
        bytes_read: z.number().int(),
        bytes_total: z.number().int().nullable(),
        elapsed_ms: z.number(),
      })
      .optional(),
  })
  .meta({ id: 'ImportJob' });

export const importList = z.strictObject({ imports: z.array(importJob.omit({ progress: true })) });
