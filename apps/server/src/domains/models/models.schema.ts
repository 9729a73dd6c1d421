/** Model registry inputs and views, shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { int4, text } from '../fields.ts';
import { stormId } from '../storms/storms.schema.ts';
import type { FeatureSpec } from './features.ts';
import type { TrainingFile } from './training-data.ts';
import type { HoldoutMetrics, ScoreReference } from './training.ts';
import { LEARNERS, STAGES } from './model-names.ts';

export { STAGES };
export type Stage = (typeof STAGES)[number];

const uuid = z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` });
const tenant = uuid.optional().describe('operator only: the tenant to act in');
const modelName = text().trim().min(1).max(100);
const reason = text().trim().max(500);
const stage = z.enum(STAGES, { error: () => `must be one of ${STAGES.join(', ')}` });
const activeStage = z.enum(['production', 'shadow'], { error: () => 'must be production or shadow' });

/** POST /models/train: learn from a past storm of the tenant (its treat/hold arms and logged outcomes). */
export const trainStormInput = z
  .object({
    storm_id: stormId,
    learner: z.enum(LEARNERS, { error: () => `must be one of ${LEARNERS.join(', ')}` }).optional(),
    features: z.array(text().min(1)).min(1).optional(),
    seed: int4().min(0).optional(),
    /** Share of rows held out for the metrics (default 0.3). */
    holdout_share: z.number().min(0.1).max(0.5).optional(),
  })
  .strict();

/**
 * `model train`, `models.train(...)`: the HTTP body's fields, or instead of a storm a file with an arm column and an
 * outcome column (a property file or a plain experiment table; in-process only).
 */
export const trainModelInput = trainStormInput
  .extend({
    tenant_id: tenant,
    storm_id: stormId.optional(),
    /** Registry name (default 'uplift'). */
    name: modelName.optional(),
    csv: z.custom<TrainingFile>((v) => typeof v === 'object' && v !== null, 'csv must be a training file').optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type TrainInput = z.input<typeof trainModelInput>;

/** GET /models, `model list`, `models.list(...)`. */
export const listModelsInput = z.object({ tenant_id: tenant, name: modelName.optional() }).strict();
export type ListModelsInput = z.input<typeof listModelsInput>;

/** GET /models/active, `model active`, `models.active(...)`: the playbook's get_active_model('uplift', 'production'). */
export const activeModelInput = z
  .object({ tenant_id: tenant, name: modelName.optional(), stage: activeStage.optional() })
  .strict();
export type ActiveModelInput = z.input<typeof activeModelInput>;

/** POST /models/:model_id/stage, `model promote`, `models.promote(...)`. */
export const promoteModelInput = z.object({ model_id: uuid, stage, reason: reason.optional() }).strict();
export type PromoteModelInput = z.input<typeof promoteModelInput>;

/** POST /models/rollback, `model rollback`, `models.rollback(...)`. */
export const rollbackModelInput = z
  .object({ tenant_id: tenant, name: modelName.optional(), reason: reason.optional() })
  .strict();
export type RollbackModelInput = z.input<typeof rollbackModelInput>;

/** POST /storms/:storm_id/score, `model score`, `models.score(...)`. */
export const scoreStormInput = z.object({ storm_id: stormId }).strict();
export type ScoreStormInput = z.input<typeof scoreStormInput>;

export interface ModelView {
  model_id: string;
  tenant_id: string;
  name: string;
  version: number;
  learner: string;
  stage: Stage;
  params: Record<string, unknown>;
  feature_schema: { features: FeatureSpec[] };
  training_source: Record<string, unknown>;
  training_fingerprint: string;
  training_rows: number;
  holdout_metrics: HoldoutMetrics | Record<string, never>;
  score_reference: ScoreReference | Record<string, never>;
  created_at: string;
  updated_at: string;
}

export interface ModelDetail extends ModelView {
  stage_history: {
    model_id: string;
    from_stage: Stage | null;
    to_stage: Stage;
    actor: string;
    reason: string | null;
    changed_at: string;
  }[];
}

export interface TrainResult extends ModelView {
  /** Rows used per arm; rows of other arms left out of a plain table are counted in `training_source.left_out`. */
  rows: { treat: number; control: number };
  elapsed_ms: number;
}

export interface ScoreResult {
  storm_id: string;
  scored: number;
  model_id: string;
  version: number;
  shadow_model_id: string | null;
  shadow_version: number | null;
  elapsed_ms: number;
}
