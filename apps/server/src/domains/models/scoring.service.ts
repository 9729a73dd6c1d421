/**
 * Scoring a storm: every property gets the production model's predicted uplift and, beside it, the shadow model's.
 * Properties are read page by page in id order, predicted, and staged with COPY; one INSERT ... ON CONFLICT then
 * writes the scores, so a rescore is atomic and a storm is never half-scored.
 */
import { loadModel, type UpliftModel } from '@stormops/uplift';
import { AppError } from '../../errors.ts';
import { metrics, timeJob } from '../../telemetry/metrics.ts';
import { recordJobEvent } from '../slo/slo.events.ts';
import type { BulkTx } from '../../db/bulk.ts';
import { copyLine } from '../../db/bulk.ts';
import type { ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { propertyColumnsFor, toDataset, type FeatureSpec } from './features.ts';
import type { ScoreResult } from './models.schema.ts';

const PAGE = 100_000;

interface Loaded {
  model_id: string;
  version: number;
  model: UpliftModel;
  specs: FeatureSpec[];
}

async function loadStage(tx: BulkTx, stage: 'production' | 'shadow'): Promise<Loaded | undefined> {
  const rows = await tx.query<{ model_id: string; version: number; artifact: unknown; feature_schema: { features: FeatureSpec[] } }>(
    `select model_id, version, artifact, feature_schema from uplift_model where name = 'uplift' and stage = $1`,
    [stage],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { model_id: row.model_id, version: row.version, model: loadModel(row.artifact as never), specs: row.feature_schema.features };
}

/** A scoring run is fresh (good for the scoring-freshness SLO) when it lands within this long of the data's last change. */
export const SCORING_FRESHNESS_TARGET_MS = 60 * 60 * 1000;

export async function scoreStorm(ctx: ServiceContext, input: { stormId: string; now?: Date }): Promise<ScoreResult> {
  const tenantId = await withStorm(ctx, input.stormId, async (_trx, storm) => storm.tenant_id);
  const { result, lastChange } = await timeJob('model.score', () => scoreInTenant(ctx, tenantId, input.stormId));
  metrics.propertiesScored.inc(result.scored);
  const at = input.now ?? new Date();
  const fresh = lastChange === null || at.getTime() - lastChange.getTime() <= SCORING_FRESHNESS_TARGET_MS;
  await recordJobEvent(ctx.db, { series: 'job.scoring.freshness', good: fresh, at });
  return result;
}

async function scoreInTenant(ctx: ServiceContext, tenantId: string, stormId: string): Promise<{ result: ScoreResult; lastChange: Date | null }> {
  const started = performance.now();
  const input = { stormId };
  return ctx.db.withTenantBulk(tenantId, async (tx) => {
    const changed = await tx.query<{ at: Date | null }>('select max(updated_at) as at from property where storm_id = $1', [stormId]);
    const production = await loadStage(tx, 'production');
    if (!production) throw new AppError('NOT_FOUND', 'no production uplift model: train one (stormops model train) and promote it (stormops model promote)');
    const shadow = await loadStage(tx, 'shadow');
    const columns = new Set(['property_id', ...propertyColumnsFor(production.specs), ...(shadow ? propertyColumnsFor(shadow.specs) : [])]);
    await tx.query('create temp table score_stage (property_id uuid, uplift double precision, shadow_uplift double precision) on commit drop');
    let after = '00000000-0000-0000-0000-000000000000';
    let scored = 0;
    for (;;) {
      const rows = await tx.query<Record<string, unknown> & { property_id: string }>(
        `select ${[...columns].join(', ')} from property where storm_id = $1 and property_id > $2 order by property_id limit ${PAGE}`,
        [input.stormId, after],
      );
      if (rows.length === 0) break;
      const uplift = production.model.predictUplift(toDataset(rows, production.specs));
      const shadowUplift = shadow ? shadow.model.predictUplift(toDataset(rows, shadow.specs)) : undefined;
      await tx.copy(
        'COPY score_stage FROM STDIN',
        (async function* () {
          for (let i = 0; i < rows.length; i++) yield copyLine([rows[i]?.property_id, uplift[i], shadowUplift ? shadowUplift[i] : null]);
        })(),
      );
      scored += rows.length;
      after = rows[rows.length - 1]?.property_id ?? after;
      if (rows.length < PAGE) break;
    }
    // A storm's first scoring is a plain insert; a rescoring replaces each row in place.
    const rescoring = (await tx.query<{ any: boolean }>('select exists (select 1 from property_score where storm_id = $1) as any', [input.stormId]))[0]?.any;
    await tx.query(
      `insert into property_score (tenant_id, property_id, storm_id, model_id, uplift, shadow_model_id, shadow_uplift, scored_at)
       select $1::uuid, property_id, $2::uuid, $3::uuid, uplift, $4::uuid, shadow_uplift, now() from score_stage` +
        (rescoring
          ? ` on conflict (tenant_id, property_id) do update set storm_id = excluded.storm_id, model_id = excluded.model_id,
         uplift = excluded.uplift, shadow_model_id = excluded.shadow_model_id, shadow_uplift = excluded.shadow_uplift,
         scored_at = excluded.scored_at`
          : ''),
      [tenantId, input.stormId, production.model_id, shadow?.model_id ?? null],
    );
    const result: ScoreResult = {
      storm_id: input.stormId,
      scored,
      model_id: production.model_id,
      version: production.version,
      shadow_model_id: shadow?.model_id ?? null,
      shadow_version: shadow?.version ?? null,
      elapsed_ms: Math.round(performance.now() - started),
    };
    const lastChange = changed[0]?.at ?? null;
    return { result, lastChange: lastChange ? new Date(lastChange) : null };
  });
}
