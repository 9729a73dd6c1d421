/** Data-health inputs, shared by the SDK, the CLI and the HTTP routes (one schema per operation, snake_case). */
import { z } from 'zod';
import { queryInt4 } from '../fields.ts';
import { actingTenantInput } from '../tenants/tenants.schema.ts';

export const HEALTH_CHECK_KINDS = ['dashboard', 'conversion_rates', 'uplift_distribution'] as const;

/** `GET /storms/{storm_id}/health/history`, `health history`, `observability.history(stormId, ...)`. */
export const healthHistoryInput = z
  .object({
    kind: z.enum(HEALTH_CHECK_KINDS, { error: () => `must be one of ${HEALTH_CHECK_KINDS.join(', ')}` }).optional(),
    limit: queryInt4().min(1).max(500).default(50),
  })
  .strict();
export type HealthHistoryInput = z.input<typeof healthHistoryInput>;

/** The tenant acted in by the uplift-band routes (an operator names it). */
export const bandTenantQuery = actingTenantInput;

/** `PUT /health/uplift-band`'s body, `health band --low --high`, `observability.setUpliftBand(...)`. */
export const upliftBandInput = z
  .strictObject({ low: z.number().min(-1).max(1), high: z.number().min(-1).max(1) })
  .refine((b) => b.low < b.high, { message: 'low must be below high', path: ['low'] });
export type UpliftBandInput = z.input<typeof upliftBandInput>;
