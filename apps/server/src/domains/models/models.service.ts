/**
 * The uplift model registry: versioned models with their learner, parameters, training-data fingerprint, feature
 * schema and holdout metrics; stages staging / production / shadow / archived with an audit trail; promotion and
 * rollback; `getActiveModel('uplift', 'production')` as in the playbook.
 */
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Dataset } from '@stormops/uplift';
import { AppError, fromDatabaseError } from '../../errors.ts';
import type { Trx } from '../../db/database.ts';
import type { UpliftModelTable } from '../../db/schema.ts';
import { actingTenant, authorize, type ServiceContext } from '../auth/principal.ts';
import { requireFeature } from '../tenants/tenant-flags.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { DEFAULT_FEATURES, inferSpecs, toDataset } from './features.ts';
import * as repo from './models.repo.ts';
import {
  activeModelInput,
  listModelsInput,
  promoteModelInput,
  rollbackModelInput,
  trainModelInput,
  type ActiveModelInput,
  type ListModelsInput,
  type ModelDetail,
  type ModelView,
  type PromoteModelInput,
  type RollbackModelInput,
  type Stage,
  type TrainInput,
  type TrainResult,
} from './models.schema.ts';
import { parse } from '../validate.ts';
import { readTrainingCsv } from './training-data.ts';
import { trainWithHoldout, type LearnerName, type TrainingData } from './training.ts';
import { loadStormTraining } from './storm-training.ts';

type ModelRow = Pick<Selectable<UpliftModelTable>, (typeof repo.MODEL_COLUMNS)[number]>;

export function toView(row: ModelRow): ModelView {
  return {
    ...(row as unknown as ModelView),
    stage: row.stage as Stage,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

function actor(ctx: ServiceContext): string {
  const p = ctx.principal;
  return p.kind === 'platform' ? 'operator' : p.kind === 'staff' ? `staff:${p.staffId}` : `user:${p.userId}`;
}

/** SHA-256 over every training value (features, arms, outcomes): same data, same fingerprint. */
function fingerprint(data: TrainingData): string {
  const h = createHash('sha256');
  for (const f of data.dataset.features) {
    h.update(f.name);
    h.update(new Uint8Array(f.values.buffer, f.values.byteOffset, f.values.byteLength));
  }
  h.update(new Uint8Array(data.treatment.buffer));
  h.update(new Uint8Array(data.outcome.buffer));
  return h.digest('hex');
}

export async function trainModel(ctx: ServiceContext, trainInput: TrainInput): Promise<TrainResult> {
  authorize(ctx, 'models:write');
  const started = performance.now();
  const input = parse(trainModelInput, trainInput);
  const learner: LearnerName = input.learner ?? 'x-learner';
  const holdoutShare = input.holdout_share ?? 0.3;
  if (Boolean(input.csv) === Boolean(input.storm_id))
    throw new AppError('VALIDATION', 'train from exactly one of a storm (--storm) or a file (--csv)');
  const seed = input.seed ?? 1;
  const name = input.name ?? 'uplift';
  let tenantId: string;
  let labelled: Awaited<ReturnType<typeof readTrainingCsv>>;
  let source: Record<string, unknown>;
  if (input.csv) {
    tenantId = actingTenant(ctx, input.tenant_id);
    await requireFeature(ctx, tenantId, 'uplift_scoring');
    labelled = await readTrainingCsv(input.csv);
    source = {
      kind: 'csv',
      file: input.csv.sourceName,
      file_kind: labelled.kind,
      treatment_col: input.csv.treatmentCol,
      outcome_col: input.csv.outcomeCol,
      ...(input.csv.treatValue !== undefined
        ? { treat_value: input.csv.treatValue, control_value: input.csv.controlValue }
        : {}),
      skipped_rows: labelled.skipped,
      left_out: labelled.leftOut,
    };
  } else {
    const fromStorm = await loadStormTraining(ctx, input.storm_id as string);
    tenantId = fromStorm.tenantId;
    await requireFeature(ctx, tenantId, 'uplift_scoring');
    labelled = fromStorm.labelled;
    source = { kind: 'storm', storm_id: input.storm_id };
  }
  if (labelled.kind === 'plain_table' && !input.features)
    throw new AppError(
      'VALIDATION',
      `${input.csv?.sourceName}: a plain table has no standard property features; name the feature columns with --features (leave out anything measured after treatment, such as other outcomes)`,
      { field: 'features' },
    );
  const specs = inferSpecs(labelled.rows, input.features ?? DEFAULT_FEATURES);
  const data: TrainingData = {
    dataset: toDataset(labelled.rows, specs),
    outcome: labelled.outcome,
    treatment: labelled.treatment,
  };
  const { model, metrics, reference } = trainWithHoldout(learner, data, {
    seed,
    holdoutShare,
    params: input.params ?? {},
  });
  const row = await insertVersion(ctx, tenantId, {
    name,
    learner,
    params: JSON.stringify({ seed, holdout_share: holdoutShare, ...input.params }),
    feature_schema: JSON.stringify({ features: specs }),
    training_source: JSON.stringify(source),
    training_fingerprint: fingerprint(data),
    training_rows: data.dataset.nRows,
    holdout_metrics: JSON.stringify(metrics),
    score_reference: JSON.stringify(reference),
    artifact: JSON.stringify(model.toJSON()),
  });
  const treated = labelled.treatment.reduce((n, t) => n + t, 0);
  return {
    ...toView(row),
    rows: { treat: treated, control: labelled.treatment.length - treated },
    elapsed_ms: Math.round(performance.now() - started),
  };
}

/** A trained model as stored (JSON columns as text). */
interface NewVersion {
  name: string;
  learner: string;
  params: string;
  feature_schema: string;
  training_source: string;
  training_fingerprint: string;
  training_rows: number;
  holdout_metrics: string;
  score_reference: string;
  artifact: string;
}

async function insertVersion(ctx: ServiceContext, tenantId: string, values: NewVersion): Promise<ModelRow> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.withTenant(tenantId, async (trx) => {
        const version = await repo.nextVersion(trx, values.name);
        return repo.insertVersion(trx, { ...values, tenant_id: tenantId, version }, actor(ctx));
      });
    } catch (err) {
      // Two trainings raced for the same version number: take the next one.
      if (attempt < 3 && fromDatabaseError(err)?.code === 'CONFLICT') continue;
      throw err;
    }
  }
}

/** Runs `fn` in the tenant owning the model (a tenant principal looks only inside itself). */
async function withModel<T>(
  ctx: ServiceContext,
  modelId: string,
  fn: (trx: Trx, m: ModelRow) => Promise<T>,
): Promise<T> {
  if (!/^[0-9a-f-]{36}$/i.test(modelId))
    throw new AppError('VALIDATION', `model_id: ${JSON.stringify(modelId)} is not a valid UUID`);
  const tenantId =
    ctx.principal.kind === 'tenant'
      ? ctx.principal.tenantId
      : await ctx.db.withPlatform((trx) => repo.modelTenant(trx, modelId));
  const missing = new AppError('NOT_FOUND', `model ${modelId} not found`, { model_id: modelId });
  if (!tenantId) throw missing;
  return ctx.db.withTenant(tenantId, async (trx) => {
    const m = await repo.findModel(trx, modelId);
    if (!m) throw missing;
    return fn(trx, m);
  });
}

export async function getModel(ctx: ServiceContext, modelId: string): Promise<ModelDetail> {
  authorize(ctx, 'models:read');
  return withModel(ctx, modelId, async (trx, m) => ({
    ...toView(m),
    stage_history: (await repo.stageHistory(trx, modelId)).map((h) => ({
      ...h,
      from_stage: h.from_stage as Stage | null,
      to_stage: h.to_stage as Stage,
      changed_at: new Date(h.changed_at).toISOString(),
    })),
  }));
}

export async function listModels(ctx: ServiceContext, input: ListModelsInput = {}): Promise<ModelView[]> {
  authorize(ctx, 'models:read');
  const filter = parse(listModelsInput, input);
  const tenantId = actingTenant(ctx, filter.tenant_id);
  return (await ctx.db.withTenant(tenantId, (trx) => repo.listModels(trx, filter.name))).map(toView);
}

/** The playbook's `get_active_model('uplift', 'production')`. */
export async function getActiveModel(ctx: ServiceContext, input: ActiveModelInput = {}): Promise<ModelView> {
  authorize(ctx, 'models:read');
  const a = parse(activeModelInput, input);
  const tenantId = actingTenant(ctx, a.tenant_id);
  const name = a.name ?? 'uplift';
  const stage = a.stage ?? 'production';
  const row = await ctx.db.withTenant(tenantId, (trx) => repo.findByStage(trx, name, stage));
  if (!row)
    throw new AppError(
      'NOT_FOUND',
      `no ${stage} model named ${name}: train one (stormops model train) and promote it`,
      { name, stage },
    );
  return toView(row);
}

/** Moves a model to a stage; promoting to production or shadow archives the model that held it. */
export async function promoteModel(ctx: ServiceContext, promote: PromoteModelInput): Promise<ModelView> {
  authorize(ctx, 'models:promote');
  const input = parse(promoteModelInput, promote);
  const audit = { actor: actor(ctx), reason: input.reason ?? null };
  return withModel(ctx, input.model_id, async (trx, m) => {
    if (input.stage === 'shadow') await requireFeature(ctx, m.tenant_id, 'shadow_models', trx);
    if (m.stage === input.stage) return toView(m);
    if (input.stage === 'production' || input.stage === 'shadow') {
      const holder = await repo.findByStage(trx, m.name, input.stage);
      if (holder)
        await repo.setStage(trx, holder, 'archived', { ...audit, reason: `replaced by version ${m.version}` });
    }
    await repo.setStage(trx, m, input.stage, audit);
    await recordAudit(trx, ctx, m.tenant_id, {
      action: 'model.stage',
      targetType: 'model',
      targetId: m.model_id,
      before: { stage: m.stage },
      after: { stage: input.stage, reason: audit.reason },
    });
    return toView({ ...m, stage: input.stage });
  });
}

/** Puts back the model that was production before the current one. */
export async function rollbackModel(ctx: ServiceContext, rollback: RollbackModelInput = {}): Promise<ModelView> {
  authorize(ctx, 'models:promote');
  const input = parse(rollbackModelInput, rollback);
  const tenantId = actingTenant(ctx, input.tenant_id);
  const name = input.name ?? 'uplift';
  const target = await ctx.db.withTenant(tenantId, async (trx) => {
    const current = await repo.findByStage(trx, name, 'production');
    return repo.previousProduction(trx, name, current?.model_id);
  });
  if (!target) throw new AppError('NOT_FOUND', `no earlier production model named ${name} to roll back to`, { name });
  return promoteModel(ctx, { model_id: target, stage: 'production', reason: input.reason ?? 'rollback' });
}

export type { Dataset };
