/** SQL for the model registry. Functions take a transaction first; no business rules. */
import { sql, type Insertable } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

export const MODEL_COLUMNS = [
  'model_id',
  'tenant_id',
  'name',
  'version',
  'learner',
  'params',
  'feature_schema',
  'training_source',
  'training_fingerprint',
  'training_rows',
  'holdout_metrics',
  'score_reference',
  'stage',
  'created_at',
  'updated_at',
] as const;

export async function nextVersion(trx: Trx, name: string): Promise<number> {
  const row = await trx
    .selectFrom('uplift_model')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

export function findModel(trx: Trx, modelId: string) {
  return trx.selectFrom('uplift_model').select(MODEL_COLUMNS).where('model_id', '=', modelId).executeTakeFirst();
}

export function findArtifact(trx: Trx, modelId: string) {
  return trx
    .selectFrom('uplift_model')
    .select(['artifact', 'feature_schema'])
    .where('model_id', '=', modelId)
    .executeTakeFirst();
}

export function findByStage(trx: Trx, name: string, stage: string) {
  return trx
    .selectFrom('uplift_model')
    .select(MODEL_COLUMNS)
    .where('name', '=', name)
    .where('stage', '=', stage)
    .executeTakeFirst();
}

export function listModels(trx: Trx, name?: string) {
  let q = trx.selectFrom('uplift_model').select(MODEL_COLUMNS).orderBy('name').orderBy('version', 'desc');
  if (name) q = q.where('name', '=', name);
  return q.execute();
}

export async function setStage(
  trx: Trx,
  m: { tenant_id: string; model_id: string; stage: string },
  to: string,
  audit: { actor: string; reason: string | null },
): Promise<void> {
  await trx
    .updateTable('uplift_model')
    .set({ stage: to, updated_at: new Date() })
    .where('model_id', '=', m.model_id)
    .execute();
  await trx
    .insertInto('model_stage_change')
    .values({
      tenant_id: m.tenant_id,
      model_id: m.model_id,
      from_stage: m.stage,
      to_stage: to,
      actor: audit.actor,
      reason: audit.reason,
    })
    .execute();
}

export function stageHistory(trx: Trx, modelId?: string) {
  let q = trx
    .selectFrom('model_stage_change')
    .select(['model_id', 'from_stage', 'to_stage', 'actor', 'reason', 'changed_at'])
    .orderBy('changed_at', 'desc')
    .orderBy('seq', 'desc');
  if (modelId) q = q.where('model_id', '=', modelId);
  return q.limit(200).execute();
}

/** The model that was production before the current one (the target of a rollback). */
export async function previousProduction(trx: Trx, name: string, currentId: string | undefined) {
  const rows = await trx
    .selectFrom('model_stage_change as c')
    .innerJoin('uplift_model as m', (j) =>
      j.onRef('m.tenant_id', '=', 'c.tenant_id').onRef('m.model_id', '=', 'c.model_id'),
    )
    .select(['m.model_id'])
    .where('m.name', '=', name)
    .where('c.from_stage', '=', 'production')
    .orderBy('c.changed_at', 'desc')
    .orderBy('c.seq', 'desc')
    .execute();
  return rows.find((r) => r.model_id !== currentId)?.model_id;
}

/** A trained version in staging, with its first stage change ("trained"). */
export async function insertVersion(
  trx: Trx,
  values: Insertable<DB['uplift_model']> & { tenant_id: string },
  actor: string,
) {
  const inserted = await trx
    .insertInto('uplift_model')
    .values(values)
    .returning(MODEL_COLUMNS)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('model_stage_change')
    .values({
      tenant_id: values.tenant_id,
      model_id: inserted.model_id,
      from_stage: null,
      to_stage: 'staging',
      actor,
      reason: 'trained',
    })
    .execute();
  return inserted;
}

/** The tenant owning a model (platform scope: any tenant's). */
export async function modelTenant(trx: Trx, modelId: string): Promise<string | undefined> {
  return (await trx.selectFrom('uplift_model').select('tenant_id').where('model_id', '=', modelId).executeTakeFirst())
    ?.tenant_id;
}

/**
 * Training rows of a past storm: every property randomized to treat or hold, with its arm and current outcome (null:
 * none logged).
 */
export async function stormTrainingRows(trx: Trx, stormId: string) {
  const r = await sql<Record<string, unknown> & { arm: string; converted: boolean | null }>`
    select p.*, a.arm, o.converted
    from property p
    join assignment a on a.tenant_id = p.tenant_id and a.property_id = p.property_id
    left join outcome o on o.tenant_id = p.tenant_id and o.property_id = p.property_id and o.is_current
    where p.storm_id = ${stormId} and a.arm in ('treat', 'hold')
    order by p.property_id`.execute(trx);
  return r.rows;
}
