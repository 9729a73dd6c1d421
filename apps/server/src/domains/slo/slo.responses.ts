/** Response schemas of the SLO routes (slo.routes.ts) that the web app reads. */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';
import { BURN_WINDOWS, type BurnWindow } from './slo.schema.ts';

const burnRates = z.strictObject(
  Object.fromEntries(Object.keys(BURN_WINDOWS).map((w) => [w, z.number()])) as Record<BurnWindow, z.ZodNumber>,
);

export const sloStatus = z
  .strictObject({
    name: z.string(),
    description: z.string(),
    objective: z.number(),
    window: z.string(),
    status: z.enum(['ok', 'warning', 'breaching', 'no_data']),
    sli: z.number().nullable(),
    good: z.number(),
    total: z.number(),
    window_sli: z.number().nullable(),
    error_budget_remaining: z.number(),
    burn_rates: burnRates,
    firing_rules: z.array(z.string()),
    breaches: z.number().int(),
    runbook: z.string().nullable(),
  })
  .meta({ id: 'SloStatus' });

/** GET /slo/status: each SLO by name. */
export const sloDashboard = z.record(z.string(), sloStatus);

export const alertIncident = z
  .strictObject({
    alert_id: z.uuid(),
    alert_key: z.string(),
    source: z.string(),
    severity: z.enum(['page', 'ticket']),
    message: z.string(),
    since: isoTime,
    resolved_at: isoTime.nullable(),
    dedup_key: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AlertIncident' });

export const alertList = z.strictObject({ alerts: z.array(alertIncident) });
