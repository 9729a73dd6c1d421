/** Response schemas of the model registry's routes (models.routes.ts): exactly what models.service.ts answers. */
import { z } from 'zod';
import { STAGES } from './model-names.ts';
import { isoTime } from '../../http/responses.ts';

const holdoutMetrics = z.strictObject({
  n_train: z.number(),
  n_holdout: z.number(),
  qini_auc_score: z.number(),
  uplift_auc_score: z.number(),
  uplift_at_30: z.number(),
  treat_rate_train: z.number(),
  qini_curve: z
    .strictObject({ targeted_share: z.array(z.number()), incremental: z.array(z.number()) })
    .optional()
    .describe('the hold-out Qini curve (share targeted, incremental conversions), at most 51 points'),
});

const scoreReference = z.strictObject({
  n: z.number(),
  mean: z.number(),
  stddev: z.number(),
  min: z.number(),
  max: z.number(),
  deciles: z.array(z.number()),
  percentiles: z.array(z.number()),
});

const featureSpec = z.strictObject({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  categories: z.array(z.string()).optional(),
});

/** A model version (ModelView). */
export const modelView = z
  .strictObject({
    model_id: z.uuid(),
    tenant_id: z.uuid(),
    name: z.string(),
    version: z.number().int(),
    learner: z.string(),
    stage: z.enum(STAGES),
    /** The learner's parameters as trained (free-form per learner). */
    params: z.record(z.string(), z.unknown()),
    /** Empty for a model registered without one (the column's default). */
    feature_schema: z.union([z.strictObject({ features: z.array(featureSpec) }), z.strictObject({})]),
    /** Where the rows came from (a storm, a file) and what was left out: free-form per source. */
    training_source: z.record(z.string(), z.unknown()),
    training_fingerprint: z.string(),
    training_rows: z.number().int(),
    /** Empty for a model registered without a hold-out. */
    holdout_metrics: z.union([holdoutMetrics, z.strictObject({})]),
    score_reference: z.union([scoreReference, z.strictObject({})]),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ id: 'ModelVersion' });

export const stageChange = z.strictObject({
  model_id: z.uuid(),
  from_stage: z.enum(STAGES).nullable(),
  to_stage: z.enum(STAGES),
  actor: z.string(),
  reason: z.string().nullable(),
  changed_at: isoTime,
});

export const modelDetail = modelView.extend({ stage_history: z.array(stageChange) }).meta({ id: 'ModelDetail' });

export const trainResult = modelView.extend({
  rows: z.strictObject({ treat: z.number().int(), control: z.number().int() }),
  elapsed_ms: z.number(),
});

export const modelList = z.strictObject({ models: z.array(modelView) });

export const scoreResult = z.strictObject({
  storm_id: z.uuid(),
  scored: z.number().int(),
  model_id: z.uuid(),
  version: z.number().int(),
  shadow_model_id: z.uuid().nullable(),
  shadow_version: z.number().int().nullable(),
  elapsed_ms: z.number(),
});
