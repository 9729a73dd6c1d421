/** Response schema of POST /onboarding (onboarding.routes.ts). */
import { z } from 'zod';
import { PLAN_CODES } from '@stormops/plans';
import { isoTime } from '../../http/responses.ts';

const planEstimate = z.strictObject({
  plan_code: z.enum(PLAN_CODES),
  name: z.string(),
  monthly_cents: z.number(),
  base_cents: z.number(),
  overage_cents: z.number(),
  annual_cents: z.number(),
  support_response_sla_hours: z.number(),
});

const roiProjection = z.strictObject({
  assumptions: z.strictObject({
    base_signing_rate: z.number(),
    expected_lift: z.number(),
    average_job_value_cents: z.number(),
    cost_per_knock_cents: z.number(),
    doors_per_crew_hour: z.number(),
    crew_hour_cost_cents: z.number(),
    gross_margin: z.number(),
    hold_share: z.number(),
    crew_hours_per_storm: z.number(),
  }),
  knocks_per_year: z.number(),
  crew_hours_per_year: z.number(),
  incremental_jobs_per_year: z.number(),
  incremental_revenue_cents: z.number(),
  canvassing_cost_cents: z.number(),
  subscription_cents: z.number(),
  roi_pct: z.number().nullable(),
  roi_with_subscription_pct: z.number().nullable(),
  method: z.string(),
});

export const onboardingResult = z
  .strictObject({
    tenant_id: z.uuid(),
    /** False when this organization and e-mail had already signed up (the same tenant). */
    created: z.boolean(),
    tier: z.literal('trial'),
    recommended_plan: z.string(),
    recommendation_reason: z.string(),
    plans_compared: z.array(planEstimate),
    roi_projection: roiProjection,
    timestamp: isoTime,
    submission_id: z.uuid(),
    /** How the admin sets a password: e-mailed, shown here (no SMTP, a new tenant only), or none (a repeat). */
    invitation: z.strictObject({
      delivery: z.enum(['email', 'shown', 'none']),
      link: z.string().optional(),
      expires_at: isoTime.optional(),
      message: z.string(),
    }),
  })
  .meta({ id: 'OnboardingResult' });
