/** Storm inputs, views and the status machine, shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { text } from '../fields.ts';

export const STORM_STATUSES = ['planning', 'active', 'closed', 'cancelled'] as const;
export type StormStatus = (typeof STORM_STATUSES)[number];

/** planning -> active -> closed; planning or active may be cancelled; closed and cancelled are final. */
export const TRANSITIONS: Record<StormStatus, readonly StormStatus[]> = {
  planning: ['active', 'cancelled'],
  active: ['closed', 'cancelled'],
  closed: [],
  cancelled: [],
};

export const stormId = z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` });
const isoDate = z.iso
  .datetime({ offset: true, error: (i) => `${JSON.stringify(i.input)} is not an ISO 8601 date-time` })
  .or(z.iso.date({ error: (i) => `${JSON.stringify(i.input)} is not an ISO 8601 date` }));

/** Field rules, used by the service input below and by the HTTP body (which names them in snake_case). */
export const stormFields = {
  tenantId: z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` }),
  eventId: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'event id may hold letters, digits and _ . : - only'),
  name: text().trim().min(1, 'must not be empty').max(200),
  date: isoDate,
  region: text().trim().min(1, 'must not be empty').max(200),
};

export const createStormInput = z
  .object({
    tenantId: stormFields.tenantId.optional(),
    eventId: stormFields.eventId,
    name: stormFields.name,
    startsAt: isoDate.optional(),
    endsAt: isoDate.optional(),
    region: stormFields.region.optional(),
  })
  .strict()
  .refine((s) => !s.startsAt || !s.endsAt || new Date(s.endsAt) >= new Date(s.startsAt), {
    message: 'ends_at is before starts_at',
    path: ['endsAt'],
  });
export type CreateStormInput = z.input<typeof createStormInput>;

export const statusChangeInput = z
  .object({
    status: z.enum(STORM_STATUSES, { error: () => `must be one of ${STORM_STATUSES.join(', ')}` }),
    reason: text().trim().max(500).optional(),
  })
  .strict();

export interface StormView {
  storm_id: string;
  tenant_id: string;
  event_id: string;
  name: string;
  status: StormStatus;
  starts_at: string | null;
  ends_at: string | null;
  region: string | null;
  created_at: string;
  updated_at: string;
}
