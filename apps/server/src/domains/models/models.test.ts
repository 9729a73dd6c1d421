/**
 * The model registry on both backends: training from a property file and from a past storm, determinism,
 * stages with audit, rollback, scoring a storm bit-identically to the stored artifact, shadow scores, evaluate,
 * and isolation between tenants.
 */
import { createReadStream } from 'node:fs';
import { sql } from 'kysely';
import { loadModel } from '@stormops/uplift';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx, underBothPlans } from '../../../test/helpers.ts';
import { historyCsv } from '../demo/properties-csv.ts';
import { importProperties } from '../properties/properties.service.ts';
import { createStorm } from '../storms/storms.service.ts';
import { evaluateScores } from './evaluate.service.ts';
import { toDataset, type FeatureSpec } from './features.ts';
import * as repo from './models.repo.ts';
import * as models from './models.service.ts';
import { scoreStorm } from './scoring.service.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const HILLSTROM = `${DATA}hillstrom.csv`;

const csvInput = (count: number, seed: number) => ({
  source: [historyCsv(count, seed)],
  sourceName: 'history.csv',
  treatmentCol: 'arm',
  outcomeCol: 'converted',
});

describeEachDatabase('model registry', (t) => {
  let tenantId: string;
  beforeAll(async () => {
    tenantId = (await newTenant(t().db)).tenantId;
  });

  it('trains from a property file into staging, deterministically, with holdout metrics', async () => {
    const ctx = tenantCtx(t().db, tenantId);
    const a = await models.trainModel(ctx, { csv: csvInput(4000, 21), learner: 't-learner', seed: 3 });
    const b = await models.trainModel(ctx, { csv: csvInput(4000, 21), learner: 't-learner', seed: 3 });
    expect(a).toMatchObject({
      stage: 'staging',
      learner: 't-learner',
      training_rows: 4000,
      version: expect.any(Number),
    });
    expect(b.version).toBe(a.version + 1);
    expect(b.training_fingerprint).toBe(a.training_fingerprint);
    expect(a.holdout_metrics).toMatchObject({ n_train: 2800, n_holdout: 1200 });
    // The hold-out Qini curve is kept with the version (the web app's Models page draws it).
    const curve = (await models.getModel(ctx, a.model_id)).holdout_metrics.qini_curve!;
    expect(curve.targeted_share[0]).toBe(0);
    expect(curve.targeted_share.at(-1)).toBe(1);
    expect(curve.incremental).toHaveLength(curve.targeted_share.length);
    expect(curve.targeted_share.length).toBeGreaterThan(10);
    expect(a.feature_schema.features.map((f) => f.name)).toEqual(
      expect.arrayContaining(['max_hail_in', 'roof_age_years', 'roof_material']),
    );
    const [artA, artB] = await t().db.withTenant(tenantId, (trx) =>
      Promise.all(
        [a.model_id, b.model_id].map((id) =>
          trx.selectFrom('uplift_model').select('artifact').where('model_id', '=', id).executeTakeFirstOrThrow(),
        ),
      ),
    );
    expect(artB?.artifact).toEqual(artA?.artifact);
    const other = await models.trainModel(ctx, { csv: csvInput(4000, 22), learner: 't-learner', seed: 3 });
    expect(other.training_fingerprint).not.toBe(a.training_fingerprint);
  });

  it('refuses training data with one arm, bad outcomes or a missing column, naming the problem', async () => {
    const ctx = tenantCtx(t().db, tenantId);
    const oneArm = Buffer.from(
      historyCsv(200, 5)
        .toString()
        .replace(/,hold,/g, ',treat,'),
    );
    await expect(models.trainModel(ctx, { csv: { ...csvInput(0, 0), source: [oneArm] } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('0 held out'),
    });
    await expect(models.trainModel(ctx, { csv: { ...csvInput(200, 5), outcomeCol: 'signed' } })).rejects.toMatchObject({
      message: expect.stringContaining('no column signed'),
    });
    const badOutcome = Buffer.from(
      historyCsv(200, 5)
        .toString()
        .replace(/,treat,0,0\n/, ',treat,maybe,0\n'),
    );
    await expect(models.trainModel(ctx, { csv: { ...csvInput(0, 0), source: [badOutcome] } })).rejects.toMatchObject({
      message: expect.stringMatching(/row \d+, column converted/),
    });
    await expect(models.trainModel(ctx, { csv: csvInput(200, 5), learner: 'magic' as never })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(models.trainModel(ctx, { csv: csvInput(200, 5), seed: Number('x') })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('seed'),
    });
  });

  it.skipIf(!DATA)(
    'trains from a plain experiment table: only the two named arms, rows used per arm, others counted',
    async () => {
      const ctx = tenantCtx(t().db, tenantId);
      const file = {
        source: createReadStream(HILLSTROM),
        sourceName: 'hillstrom.csv',
        treatmentCol: 'segment',
        treatValue: 'Womens E-Mail',
        controlValue: 'No E-Mail',
        outcomeCol: 'visit',
      };
      const m = await models.trainModel(ctx, {
        csv: file,
        features: ['recency', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel'],
        learner: 't-learner',
      });
      expect(m.training_rows).toBe(42_693);
      expect(m.rows.treat + m.rows.control).toBe(42_693);
      expect(m.training_source).toMatchObject({ file_kind: 'plain_table', left_out: 64_000 - 42_693 });
      // zip_code is a label column of the table, not a ZIP: it is kept as a feature with its categories.
      expect(m.feature_schema.features.find((f) => f.name === 'zip_code')).toMatchObject({
        kind: 'categorical',
        categories: ['Rural', 'Surburban', 'Urban'],
      });
      // One arm alone would pool the other two into control: refused, as are unnamed features (the table also
      // holds outcomes measured after treatment).
      const { controlValue: _, ...oneArm } = { ...file, source: createReadStream(HILLSTROM) };
      await expect(models.trainModel(ctx, { csv: oneArm, features: ['recency'] })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('--control-value'),
      });
      await expect(
        models.trainModel(ctx, { csv: { ...file, source: createReadStream(HILLSTROM) } }),
      ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--features') });
    },
  );

  it('promotes with an audit trail, keeps one production model, and rolls back', async () => {
    const { tenantId: tid } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tid);
    await expect(models.getActiveModel(ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const v1 = await models.trainModel(ctx, { csv: csvInput(1500, 31), learner: 't-learner' });
    const v2 = await models.trainModel(ctx, { csv: csvInput(1500, 32), learner: 't-learner' });
    await models.promoteModel(ctx, { model_id: v1.model_id, stage: 'production' });
    await models.promoteModel(ctx, { model_id: v2.model_id, stage: 'production', reason: 'better' });
    expect((await models.getActiveModel(ctx)).model_id).toBe(v2.model_id);
    expect((await models.getModel(ctx, v1.model_id)).stage).toBe('archived');
    const back = await models.rollbackModel(ctx);
    expect(back.model_id).toBe(v1.model_id);
    expect((await models.getModel(ctx, v2.model_id)).stage).toBe('archived');
    const history = (await models.getModel(ctx, v1.model_id)).stage_history as {
      from_stage: string | null;
      to_stage: string;
    }[];
    expect(history.map((h) => `${h.from_stage}->${h.to_stage}`)).toEqual([
      'archived->production',
      'production->archived',
      'staging->production',
      'null->staging',
    ]);
    // Another tenant sees none of it.
    const stranger = tenantCtx(t().db, (await newTenant(t().db)).tenantId);
    await expect(models.getModel(stranger, v1.model_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(models.promoteModel(stranger, { model_id: v1.model_id, stage: 'archived' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await models.listModels(stranger)).toEqual([]);
  });

  it('rolls back to the model that was production last when promotions share a timestamp', async () => {
    const { tenantId: tid } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tid);
    const [v1, v2, v3] = [
      await models.trainModel(ctx, { csv: csvInput(600, 61), learner: 't-learner' }),
      await models.trainModel(ctx, { csv: csvInput(600, 62), learner: 't-learner' }),
      await models.trainModel(ctx, { csv: csvInput(600, 63), learner: 't-learner' }),
    ];
    // Three promotions in one transaction, as promoteModel does each: now() is constant in it, so every stage change
    // gets the same changed_at (on PGlite, two promotions within one millisecond do the same).
    const audit = { actor: 'test', reason: null };
    await t().db.withTenant(tid, async (trx) => {
      let holder: { tenant_id: string; model_id: string; stage: string } | undefined;
      for (const m of [v1, v2, v3]) {
        if (holder) await repo.setStage(trx, { ...holder, stage: 'production' }, 'archived', audit);
        await repo.setStage(trx, m, 'production', audit);
        holder = m;
      }
    });
    const read = await underBothPlans(t().db, tid, async (trx) => ({
      rollbackTo: await repo.previousProduction(trx, 'uplift', v3.model_id),
      history: (await repo.stageHistory(trx, v2.model_id)).map((h) => `${h.from_stage}->${h.to_stage}`),
    }));
    const expected = {
      rollbackTo: v2.model_id,
      history: ['production->archived', 'staging->production', 'null->staging'],
    };
    expect(read).toEqual({ index: expected, scan: expected });
    expect((await models.rollbackModel(ctx)).model_id).toBe(v2.model_id);
    const history = (await models.getModel(ctx, v2.model_id)).stage_history as {
      from_stage: string | null;
      to_stage: string;
    }[];
    expect(history.map((h) => `${h.from_stage}->${h.to_stage}`)).toEqual([
      'archived->production',
      'production->archived',
      'staging->production',
      'null->staging',
    ]);
  });

  it('scores a storm with the production model bit-identically to its stored artifact, and the shadow model beside it', async () => {
    const { tenantId: tid } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tid);
    const stormId = (await createStorm(ctx, { event_id: 'SCORE_1', name: 'x' })).storm_id;
    await expect(scoreStorm(ctx, { storm_id: stormId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no production'),
    });
    const prod = await models.trainModel(ctx, { csv: csvInput(2000, 41), learner: 't-learner' });
    const shadow = await models.trainModel(ctx, { csv: csvInput(2000, 42), learner: 'uplift-forest' });
    await models.promoteModel(ctx, { model_id: prod.model_id, stage: 'production' });
    await models.promoteModel(ctx, { model_id: shadow.model_id, stage: 'shadow' });
    await importProperties(ctx, { storm_id: stormId, source: [historyCsv(700, 43)] });
    const steps: { step: string; done: number; total: number | null }[] = [];
    const r = await scoreStorm(ctx, { storm_id: stormId }, { onProgress: (p) => steps.push(p) });
    // Progress for the CLI: rows predicted, then written, then stored, each step's last report complete.
    expect([...new Set(steps.map((s) => s.step))]).toEqual(['predicting', 'writing scores', 'storing scores']);
    expect(steps.filter((s) => s.step === 'writing scores').at(-1)).toEqual({
      step: 'writing scores',
      done: r.scored,
      total: r.scored,
    });
    expect(r).toMatchObject({ scored: 700, model_id: prod.model_id, shadow_model_id: shadow.model_id });
    const stored = await t().db.withTenant(tid, async (trx) => {
      const props = await sql<
        Record<string, unknown> & { property_id: string }
      >`select * from property where storm_id = ${stormId} order by property_id`.execute(trx);
      const scores = await trx
        .selectFrom('property_score')
        .selectAll()
        .where('storm_id', '=', stormId)
        .orderBy('property_id')
        .execute();
      const artifact = (modelId: string) =>
        trx
          .selectFrom('uplift_model')
          .select(['artifact', 'feature_schema'])
          .where('model_id', '=', modelId)
          .executeTakeFirstOrThrow();
      return {
        props: props.rows,
        scores,
        art: await artifact(prod.model_id),
        shadowArt: await artifact(shadow.model_id),
      };
    });
    const predict = (art: { artifact: unknown; feature_schema: unknown }) =>
      Array.from(
        loadModel(art.artifact as never).predictUplift(
          toDataset(stored.props, (art.feature_schema as { features: FeatureSpec[] }).features),
        ),
      );
    expect(stored.scores.map((s) => s.uplift)).toEqual(predict(stored.art));
    expect(stored.scores.map((s) => s.shadow_uplift)).toEqual(predict(stored.shadowArt));
    expect(stored.scores.map((s) => s.zip)).toEqual(stored.props.map((p) => p['zip']));
    expect((await scoreStorm(ctx, { storm_id: stormId })).scored).toBe(700); // rescoring replaces, never duplicates
  });

  it("trains from a past storm's arms and outcomes", async () => {
    const { tenantId: tid } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tid);
    const stormId = (await createStorm(ctx, { event_id: 'PAST_1', name: 'x' })).storm_id;
    await importProperties(ctx, { storm_id: stormId, source: [historyCsv(1500, 51)] });
    await t().db.withTenant(tid, async (trx) => {
      await sql`insert into assignment (tenant_id, property_id, storm_id, arm, run_id)
        select tenant_id, property_id, storm_id, attributes->>'arm', gen_random_uuid() from property where storm_id = ${stormId}`.execute(
        trx,
      );
      await sql`insert into outcome (tenant_id, storm_id, property_id, converted, idempotency_key)
        select tenant_id, storm_id, property_id, true, property_id::text from property
        where storm_id = ${stormId} and attributes->>'converted' = '1'`.execute(trx);
    });
    const m = await models.trainModel(ctx, { storm_id: stormId, learner: 't-learner' });
    expect(m).toMatchObject({ training_rows: 1500, training_source: { kind: 'storm', storm_id: stormId } });
    const fromFile = await models.trainModel(ctx, { csv: csvInput(1500, 51), learner: 't-learner' });
    expect(fromFile.holdout_metrics).toBeDefined();
  });

  it('evaluates any scores from a CSV with the same numbers as the metrics package', async () => {
    const rows = ['t,y,s', '1,1,0.9', '1,0,0.8', '0,0,0.7', '0,1,0.2', '1,1,0.5', '0,0,0.5', '1,0,0.1', '0,1,0.05'];
    const r = await evaluateScores({
      source: [Buffer.from(rows.join('\n'))],
      sourceName: 'scores.csv',
      treatmentCol: 't',
      outcomeCol: 'y',
      scoreCol: 's',
      k: 0.5,
    });
    const { qiniAucScore, upliftAucScore, upliftAtK } = await import('@stormops/uplift');
    const y = [1, 0, 0, 1, 1, 0, 0, 1];
    const tr = [1, 1, 0, 0, 1, 0, 1, 0];
    const s = [0.9, 0.8, 0.7, 0.2, 0.5, 0.5, 0.1, 0.05];
    expect(r).toEqual({
      n: 8,
      n_treatment: 4,
      n_control: 4,
      qini_auc_score: qiniAucScore(y, s, tr),
      uplift_auc_score: upliftAucScore(y, s, tr),
      uplift_at_k: {
        k: 0.5,
        overall: upliftAtK(y, s, tr, 'overall', 0.5),
        by_group: upliftAtK(y, s, tr, 'by_group', 0.5),
      },
    });
    await expect(
      evaluateScores({
        source: [Buffer.from('t,y,s\n1,2,0.1\n0,0,0.2\n')],
        sourceName: 'x.csv',
        treatmentCol: 't',
        outcomeCol: 'y',
        scoreCol: 's',
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('x.csv, row 2, column y'),
    });
  });
});
