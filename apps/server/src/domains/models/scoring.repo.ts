/**
 * SQL for scoring a storm, inside the caller's bulk transaction: the models in a stage, when the storm's properties
 * last changed, their feature columns in batches, and the scores staged and stored.
 */
import { stagedCopy, type BulkTx, type CopyText } from '../../db/bulk.ts';
import type { FeatureSpec } from './features.ts';

/** The tenant's `uplift` model in a stage, with its artifact and feature schema. */
export async function modelInStage(tx: BulkTx, stage: 'production' | 'shadow') {
  const rows = await tx.query<{
    model_id: string;
    version: number;
    artifact: unknown;
    feature_schema: { features: FeatureSpec[] };
  }>(`select model_id, version, artifact, feature_schema from uplift_model where name = 'uplift' and stage = $1`, [
    stage,
  ]);
  return rows[0];
}

/** When the storm's properties last changed (null when it holds none). */
export async function lastPropertyChange(tx: BulkTx, stormId: string): Promise<Date | null> {
  const rows = await tx.query<{ at: Date | null }>('select max(updated_at) as at from property where storm_id = $1', [
    stormId,
  ]);
  return rows[0]?.at ? new Date(rows[0].at) : null;
}

/** The storm's properties as column batches of the given SQL expressions (`property` columns), in any order. */
export function propertyColumnBatches(
  tx: BulkTx,
  stormId: string,
  columns: readonly { sql: string; type: Parameters<BulkTx['readColumns']>[2][number] }[],
) {
  return tx.readColumns(
    `select ${columns.map((c) => c.sql).join(', ')} from property where storm_id = $1`,
    [stormId],
    columns.map((c) => c.type),
  );
}

/**
 * Stores the staged scores (COPY rows: property_id, zip, uplift, shadow_uplift). A storm's first scoring is a plain
 * insert; a rescoring replaces each row in place. Rows go in property id order, the primary key's, so its index
 * grows by appends (2.8 s against 4.7 s for 1,000,000 rows).
 */
export async function storeScores(
  tx: BulkTx,
  s: {
    tenantId: string;
    stormId: string;
    modelId: string;
    shadowModelId: string | null;
    rows: AsyncIterable<CopyText> | Iterable<CopyText>;
  },
): Promise<number> {
  const rescoring = (
    await tx.query<{ any: boolean }>('select exists (select 1 from property_score where storm_id = $1) as any', [
      s.stormId,
    ])
  )[0]?.any;
  return stagedCopy(tx, {
    stage: 'score_stage',
    columns: 'property_id uuid, zip text, uplift double precision, shadow_uplift double precision',
    rows: s.rows,
    insert:
      `insert into property_score (tenant_id, property_id, storm_id, zip, model_id, uplift, shadow_model_id, shadow_uplift, scored_at)
       select $1::uuid, property_id, $2::uuid, zip, $3::uuid, uplift, $4::uuid, shadow_uplift, now() from score_stage order by property_id` +
      (rescoring
        ? ` on conflict (tenant_id, property_id) do update set storm_id = excluded.storm_id, zip = excluded.zip, model_id = excluded.model_id,
         uplift = excluded.uplift, shadow_model_id = excluded.shadow_model_id, shadow_uplift = excluded.shadow_uplift,
         scored_at = excluded.scored_at`
        : ''),
    params: [s.tenantId, s.stormId, s.modelId, s.shadowModelId],
  });
}
