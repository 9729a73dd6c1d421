/** Audit inputs and views, shared by the SDK, the CLI and the HTTP route. */
import { z } from 'zod';
import { int4 } from '../fields.ts';

export const listAuditInput = z
  .object({
    tenantId: z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` }).optional(),
    since: z.coerce.date({ error: () => 'since: expected a date such as 2026-02-10 or an ISO time' }).optional(),
    limit: int4().min(1).max(1000).default(200),
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
