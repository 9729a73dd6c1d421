/** Response schemas of the data-health routes (data-health.routes.ts). */
import { z } from 'zod';
import { isoTime, sentTime } from '../../http/responses.ts';

export const healthIssue = z.strictObject({
  check: z.string(),
  severity: z.enum(['warning', 'critical']),
  message: z.string(),
  /** The figures behind the finding, by name. */
  numbers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});

/** GET /storms/{storm_id}/health: the status, the issues and the figures they were judged on. */
export const healthDashboard = z
  .strictObject({
    storm_id: z.uuid(),
    health_status: z.enum(['healthy', 'degraded', 'unhealthy']),
    issues: z.array(healthIssue),
    checked_at: isoTime,
    metrics: z.strictObject({
      properties: z.strictObject({
        properties: z.number().int(),
        missing_coordinates: z.number().int(),
        missing_roof_age: z.number().int(),
        missing_home_value: z.number().int(),
        missing_zip: z.number().int(),
        last_property_change: sentTime.nullable(),
      }),
      scores: z.strictObject({
        scored: z.number().int(),
        coverage: z.number(),
        oldest_scored_at: sentTime.nullable(),
      }),
      arms: z.strictObject({
        treat: z.number().int(),
        hold: z.number().int(),
        intended_hold_share: z.number().nullable(),
        srm_p_value: z.number().nullable(),
      }),
      contamination: z.strictObject({
        knocks: z.number().int(),
        contaminated_knocks: z.number().int(),
        contaminated_properties: z.number().int(),
      }),
      outcomes: z.strictObject({
        outcomes: z.number().int(),
        last_recorded_at: sentTime.nullable(),
        lag_p50_hours: z.number().nullable(),
        lag_p90_hours: z.number().nullable(),
      }),
      last_backup_at: sentTime.nullable(),
    }),
  })
  .meta({ id: 'StormHealth' });
