/** Storm inputs, views and the status machine, shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { queryInt4, text } from '../fields.ts';

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

/** Field rules, shared by the operation schemas below and by other domains' inputs. */
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

/** The acting tenant: a tenant principal's own (may be omitted); the operator names it. */
export const optionalTenant = stormFields.tenantId.optional().describe('operator only: the tenant to act in');

/** POST /storms, `storm create`, `storms.create(...)`. */
export const createStormInput = z
  .object({
    tenant_id: optionalTenant,
    event_id: stormFields.eventId,
    name: stormFields.name,
    starts_at: isoDate.optional(),
    ends_at: isoDate.optional(),
    region: stormFields.region.optional(),
  })
  .strict()
  .refine((s) => !s.starts_at || !s.ends_at || new Date(s.ends_at) >= new Date(s.starts_at), {
    message: 'ends_at is before starts_at',
    path: ['ends_at'],
  });
export type CreateStormInput = z.input<typeof createStormInput>;

/** GET /storms, `storm list`, `storms.list(...)`. */
export const listStormsInput = z
  .object({
    tenant_id: optionalTenant,
    status: z.enum(STORM_STATUSES, { error: () => `must be one of ${STORM_STATUSES.join(', ')}` }).optional(),
    limit: queryInt4().min(1).max(1000).optional(),
  })
  .strict();
export type ListStormsInput = z.input<typeof listStormsInput>;

/** POST /storms/:storm_id/status, `storm status`, `storms.setStatus(stormId, ...)`. */
export const statusChangeInput = z
  .object({
    status: z.enum(STORM_STATUSES, { error: () => `must be one of ${STORM_STATUSES.join(', ')}` }),
    reason: text().trim().max(500).optional(),
  })
  .strict();
export type StatusChangeInput = z.input<typeof statusChangeInput>;

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
