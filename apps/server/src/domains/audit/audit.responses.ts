/** Response schema of GET /audit (audit.routes.ts). */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';

export const auditEvent = z
  .strictObject({
    event_id: z.uuid(),
    tenant_id: z.uuid().nullable(),
    at: isoTime,
    actor: z.strictObject({ kind: z.string(), id: z.string().nullable(), role: z.string() }),
    action: z.string(),
    target: z.strictObject({ type: z.string(), id: z.string().nullable() }),
    /** The target's state before and after, as the action recorded it (free-form per action). */
    before: z.unknown(),
    after: z.unknown(),
    request_id: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

export const auditList = z.strictObject({ events: z.array(auditEvent) });
