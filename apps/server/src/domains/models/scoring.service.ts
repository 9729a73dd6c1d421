/**
 * Scoring a storm: every property gets the production model's predicted uplift and, beside it, the shadow model's.
 * Properties are read page by page in id order, predicted, and staged with COPY; one INSERT ... ON CONFLICT then
 * writes the scores, so a rescore is atomic and a storm is never half-scored.
 */
import { randomUUID } from 'node:crypto';
import { kyselyIn } from '../../db/bulk-kysely.ts';
import { announceQuotaAlerts, checkQuota, meterInTx, type QuotaAlert } from '../billing/metering.ts';
import { rowTicker, type StepProgress } from '../../jobs/progress.ts';
import { loadModel, type UpliftModel } from '@stormops/uplift';
import { AppError } from '../../errors.ts';
import { metrics, timeJob } from '../../telemetry/metrics.ts';
import { recordJobEvent } from '../slo/slo.events.ts';
import type { BulkTx } from '../../db/bulk.ts';
import { copyLine } from '../../db/bulk.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { requireFeature } from '../tenants/tenant-flags.ts';
import { withStorm } from '../storms/storms.service.ts';
import { scoringRead, type FeatureSpec } from './features.ts';
import { scoreStormInput, type ScoreResult, type ScoreStormInput } from './models.schema.ts';
import { parse } from '../validate.ts';
import * as repo from './scoring.repo.ts';

interface Loaded {
  model_id: string;
  version: number;
  model: UpliftModel;
  specs: FeatureSpec[];
}

async function loadStage(tx: BulkTx, stage: 'production' | 'shadow'): Promise<Loaded | undefined> {
  const row = await repo.modelInStage(tx, stage);
  if (!row) return undefined;
  return {
    model_id: row.model_id,
    version: row.version,
    model: loadModel(row.artifact as never),
    specs: row.feature_schema.features,
  };
}

/** A scoring run is fresh (good for the scoring-freshness SLO) when it lands within this long of the data's last change. */
export const SCORING_FRESHNESS_TARGET_MS = 60 * 60 * 1000;

export async function scoreStorm(
  ctx: ServiceContext,
  input: ScoreStormInput,
  opts: { now?: Date; onProgress?: StepProgress } = {},
): Promise<ScoreResult> {
  authorize(ctx, 'scoring:run');
  const { storm_id: stormId } = parse(scoreStormInput, input);
  const tenantId = await withStorm(ctx, stormId, async (trx, storm) => {
    await requireFeature(ctx, storm.tenant_id, 'uplift_scoring', trx);
    return storm.tenant_id;
  });
  const { result, lastChange, alerts } = await timeJob('model.score', () =>
    scoreInTenant(ctx, tenantId, stormId, opts.onProgress),
  );
  metrics.propertiesScored.inc(result.scored);
  await ctx.db.analyze(['property', 'property_score']);
  await announceQuotaAlerts(ctx.db, alerts).catch(() => {});
  const at = opts.now ?? new Date();
  const fresh = lastChange === null || at.getTime() - lastChange.getTime() <= SCORING_FRESHNESS_TARGET_MS;
  await recordJobEvent(ctx.db, { series: 'job.scoring.freshness', good: fresh, at });
  return result;
}

async function scoreInTenant(
  ctx: ServiceContext,
  tenantId: string,
  stormId: string,
  onProgress?: StepProgress,
): Promise<{ result: ScoreResult; lastChange: Date | null; alerts: QuotaAlert[] }> {
  const started = performance.now();
  return ctx.db.withTenantBulk(tenantId, async (tx) => {
    const lastChange = await repo.lastPropertyChange(tx, stormId);
    const production = await loadStage(tx, 'production');
    if (!production)
      throw new AppError(
        'NOT_FOUND',
        'no production uplift model: train one (stormops model train) and promote it (stormops model promote)',
      );
    const shadow = await loadStage(tx, 'shadow');
    const kx = kyselyIn(tx);
    await checkQuota(kx, tenantId, 'properties_scored', 1);
    onProgress?.({ step: 'predicting', done: 0, total: null });
    const scores = await predictAll(tx, stormId, production, shadow, rowTicker(onProgress, 'predicting', null));
    const scored = scores.ids.length;
    // A trial whose quota cannot hold this storm's scores is refused before any score is written.
    await checkQuota(kx, tenantId, 'properties_scored', scored);
    await repo.storeScores(tx, {
      tenantId,
      stormId,
      modelId: production.model_id,
      shadowModelId: shadow?.model_id ?? null,
      rows: stageLines(scores, rowTicker(onProgress, 'writing scores', scored)),
    });
    onProgress?.({ step: 'storing scores', done: scored, total: scored });
    const result: ScoreResult = {
      storm_id: stormId,
      scored,
      model_id: production.model_id,
      version: production.version,
      shadow_model_id: shadow?.model_id ?? null,
      shadow_version: shadow?.version ?? null,
      elapsed_ms: Math.round(performance.now() - started),
    };
    const metered =
      scored > 0
        ? await meterInTx(kx, { tenantId, metric: 'properties_scored', quantity: scored, key: `score:${randomUUID()}` })
        : undefined;
    return { result, lastChange, alerts: metered?.alerts ?? [] };
  });
}

interface Scores {
  ids: string[];
  zips: (string | null)[];
  uplift: Float64Array;
  shadow: Float64Array | null;
}

/**
 * Reads the storm's properties as one stream of typed columns (a sequential scan; Postgres sends rows while Node
 * predicts) and predicts each batch with the production model and the shadow model.
 */
async function predictAll(
  tx: BulkTx,
  stormId: string,
  production: Loaded,
  shadow: Loaded | undefined,
  ticker: ReturnType<typeof rowTicker>,
): Promise<Scores> {
  const main = scoringRead(production.specs);
  const beside = shadow ? scoringRead(shadow.specs) : undefined;
  const columns = [
    { sql: 'property_id::text', type: 'text' as const },
    { sql: 'zip', type: 'text' as const },
    ...main.columns,
    ...(beside ? beside.columns : []),
  ];
  const ids: string[] = [];
  const zips: (string | null)[] = [];
  const uplift: Float64Array[] = [];
  const shadowUplift: Float64Array[] = [];
  for await (const batch of repo.propertyColumnBatches(tx, stormId, columns)) {
    uplift.push(production.model.predictUplift(main.dataset(batch, 2)));
    if (shadow && beside) shadowUplift.push(shadow.model.predictUplift(beside.dataset(batch, 2 + main.columns.length)));
    // A loop, not push(...batch): spreading 50,000 arguments comes close to the engine's argument limit.
    for (const id of batch.columns[0] as string[]) ids.push(id);
    for (const zip of batch.columns[1] as (string | null)[]) zips.push(zip);
    ticker.add((batch.columns[0] as string[]).length);
  }
  return { ids, zips, uplift: concat(uplift), shadow: shadow ? concat(shadowUplift) : null };
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function* stageLines(s: Scores, ticker: ReturnType<typeof rowTicker>): AsyncGenerator<string> {
  for (let i = 0; i < s.ids.length; i++) {
    ticker.add();
    yield copyLine([s.ids[i], s.zips[i], s.uplift[i], s.shadow ? s.shadow[i] : null]);
  }
}
