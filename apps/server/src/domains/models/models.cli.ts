/** `stormops model ...`: train, list, show, promote, rollback, score, evaluate. */
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import { stepProgress } from '../../cli/progress.ts';
import { AppError } from '../../errors.ts';
import type { ModelView, Stage } from './models.schema.ts';
import type { LearnerName } from './training.ts';
import { LEARNERS, STAGES } from './model-names.ts';

function existing(file: string): string {
  if (!existsSync(file)) throw new AppError('VALIDATION', `${file}: no such file`);
  return file;
}

function leftOut(m: ModelView): string {
  const n = Number(m.training_source['left_out'] ?? 0);
  return n > 0 ? ` (${n.toLocaleString('en-US')} rows of other arms left out)` : '';
}

function summary(m: ModelView): string {
  const metrics = m.holdout_metrics as Record<string, number>;
  return [
    `model ${m.model_id}  ${m.name} v${m.version}  ${m.learner}  stage ${m.stage}`,
    `trained on ${m.training_rows.toLocaleString('en-US')} rows; features ${m.feature_schema.features.map((f) => f.name).join(', ')}`,
    metrics.qini_auc_score === undefined
      ? ''
      : `holdout: qini_auc ${metrics.qini_auc_score.toFixed(4)}  uplift_auc ${metrics.uplift_auc_score?.toFixed(4)}  uplift@30% ${metrics.uplift_at_30?.toFixed(4)}  (n=${metrics.n_holdout})`,
  ]
    .filter(Boolean)
    .join('\n');
}

const listColumns = ['model_id', 'name', 'version', 'learner', 'stage', 'training_rows', 'created_at'] as const;

export function registerModelCommands(program: Command, rt: CliRuntime): void {
  const model = program.command('model').description('uplift models: train, register, promote, score, evaluate');

  model
    .command('train')
    .description(
      "train a model from a past storm's arms and outcomes (--storm) or a property file (--csv); it lands in staging",
    )
    .option('--storm <id>', 'a past storm with treat/hold arms and outcomes')
    .option('--csv <file>', 'a property file or a plain experiment table with an arm column and an outcome column')
    .option('--tenant <id>', 'tenant (with --csv)')
    .option('--treatment-col <name>', 'arm column of the file', 'arm')
    .option('--outcome-col <name>', 'outcome column of the file (0/1)', 'converted')
    .option('--treat-value <value>', 'the arm value meaning treated (default: treat/1/true/yes), with --control-value')
    .option('--control-value <value>', 'the arm value meaning control; rows of other arms are left out')
    .addOption(choice('--learner <name>', 'uplift learner', LEARNERS, 'x-learner'))
    .option('--features <list>', 'comma-separated feature names (default: the standard set present in the data)')
    .option('--seed <n>', 'random seed', '1')
    .option('--holdout <share>', 'share of rows held out for metrics', '0.3')
    .option('--json', 'print JSON')
    .action(
      (o: {
        storm?: string;
        csv?: string;
        tenant?: string;
        treatmentCol: string;
        outcomeCol: string;
        treatValue?: string;
        controlValue?: string;
        learner: string;
        features?: string;
        seed: string;
        holdout: string;
        json?: boolean;
      }) =>
        rt.call(
          o,
          (ops) =>
            ops.models.train({
              tenant_id: o.tenant,
              storm_id: o.storm,
              ...(o.csv
                ? {
                    csv: {
                      source: createReadStream(existing(o.csv)),
                      sourceName: basename(o.csv),
                      treatmentCol: o.treatmentCol,
                      outcomeCol: o.outcomeCol,
                      ...(o.treatValue !== undefined ? { treatValue: o.treatValue } : {}),
                      ...(o.controlValue !== undefined ? { controlValue: o.controlValue } : {}),
                    },
                  }
                : {}),
              learner: o.learner as LearnerName,
              ...(o.features
                ? {
                    features: o.features
                      .split(',')
                      .map((f) => f.trim())
                      .filter(Boolean),
                  }
                : {}),
              seed: Number(o.seed),
              holdout_share: Number(o.holdout),
            }),
          (m) =>
            `${summary(m)}\nrows used: ${m.rows.treat.toLocaleString('en-US')} treated, ${m.rows.control.toLocaleString('en-US')} control${leftOut(m)}\ntook ${(m.elapsed_ms / 1000).toFixed(1)} s. Promote it: stormops model promote --model ${m.model_id} --stage production`,
        ),
    );

  model
    .command('list')
    .description("a tenant's models, newest version first")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.models.list({ tenant_id: o.tenant }),
        (rows) => table(rows, listColumns),
      ),
    );

  model
    .command('show')
    .description('a model with its metrics and stage history')
    .requiredOption('--model <id>', 'model id')
    .option('--json', 'print JSON')
    .action((o: { model: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) => ops.models.get(o.model),
        (m) => `${summary(m)}\n${table(m.stage_history as Record<string, unknown>[])}`,
      ),
    );

  model
    .command('active')
    .description('the model in a stage (the playbook: get_active_model("uplift", "production"))')
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(choice('--stage <stage>', 'stage', ['production', 'shadow'], 'production'))
    .option('--json', 'print JSON')
    .action((o: { tenant: string; stage: 'production' | 'shadow'; json?: boolean }) =>
      rt.call(o, (ops) => ops.models.active({ tenant_id: o.tenant, stage: o.stage }), summary),
    );

  model
    .command('promote')
    .description('move a model to a stage; promoting to production or shadow archives the one it replaces')
    .requiredOption('--model <id>', 'model id')
    .requiredOption('--stage <stage>', STAGES.join(' | '))
    .option('--reason <text>', 'kept in the audit trail')
    .option('--json', 'print JSON')
    .action((o: { model: string; stage: Stage; reason?: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.models.promote({ model_id: o.model, stage: o.stage, reason: o.reason }), summary),
    );

  model
    .command('rollback')
    .description('put back the model that was production before the current one')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--reason <text>', 'kept in the audit trail')
    .option('--json', 'print JSON')
    .action((o: { tenant: string; reason?: string; json?: boolean }) =>
      rt.call(o, (ops) => ops.models.rollback({ tenant_id: o.tenant, reason: o.reason }), summary),
    );

  model
    .command('score')
    .description('score every property of a storm with the production model (and the shadow model beside it)')
    .requiredOption('--storm <id>', 'storm id')
    .option('--json', 'print JSON')
    .action(async (o: { storm: string; json?: boolean }) => {
      const bar = stepProgress(rt.err, 'scoring');
      try {
        await rt.call(
          o,
          (ops) => ops.models.score({ storm_id: o.storm }, { onProgress: (p) => bar.update(p) }),
          (r) => keyValues(r),
        );
      } finally {
        bar.done();
      }
    });

  model
    .command('evaluate')
    .description('scikit-uplift metrics (qini_auc_score, uplift_auc_score, uplift_at_k) for any scores in a CSV')
    .requiredOption('--csv <file>', 'one row per unit')
    .requiredOption('--treatment-col <name>', 'treatment column (1/0, treat/hold)')
    .requiredOption('--outcome-col <name>', 'outcome column (1/0)')
    .requiredOption('--score-col <name>', 'predicted uplift column')
    .option('--k <k>', 'share (0..1) or count of units for uplift_at_k', '0.3')
    .option('--json', 'print JSON')
    .action(
      (o: { csv: string; treatmentCol: string; outcomeCol: string; scoreCol: string; k: string; json?: boolean }) =>
        rt.compute(o, async () =>
          (await import('./evaluate.service.ts')).evaluateScores({
            source: createReadStream(existing(o.csv)),
            sourceName: basename(o.csv),
            treatmentCol: o.treatmentCol,
            outcomeCol: o.outcomeCol,
            scoreCol: o.scoreCol,
            k: Number(o.k),
          }),
        ),
    );
}
