/** `stormops pilot run`: the post-storm analysis, printed or written as JSON, Markdown, HTML or PDF. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { POLICY_MODES } from '../policy/policy-modes.ts';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { table } from '../../cli/output.ts';
import { pilotVerdict, statusText } from './pilot.format.ts';
import { PILOT_FORMATS, type PilotFormat } from './pilot-formats.ts';
import type { RunPilotInput } from './pilot.schema.ts';

export function registerPilotCommands(program: Command, rt: CliRuntime): void {
  const pilot = program
    .command('pilot')
    .description('prove the campaign: lift, ROI, and whether the predictions were right');
  pilot
    .command('run')
    .description('run the pilot analysis of a storm; --format md|html|pdf with --out writes the report')
    .requiredOption('--storm <id>', 'storm id')
    .addOption(
      choice(
        '--mode <mode>',
        "the policy mode the arms were assigned with (checked against the storm's)",
        POLICY_MODES,
      ),
    )
    .addOption(choice('--format <format>', 'report format', PILOT_FORMATS))
    .option('--out <file>', 'write the report here (pdf: pilot-<storm>.pdf by default)')
    .option('--alpha <alpha>', 'significance level for intervals and tests', '0.05')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        storm: string;
        mode?: RunPilotInput['mode'];
        format?: string;
        out?: string;
        alpha: string;
        json?: boolean;
      }) => {
        // commander has refused any other value (.choices).
        const format = (o.format ?? 'json') as PilotFormat;
        // A PDF is never printed to a terminal: it goes to a file named for the storm unless --out says where.
        const out = o.out ?? (format === 'pdf' ? `pilot-${o.storm}.pdf` : undefined);
        const input: RunPilotInput = { storm_id: o.storm, alpha: o.alpha, format, mode: o.mode };
        if (out || (o.format && o.format !== 'json')) {
          await rt.call(
            o,
            async (ops) => {
              const { results, body } = await ops.pilot.report({ ...input, format });
              if (!out) return { body };
              await writeFile(out, body);
              return {
                file: out,
                format,
                bytes: Buffer.byteLength(body),
                outcome: results.summary.outcome,
                passed: results.summary.passed,
                total: results.summary.total,
              };
            },
            (r) =>
              'body' in r
                ? String(r.body)
                : `wrote ${r.file} (${r.format}, ${r.bytes} bytes): ${r.outcome}, ${r.passed}/${r.total} criteria passed`,
          );
          return;
        }
        await rt.call(
          o,
          (ops) => ops.pilot.runPilot(input),
          (r) =>
            [
              pilotVerdict(r),
              '',
              table(
                r.success_criteria.map((c) => ({
                  criterion: c.name,
                  target: c.target,
                  actual: c.actual,
                  result: statusText(c),
                })),
              ),
            ].join('\n'),
        );
      },
    );
  pilot
    .command('feedback')
    .description('record how satisfied the contractor is with the pilot (1-10), after the review call')
    .requiredOption('--storm <id>', 'storm id')
    .requiredOption('--score <n>', 'satisfaction from 1 (not at all) to 10 (fully)')
    .option('--comment <text>', 'what the contractor said')
    .option('--json', 'print JSON')
    .action((o: { storm: string; score: string; comment?: string; json?: boolean }) =>
      rt.call(
        o,
        (ops) =>
          ops.pilot.recordFeedback(o.storm, {
            score: Number(o.score),
            ...(o.comment !== undefined ? { comment: o.comment } : {}),
          }),
        (f) => `recorded satisfaction ${f.score}/10 for storm ${f.storm_id}`,
      ),
    );
}
