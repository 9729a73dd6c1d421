/** Audit inputs and views, shared by the SDK, the CLI and the HTTP route. */
import { z } from 'zod';
import { queryInt4, text } from '../fields.ts';

/** GET /audit, `audit list`, `audit.list(...)`: newest first; a tenant's, or the platform's when the operator names none. */
export const listAuditInput = z
  .object({
    tenant_id: z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` }).optional(),
    since: text()
      .max(40)
      .refine((s) => !Number.isNaN(new Date(s).getTime()), 'expected a date such as 2026-02-10 or an ISO time')
      .optional()
      .describe('a date or ISO time'),
    limit: queryInt4().min(1).max(1000).optional(),
  })
  .strict();
export type ListAuditInput = z.input<typeof listAuditInput>;

export interface AuditEventView {
  event_id: string;
  tenant_id: string | null;
  at: string;
  actor: { kind: string; id: string | null; role: string };
  action: string;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  request_id: string | null;
}
