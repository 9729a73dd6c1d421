/**
 * docs/commercial/roi_calculator.md states its worked example's figures: they must be what the pilot code computes
 * from the example's inputs, and what the doc's own formulas give.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { computePilotResults } from '../src/domains/pilot/pilot.compute.ts';
import type { PilotInputs } from '../src/domains/pilot/pilot.schema.ts';

interface Arm {
  n: number;
  conversions: number;
  revenue_dollars: number;
  knocked: number;
}
interface Example {
  inputs: {
    treat: Arm;
    hold: Arm;
    cost_per_knock_dollars: number;
    doors_per_crew_hour: number;
    crew_hour_cost_dollars: number;
    gross_margin: number;
  };
  expected: Record<
    | 'incremental_conversions'
    | 'incremental_revenue'
    | 'knocks'
    | 'crew_hours'
    | 'cost'
    | 'roi_pct'
    | 'cac'
    | 'revenue_per_crew_hour',
    number
  >;
}

async function example(): Promise<Example> {
  const doc = await readFile(resolve(import.meta.dirname, '../../../docs/commercial/roi_calculator.md'), 'utf8');
  const m = /<!-- roi-example -->\s*```json\n([\s\S]*?)```/.exec(doc);
  if (!m?.[1]) throw new Error('roi_calculator.md has no roi-example block');
  return JSON.parse(m[1]) as Example;
}

const arm = (a: Arm) => {
  const cents = a.revenue_dollars * 100;
  // Every job at the mean value: the sum of squares only widens or narrows intervals, never the point figures.
  return {
    n: a.n,
    conversions: a.conversions,
    revenue_cents: cents,
    revenue_sq_cents2: (cents * cents) / a.conversions,
    knocked: a.knocked,
    contaminated: 0,
  };
};

it('the ROI worked example is what the pilot code computes', async () => {
  const { inputs: x, expected } = await example();
  const inputs: PilotInputs = {
    storm: {
      storm_id: '29f9237b-814a-42b9-9330-dd752251c873',
      event_id: 'OKC_2013_05_20',
      name: 'example',
      starts_on: '2013-05-20',
      ends_on: '2013-05-21',
    },
    policy: {
      mode: 'moderate',
      hold_share: x.hold.n / (x.treat.n + x.hold.n),
      cost_per_knock_cents: x.cost_per_knock_dollars * 100,
      doors_per_crew_hour: x.doors_per_crew_hour,
      crew_hour_cost_cents: x.crew_hour_cost_dollars * 100,
      gross_margin: x.gross_margin,
    },
    arms: { treat: arm(x.treat), hold: arm(x.hold) },
    daily: [],
    score_buckets: [],
    data_quality: { status: 'healthy', issues: [] },
    slo: { status: 'ok', issues: [] },
  };
  const roi = computePilotResults(inputs).roi;
  for (const [k, v] of Object.entries(expected)) expect(roi[k as keyof typeof roi], k).toBeCloseTo(v, 2);

  // The doc's formulas, as written there.
  const pT = x.treat.conversions / x.treat.n;
  const pH = x.hold.conversions / x.hold.n;
  const incRevenue = (x.treat.revenue_dollars / x.treat.n - x.hold.revenue_dollars / x.hold.n) * x.treat.n;
  const knocks = x.treat.knocked + x.hold.knocked;
  const crewHours = knocks / x.doors_per_crew_hour;
  const cost = knocks * x.cost_per_knock_dollars + crewHours * x.crew_hour_cost_dollars;
  expect((pT - pH) * x.treat.n).toBeCloseTo(expected.incremental_conversions, 2);
  expect(incRevenue).toBeCloseTo(expected.incremental_revenue, 2);
  expect(((incRevenue * x.gross_margin - cost) / cost) * 100).toBeCloseTo(expected.roi_pct, 2);
  expect(cost / ((pT - pH) * x.treat.n)).toBeCloseTo(expected.cac, 2);
  expect(incRevenue / crewHours).toBeCloseTo(expected.revenue_per_crew_hour, 2);
});
