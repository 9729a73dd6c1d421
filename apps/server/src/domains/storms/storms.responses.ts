/** Response schemas of the storm routes (storms.routes.ts). */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';
import { STORM_STATUSES } from './storms.schema.ts';

const status = z.enum(STORM_STATUSES);

/** A storm (StormView). */
export const stormView = z
  .strictObject({
    storm_id: z.uuid(),
    tenant_id: z.uuid(),
    event_id: z.string(),
    name: z.string(),
    status,
    starts_at: isoTime.nullable(),
    ends_at: isoTime.nullable(),
    region: z.string().nullable(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ id: 'Storm' });

export const stormList = z.strictObject({ storms: z.array(stormView) });

export const stormDetail = stormView.extend({
  status_history: z.array(
    z.strictObject({
      from_status: status.nullable(),
      to_status: status,
      reason: z.string().nullable(),
      changed_at: isoTime,
    }),
  ),
});
