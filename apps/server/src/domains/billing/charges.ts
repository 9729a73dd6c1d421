/**
 * Billing's server-side helpers around the shared charge models (@stormops/plans): the zod schema that checks a
 * plan's stored terms, and billing periods (UTC months).
 */
import { z } from 'zod';
import { METRICS } from '@stormops/plans';
import { safeInt } from '../fields.ts';

export { METRICS, PLAN_CODES, chargeLines, overageCents, roundCents } from '@stormops/plans';
export type { ChargeLine, ChargeModel, Metric, Plan, PlanCode } from '@stormops/plans';

const cents = z.number().nonnegative().finite();
export const chargeModel = z.discriminatedUnion('model', [
  z.object({ model: z.literal('per_unit'), unit_cents: cents }).strict(),
  z
    .object({
      model: z.literal('graduated'),
      /** Over the included quantity: the first `up_to` overage units at one price, the next at another... */
      tiers: z.array(z.object({ up_to: safeInt().positive().nullable(), unit_cents: cents }).strict()).min(1),
    })
    .strict(),
  z.object({ model: z.literal('package'), package_size: safeInt().positive(), package_cents: cents }).strict(),
]);

export const planMetrics = z.record(
  z.enum(METRICS),
  z.object({ included: safeInt().nonnegative(), charge: chargeModel }).strict(),
);

/** `YYYY-MM` of a time, in UTC. */
export function periodOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The period's first instant and the next period's first instant (UTC). */
export function periodBounds(period: string): { start: Date; end: Date; days: number } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1));
  return { start, end, days: Math.round((end.getTime() - start.getTime()) / 86_400_000) };
}

export function nextPeriod(period: string): string {
  return periodOf(periodBounds(period).end);
}

export const periodInput = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
  .describe('a billing period, YYYY-MM (UTC month)');
