/**
 * Plans and charge models, pure: what a plan includes and what usage beyond it costs. Plans are data (table
 * billing_plan, migration 0028); this module gives their shape and the arithmetic. Money is integer cents: a unit
 * price may be a fraction of a cent (half a cent a property), and each charged line is rounded half-up to a cent.
 */
import { z } from 'zod';

export const METRICS = [
  'properties_imported',
  'properties_scored',
  'storms_created',
  'reports_generated',
  'api_calls',
  'seats',
] as const;
export type Metric = (typeof METRICS)[number];

export const PLAN_CODES = ['trial', 'standard', 'enterprise'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];

const cents = z.number().nonnegative().finite();
export const chargeModel = z.discriminatedUnion('model', [
  z.object({ model: z.literal('per_unit'), unit_cents: cents }).strict(),
  z
    .object({
      model: z.literal('graduated'),
      /** Over the included quantity: the first `up_to` overage units at one price, the next at another... */
      tiers: z.array(z.object({ up_to: z.number().int().positive().nullable(), unit_cents: cents }).strict()).min(1),
    })
    .strict(),
  z.object({ model: z.literal('package'), package_size: z.number().int().positive(), package_cents: cents }).strict(),
]);
export type ChargeModel = z.infer<typeof chargeModel>;

export const planMetrics = z.record(
  z.enum(METRICS),
  z.object({ included: z.number().int().nonnegative(), charge: chargeModel }).strict(),
);

export interface Plan {
  plan_code: PlanCode;
  version: number;
  name: string;
  base_price_cents: number;
  support_tier: string;
  support_response_sla_hours: number;
  /** Trial: usage stops at the included quantity (QUOTA_EXCEEDED); paid plans run on and bill overage. */
  hard_quota: boolean;
  metrics: Record<Metric, { included: number; charge: ChargeModel }>;
}

export interface ChargeLine {
  /** Overage units charged on this line. */
  units: number;
  unit_cents: number;
  amount_cents: number;
  /** Human description: "units 1-100,000 over the included at 1¢". */
  tier: string;
}

/** Half-up rounding to a whole cent (prices may be fractions of a cent; totals never are). */
export function roundCents(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}

/** What `overage` units beyond the included quantity cost under a charge model, line by line. */
export function chargeLines(charge: ChargeModel, overage: number): ChargeLine[] {
  if (overage <= 0) return [];
  switch (charge.model) {
    case 'per_unit':
      return [
        {
          units: overage,
          unit_cents: charge.unit_cents,
          amount_cents: roundCents(overage * charge.unit_cents),
          tier: 'per unit',
        },
      ];
    case 'package': {
      const packages = Math.ceil(overage / charge.package_size);
      return [
        {
          units: overage,
          unit_cents: charge.package_cents / charge.package_size,
          amount_cents: roundCents(packages * charge.package_cents),
          tier: `${packages} package(s) of ${charge.package_size}`,
        },
      ];
    }
    case 'graduated': {
      const lines: ChargeLine[] = [];
      let from = 0;
      for (const t of charge.tiers) {
        const to = t.up_to ?? Infinity;
        const units = Math.min(overage, to) - from;
        if (units > 0)
          lines.push({
            units,
            unit_cents: t.unit_cents,
            amount_cents: roundCents(units * t.unit_cents),
            tier: `overage units ${from + 1}-${Number.isFinite(to) ? to : '∞'}`,
          });
        from = to;
        if (overage <= to) break;
      }
      return lines;
    }
  }
}

export function overageCents(charge: ChargeModel, overage: number): number {
  return chargeLines(charge, overage).reduce((s, l) => s + l.amount_cents, 0);
}

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
