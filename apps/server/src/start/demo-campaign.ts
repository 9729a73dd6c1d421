/**
 * The demo storm played out once, through the same services a contractor uses: NOAA hail reports of 20 May 2013, a
 * model trained on a generated past campaign and promoted, 32,000 generated homes imported and scored, the demo
 * tenant's moderate policy (a roofer's planning numbers) applied, four canvassers' territories, and outcomes and
 * knocks drawn from the generator's hidden truth at its `planning` rates. docs/demo.md gives every number and its
 * source. Every step is idempotent, so a start that was interrupted half-way finishes the job next time; a storm that
 * already has outcomes is left alone.
 */
import type { ServiceContext } from '../domains/auth/principal.ts';
import { HAIL_CSV } from '../domains/demo/okc-2013-05-20.ts';
import { historyCsv, propertiesCsv } from '../domains/demo/properties-csv.ts';
import { getActiveModel, promoteModel, trainModel } from '../domains/models/models.service.ts';
import { scoreStorm } from '../domains/models/scoring.service.ts';
import { demoOutcomes } from '../domains/demo/demo-outcomes.ts';
import { stormHasOutcomes } from '../domains/outcomes/outcomes.repo.ts';
import { applyPolicy, configurePolicy } from '../domains/policy/policy.service.ts';
import { planTerritories } from '../domains/policy/crew.service.ts';
import { setUpliftBand } from '../domains/observability/data-health.service.ts';
import { importProperties } from '../domains/properties/properties.service.ts';
import { importStormReports } from '../domains/storm-reports/storm-reports.service.ts';
import { setStormStatus, withStorm } from '../domains/storms/storms.service.ts';

/** Homes in the storm's path: enough that the demo's lift is detectable at 80% power (docs/demo.md). */
export const DEMO_HOMES = 32_000;
const HOMES_SEED = 2013;
const HISTORY_SEED = 2012;
/** The past campaign the demo model learns from: a season of 20,000 doors, half knocked. */
const HISTORY_HOMES = 20_000;
const CANVASSERS = 18;

/**
 * The demo tenant's moderate policy: a roofer's planning numbers (docs/demo.md). Eighteen canvassers blitz the storm at
 * 20 doors an hour for 8 hours (160 doors a day) over 2 days; $10 a door (commission, materials, lead handling) on top
 * of $25 an hour of labour (about one door in six gives a lead: about $65 a lead, inside $54-127); a $10,000
 * re-roof at a 30% gross margin; a knock is worth it from 0.5 points of predicted uplift; the best quarter of scored
 * homes enter the experiment, 30% of them held out: arms large enough that the report finds the lift significant on
 * any randomization, not only on a lucky one (docs/demo.md).
 */
export const DEMO_POLICY = {
  min_uplift: 0.005,
  top_share: 0.25,
  hold_share: 0.3,
  crews: CANVASSERS,
  doors_per_day: 160,
  days: 2,
  cost_per_knock_cents: 1_000,
  crew_hour_cost_cents: 2_500,
  job_value_cents: 1_000_000,
  margin: 0.3,
} as const;

/** Mean predicted uplift a roofer's storm shows (0.5 to 6 points), instead of the playbook's 10 to 30. */
export const DEMO_UPLIFT_BAND = { low: 0.005, high: 0.06 } as const;

/** Plays the demo storm out (no-op when it already has outcomes). `ctx` acts as the demo tenant. */
export async function ensureDemoCampaign(
  ctx: ServiceContext,
  stormId: string,
  log: (m: string) => void = () => {},
): Promise<void> {
  if (await withStorm(ctx, stormId, (trx) => stormHasOutcomes(trx, stormId))) return;
  log('preparing the demo storm (first start only)...');
  await configurePolicy(ctx, { mode: 'moderate', params: DEMO_POLICY });
  await setUpliftBand(ctx, DEMO_UPLIFT_BAND);
  await importStormReports(ctx, { storm_id: stormId, text: HAIL_CSV, file_name: '130520_rpts.csv' });
  await getActiveModel(ctx).catch(async () => {
    const model = await trainModel(ctx, {
      csv: {
        source: [historyCsv(HISTORY_HOMES, HISTORY_SEED, 'planning')],
        sourceName: 'demo-past-campaign.csv',
        treatmentCol: 'arm',
        outcomeCol: 'converted',
      },
      seed: HISTORY_SEED,
    });
    await promoteModel(ctx, { model_id: model.model_id, stage: 'production', reason: 'demo' });
  });
  await importProperties(ctx, {
    storm_id: stormId,
    source: [propertiesCsv(DEMO_HOMES, HOMES_SEED, 'planning')],
    source_name: 'demo-homes.csv',
  });
  await scoreStorm(ctx, { storm_id: stormId });
  await applyPolicy(ctx, { storm_id: stormId, mode: 'moderate' });
  await planTerritories(ctx, { storm_id: stormId, canvassers: CANVASSERS });
  const storm = await withStorm(ctx, stormId, async (_trx, s) => s.status);
  if (storm === 'planning') await setStormStatus(ctx, stormId, { status: 'active', reason: 'demo' });
  await demoOutcomes(ctx, { storm_id: stormId, seed: HOMES_SEED });
}
