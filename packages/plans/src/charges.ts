/**
 * Plans and charge models, pure: what a plan includes and what usage beyond it costs. The server keeps plans as
 * versioned data (migration 0028) and prices invoices with these functions; the web app prices its plan comparison
 * with the same ones. Money is integer cents: a unit price may be a fraction of a cent, and each charged line is
 * rounded half-up to a whole cent.
 */
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

/** How overage units are charged (prices in cents; a unit price may be a fraction of a cent). */
export type ChargeModel =
  | { model: 'per_unit'; unit_cents: number }
  /** Over the included quantity: the first `up_to` overage units at one price, the next at another... */
  | { model: 'graduated'; tiers: { up_to: number | null; unit_cents: number }[] }
  | { model: 'package'; package_size: number; package_cents: number };

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
