/** The onboarding intake (`POST /onboarding`, the web app's OnboardingFlow): one schema, snake_case, strict. */
import { z } from 'zod';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');
const count = (max: number) => z.number().int('must be a whole number').min(0).max(max);

export const assumptions = z
  .object({
    base_signing_rate: z.number().min(0).max(1),
    expected_lift: z.number().min(-1).max(1),
    average_job_value_cents: count(100_000_000),
    cost_per_knock_cents: count(1_000_000),
    doors_per_crew_hour: z.number().gt(0).max(200),
    crew_hour_cost_cents: count(1_000_000),
    gross_margin: z.number().gt(0).max(1),
    hold_share: z.number().gt(0).lt(1),
    crew_hours_per_storm: z.number().gt(0).max(10_000),
  })
  .partial()
  .strict();

export const intakeInput = z
  .object({
    organization: text(200),
    contact_name: text(200),
    contact_email: z
      .email({ error: (i) => `${JSON.stringify(i.input)} is not a valid e-mail address` })
      .max(254)
      .transform((e) => e.toLowerCase()),
    contact_phone: text(40).optional(),
    use_case: text(2000),
    departments: z.array(text(100)).min(1, 'name at least one department').max(20),
    storms_per_year: count(1000).refine((n) => n >= 1, 'must be at least 1'),
    properties_per_storm: count(10_000_000).refine((n) => n >= 1, 'must be at least 1'),
    crews: count(10_000).refine((n) => n >= 1, 'must be at least 1'),
    automation_assumptions: assumptions.optional(),
    success_criteria: text(2000),
    go_live_date: z.iso.date({ error: 'must be a date as YYYY-MM-DD' }),
  })
  .strict();
export type IntakeInput = z.input<typeof intakeInput>;
