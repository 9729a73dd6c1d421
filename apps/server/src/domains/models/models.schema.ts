/** Model registry inputs and views, shared by the SDK, the CLI and the HTTP routes. */
import type { FeatureSpec } from './features.ts';
import type { TrainingFile } from './training-data.ts';
import type { HoldoutMetrics, LearnerName, ScoreReference } from './training.ts';

import { STAGES } from './model-names.ts';

export { STAGES };
export type Stage = (typeof STAGES)[number];

export interface TrainInput {
  tenantId?: string;
  /** Registry name (default 'uplift'). */
  name?: string;
  /** Learn from a past storm of the tenant: its treat/hold arms and logged outcomes. */
  stormId?: string;
  /** Or from a file with an arm column and an outcome column: a property file or a plain experiment table. */
  csv?: TrainingFile;
  learner?: LearnerName;
  features?: string[];
  seed?: number;
  /** Share of rows held out for the metrics (default 0.3). */
  holdoutShare?: number;
  params?: Record<string, unknown>;
}

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
