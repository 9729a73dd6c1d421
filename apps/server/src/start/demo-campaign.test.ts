/**
 * The demo `npm start` seeds reads like a roofer's business: its rates, job values, costs and crew pace sit inside the
 * published canvassing planning ranges (docs/demo.md), and its storm is large enough to detect its own lift at 80%
 * power. Run on both backends through the same seeding `npm start` does.
 *
 * The hold-out is a fresh randomization on every start (property ids are random), so the report's rates and lift are
 * draws: the ranges are asserted on the generator's hidden truth for the homes in the arms, and the report is held to
 * that truth within four standard errors (a false alarm about once in 16,000 runs); the observed lift falls below the
 * detectable lift about once in 4,000 randomizations (`npx tsx scripts/demo-power.ts`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.ts';
import { PLATFORM } from '../domains/auth/principal.ts';
import { getHealthDashboard } from '../domains/observability/data-health.service.ts';
import { gatherPilotInputs, runPilot } from '../domains/pilot/pilot.service.ts';
import type { PilotResults } from '../domains/pilot/pilot.results.ts';
import { drawOutcome, generateProperties } from '../domains/demo/generator.ts';
import { DEMO_HOMES, DEMO_POLICY } from './demo-campaign.ts';
import { seedDemo, type DemoSeed } from './demo-seed.ts';

describeEachDatabase('the demo storm', (t) => {
  let dir: string;
  let seed: DemoSeed;
  let report: PilotResults;
  /** The hidden truth over the homes in the arms: signing rates if all were knocked, if none were, and the lift. */
  let truth: { treat: number; hold: number; lift: number };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stormops-demo-'));
    seed = await seedDemo(t().db, dir);
    report = await runPilot({ db: t().db, principal: PLATFORM }, { storm_id: seed.storm.storm_id });
    truth = await hiddenTruth(seed.storm.storm_id);
  }, 600_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Each home's outcome both ways, regenerated from its external id (OKP-<seed>-<index>) as `demo outcomes` does. */
  async function hiddenTruth(stormId: string) {
    const r = await sql<{ external_id: string }>`select p.external_id from assignment a join property p
      on p.property_id = a.property_id where a.storm_id = ${stormId} and a.arm in ('treat', 'hold')`.execute(
      t().db.owner,
    );
    const indexes = new Set(r.rows.map((x) => Number(x.external_id.split('-')[2])));
    let treat = 0,
      hold = 0;
    for (const p of generateProperties({ count: Math.max(...indexes) + 1, seed: 2013, rates: 'planning' })) {
      if (!indexes.has(p.index)) continue;
      if (drawOutcome(p, 'treat', 2013).converted) treat++;
      if (drawOutcome(p, 'hold', 2013).converted) hold++;
    }
    return { treat: treat / indexes.size, hold: hold / indexes.size, lift: (treat - hold) / indexes.size };
  }

  it('has a roofer’s rates: 1-3% sign unknocked, 2-6% of knocked doors sign, a lift of one to four points', () => {
    expect(truth.hold).toBeGreaterThan(0.005);
    expect(truth.hold).toBeLessThan(0.03);
    expect(truth.treat).toBeGreaterThan(0.02);
    expect(truth.treat).toBeLessThanOrEqual(0.06);
    expect(truth.lift).toBeGreaterThan(0.01);
    expect(truth.lift).toBeLessThan(0.04);
    // The report's estimates are draws around that truth.
    const { treat, hold, lift } = report.outcomes;
    const se = Math.sqrt((treat.rate * (1 - treat.rate)) / treat.n + (hold.rate * (1 - hold.rate)) / hold.n);
    expect(Math.abs(lift.absolute - truth.lift)).toBeLessThan(4 * se);
  });

  it('detects its own lift at 80% power: the storm is large enough', () => {
    expect(report.detectable_lift).toMatchObject({ power: 0.8, underpowered: false });
    // A point of margin below the true lift: the arms find it on any randomization, not only on a lucky one.
    expect(report.detectable_lift!.pts).toBeLessThan(truth.lift * 100 - 1);
    expect(report.detectable_lift!.pts).toBeLessThan(report.outcomes.lift.absolute * 100);
    expect(report.outcomes.lift.significant).toBe(true);
    expect(report.outcomes.treat.n + report.outcomes.hold.n).toBeLessThanOrEqual(DEMO_HOMES);
  });

  it('prices like a re-roof and knocks at a canvasser’s pace; costs within $54-127 a lead', async () => {
    const agg = await gatherPilotInputs({ db: t().db, principal: PLATFORM }, { storm_id: seed.storm.storm_id });
    const jobs = agg.arms.treat.conversions + agg.arms.hold.conversions;
    const meanJob = (agg.arms.treat.revenue_cents + agg.arms.hold.revenue_cents) / 100 / jobs;
    expect(meanJob).toBeGreaterThan(7_600);
    expect(meanJob).toBeLessThan(12_800);
    // Crew hours measured from the knock log: 18-23 doors an hour.
    expect(report.roi.crew_hours_source).toBe('knock_log');
    const pace = report.roi.knocks / report.roi.crew_hours;
    expect(pace).toBeGreaterThanOrEqual(18);
    expect(pace).toBeLessThanOrEqual(23);
    // A lead: a door that booked an inspection or signed, from the knock log.
    const leads = await sql<{ n: number }>`select count(*)::int as n from knock
      where storm_id = ${seed.storm.storm_id} and result in ('inspection_booked', 'signed')`.execute(t().db.owner);
    const perLead = report.roi.cost / leads.rows[0]!.n;
    expect(perLead).toBeGreaterThan(54);
    expect(perLead).toBeLessThan(127);
    expect(DEMO_POLICY.margin).toBeGreaterThanOrEqual(0.2);
    expect(DEMO_POLICY.margin).toBeLessThanOrEqual(0.4);
  });

  it('has clean data: no data-health issue a contractor would have to explain', async () => {
    const health = await getHealthDashboard({ db: t().db, principal: PLATFORM }, seed.storm.storm_id);
    expect(health.issues.filter((i) => i.check !== 'backup_age')).toEqual([]);
    const quality = report.success_criteria.find((c) => c.key === 'data_quality');
    expect(quality).toMatchObject({ status: 'pass' });
  });
});
