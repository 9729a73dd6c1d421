/**
 * The demo storm played out once, through the same services a contractor uses: NOAA hail reports of 20 May 2013, a
 * model trained on a generated past campaign and promoted, 5,000 generated homes imported and scored, the moderate
 * policy applied, and outcomes drawn from the generator's hidden truth. Every step is idempotent, so a start that
 * was interrupted half-way finishes the job next time; a storm that already has outcomes is left alone.
 */
import { sql } from 'kysely';
import type { ServiceContext } from '../domains/auth/principal.ts';
import { HAIL_CSV } from '../domains/demo/okc-2013-05-20.ts';
import { historyCsv, propertiesCsv } from '../domains/demo/properties-csv.ts';
import { getActiveModel, promoteModel, trainModel } from '../domains/models/models.service.ts';
import { scoreStorm } from '../domains/models/scoring.service.ts';
import { demoOutcomes } from '../domains/outcomes/demo-outcomes.ts';
import { applyPolicy } from '../domains/policy/policy.service.ts';
import { importProperties } from '../domains/properties/properties.service.ts';
import { importStormReports } from '../domains/storm-reports/storm-reports.service.ts';
import { setStormStatus, withStorm } from '../domains/storms/storms.service.ts';

export const DEMO_HOMES = 5_000;
const HOMES_SEED = 2013;
const HISTORY_SEED = 2012;

async function hasOutcomes(ctx: ServiceContext, stormId: string): Promise<boolean> {
  return withStorm(ctx, stormId, async (trx) => {
    const r = await sql<{
      found: boolean;
    }>`select exists (select 1 from outcome where storm_id = ${stormId}) as found`.execute(trx);
    return r.rows[0]?.found === true;
  });
}

/** Plays the demo storm out (no-op when it already has outcomes). `ctx` acts as the demo tenant. */
export async function ensureDemoCampaign(
  ctx: ServiceContext,
  stormId: string,
  log: (m: string) => void = () => {},
): Promise<void> {
  if (await hasOutcomes(ctx, stormId)) return;
  log('preparing the demo storm (first start only)...');
  await importStormReports(ctx, { stormId, text: HAIL_CSV, fileName: '130520_rpts.csv' });
  await getActiveModel(ctx).catch(async () => {
    const model = await trainModel(ctx, {
      csv: {
        source: [historyCsv(6_000, HISTORY_SEED)],
        sourceName: 'demo-past-campaign.csv',
        treatmentCol: 'arm',
        outcomeCol: 'converted',
      },
      seed: HISTORY_SEED,
    });
    await promoteModel(ctx, { modelId: model.model_id, stage: 'production', reason: 'demo' });
  });
  await importProperties(ctx, {
    stormId,
    source: [propertiesCsv(DEMO_HOMES, HOMES_SEED)],
    sourceName: 'demo-homes.csv',
  });
  await scoreStorm(ctx, { stormId });
  await applyPolicy(ctx, { stormId, mode: 'moderate' });
  const storm = await withStorm(ctx, stormId, async (_trx, s) => s.status);
  if (storm === 'planning') await setStormStatus(ctx, stormId, { status: 'active', reason: 'demo' });
  await demoOutcomes(ctx, { stormId, seed: HOMES_SEED });
}
