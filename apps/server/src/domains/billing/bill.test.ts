import { describe, expect, it } from 'vitest';
import { priceBill, type Span } from './bill.ts';
import { chargeLines, roundCents, type Plan } from './charges.ts';

const metrics = (
  imported: Plan['metrics']['properties_imported'],
  rest: Partial<Plan['metrics']> = {},
): Plan['metrics'] => ({
  properties_imported: imported,
  properties_scored: { included: 0, charge: { model: 'per_unit', unit_cents: 0 } },
  storms_created: { included: 0, charge: { model: 'per_unit', unit_cents: 0 } },
  reports_generated: { included: 0, charge: { model: 'per_unit', unit_cents: 0 } },
  api_calls: { included: 0, charge: { model: 'per_unit', unit_cents: 0 } },
  seats: { included: 0, charge: { model: 'per_unit', unit_cents: 0 } },
  ...rest,
});

/** The migration's trial and standard v1 terms (0028_billing.sql). */
const TRIAL: Plan = {
  plan_code: 'trial',
  version: 1,
  name: 'Trial',
  base_price_cents: 0,
  support_tier: 'community',
  support_response_sla_hours: 72,
  hard_quota: true,
  metrics: metrics(
    { included: 5000, charge: { model: 'per_unit', unit_cents: 0 } },
    {
      properties_scored: { included: 5000, charge: { model: 'per_unit', unit_cents: 0 } },
      storms_created: { included: 3, charge: { model: 'per_unit', unit_cents: 0 } },
      reports_generated: { included: 20, charge: { model: 'per_unit', unit_cents: 0 } },
      api_calls: { included: 10000, charge: { model: 'per_unit', unit_cents: 0 } },
      seats: { included: 3, charge: { model: 'per_unit', unit_cents: 0 } },
    },
  ),
};
const STANDARD: Plan = {
  plan_code: 'standard',
  version: 1,
  name: 'Standard',
  base_price_cents: 49900,
  support_tier: 'business',
  support_response_sla_hours: 24,
  hard_quota: false,
  metrics: metrics(
    {
      included: 50000,
      charge: {
        model: 'graduated',
        tiers: [
          { up_to: 100000, unit_cents: 1 },
          { up_to: null, unit_cents: 0.5 },
        ],
      },
    },
    {
      properties_scored: { included: 50000, charge: { model: 'per_unit', unit_cents: 1 } },
      storms_created: { included: 20, charge: { model: 'per_unit', unit_cents: 2500 } },
      reports_generated: { included: 100, charge: { model: 'package', package_size: 10, package_cents: 1000 } },
      api_calls: { included: 100000, charge: { model: 'package', package_size: 10000, package_cents: 500 } },
      seats: { included: 10, charge: { model: 'per_unit', unit_cents: 2900 } },
    },
  ),
};

describe('charge models', () => {
  it('per unit, package (whole packages) and graduated (each tier at its price, rounded half-up)', () => {
    expect(chargeLines({ model: 'per_unit', unit_cents: 2500 }, 3)).toMatchObject([{ units: 3, amount_cents: 7500 }]);
    expect(chargeLines({ model: 'package', package_size: 10, package_cents: 1000 }, 84)[0]?.amount_cents).toBe(9000);
    expect(chargeLines({ model: 'package', package_size: 10, package_cents: 1000 }, 80)[0]?.amount_cents).toBe(8000);
    const g = chargeLines(STANDARD.metrics.properties_imported.charge, 116_667);
    expect(g.map((l) => [l.units, l.amount_cents])).toEqual([
      [100_000, 100_000],
      [16_667, 8_334], // 8,333.5 cents rounds up
    ]);
    expect(chargeLines(STANDARD.metrics.properties_imported.charge, 0)).toEqual([]);
    expect(roundCents(0.5)).toBe(1);
    expect(roundCents(0.49)).toBe(0);
  });
});

describe('a period priced by the day', () => {
  it('matches a hand-computed mid-period upgrade with graduated overage to the cent', () => {
    // November 2026 (30 days): trial from the 1st, standard from the 11th (a change at 15:00 counts from its day).
    const spans: Span[] = [
      { plan: TRIAL, from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-11T15:00:00Z') },
      { plan: STANDARD, from: new Date('2026-11-11T15:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
    ];
    const bill = priceBill({
      period: '2026-11',
      periodStart: new Date('2026-11-01T00:00:00Z'),
      periodDays: 30,
      spans,
      usage: [
        { metric: 'properties_imported', day: '2026-11-05', quantity: 4_000 }, // trial: 1,666 included, $0 overage
        { metric: 'properties_imported', day: '2026-11-20', quantity: 150_000 },
        { metric: 'storms_created', day: '2026-11-21', quantity: 25 },
        { metric: 'reports_generated', day: '2026-11-30', quantity: 150 },
      ],
      overrides: new Map(),
      seats: 12,
    });
    // Standard base: 49,900 x 20/30 = 33,266.67 -> 33,267.
    // Imported: 150,000 - floor(50,000 x 20/30) = 116,667 over: 100,000 x 1 + 16,667 x 0.5 = 100,000 + 8,334.
    // Storms: 25 - floor(20 x 2/3) = 12 over x 2,500 = 30,000. Reports: 150 - 66 = 84 over: 9 packages x 1,000.
    // Seats: 12 - 10 = 2 x 2,900 = 5,800.
    expect(bill.lines.map((l) => [l.type, l.metric ?? null, l.quantity, l.amount_cents])).toEqual([
      ['proration', null, 10, 0],
      ['proration', null, 20, 33_267],
      ['overage', 'properties_imported', 100_000, 100_000],
      ['overage', 'properties_imported', 16_667, 8_334],
      ['overage', 'storms_created', 12, 30_000],
      ['overage', 'reports_generated', 84, 9_000],
      ['overage', 'seats', 2, 5_800],
    ]);
    expect(bill.base_cents).toBe(33_267);
    expect(bill.overage_cents).toBe(153_134);
    expect(bill.total_cents).toBe(186_401);
    const imported = bill.usage.find((u) => u.metric === 'properties_imported');
    expect(imported).toMatchObject({ quantity: 154_000, included: 1_666 + 33_333 });
  });

  it('bills a whole period on one plan without proration, and a contract override replaces the included quantity', () => {
    const bill = priceBill({
      period: '2026-02',
      periodStart: new Date('2026-02-01T00:00:00Z'),
      periodDays: 28,
      spans: [{ plan: STANDARD, from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') }],
      usage: [{ metric: 'storms_created', day: '2026-02-10', quantity: 30 }],
      overrides: new Map([['storms_created', 25]]),
      seats: 1,
    });
    expect(bill.lines.map((l) => [l.type, l.amount_cents])).toEqual([
      ['base', 49_900],
      ['overage', 5 * 2500],
    ]);
    expect(bill.usage.find((u) => u.metric === 'storms_created')).toMatchObject({ included: 25, ratio: 30 / 25 });
  });
});
