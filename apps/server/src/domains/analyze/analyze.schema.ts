/** Inputs and the view of `stormops analyze` / `POST /v1/analyze` / `sdk.analyze.csv`: a past campaign, one row per unit. */
import { z } from 'zod';
import type { TwoArmAnalysis } from '@stormops/stats';
import type { SegmentLift } from './segments.ts';
import { text } from '../fields.ts';

const columnName = text().trim().min(1, 'must not be empty').max(200);
const armValue = text().max(200);

/** The one input of the operation: the CLI flags, the HTTP query string and the SDK, in the same snake_case names. */
export const analyzeInput = z
  .object({
    /** Column holding the arm of each row. */
    arm_col: columnName.describe("column holding each row's arm"),
    /** Arm value of the treated rows (compared after trimming). */
    treat: armValue.describe('arm value of treated rows'),
    /** Arm value of the control (hold-out) rows. */
    control: armValue.describe('arm value of control rows'),
    /** 0/1 outcome column (also true/false, yes/no). */
    outcome: columnName.describe('0/1 outcome column'),
    /** Optional numeric value per unit (revenue, spend) for a Welch comparison of means. */
    value: columnName.optional().describe('numeric value column (Welch comparison)'),
    /** Also analyze lift per value of this column (ZIP, persona...), Holm-adjusted across segments. */
    by: columnName.optional().describe('segment column: lift per value, Holm-adjusted'),
    /** Two-sided significance level (numbers, or their text as in a query string or a CLI flag). */
    alpha: z.coerce.number<number | string>().gt(0).lt(0.5).default(0.05),
    /** Intended control share for the sample-ratio-mismatch check. */
    control_share: z.coerce.number<number | string>().gt(0).lt(1).default(0.5),
    /** Name used in messages (the path on the CLI; `upload` for a stream, as over HTTP). */
    file_name: text().max(500).default('upload').describe('name used in error messages'),
  })
  .strict()
  .refine((o) => o.treat.trim() !== o.control.trim(), { message: 'treat and control must differ', path: ['control'] });

export type AnalyzeInput = z.input<typeof analyzeInput>;
export type AnalyzeOptions = z.output<typeof analyzeInput>;

/** The report: `analyzeTwoArms`' keys (treat, control, lift, srm, value) plus what the file held besides. */
export interface AnalyzeView extends TwoArmAnalysis {
  alpha: number;
  file: string;
  /** Data rows read (blank lines excluded). */
  rows: number;
  /** Rows whose arm was neither treat nor control: not analyzed. */
  ignored_rows: number;
  /** Counts of those other arm values (up to 20 distinct values). */
  ignored_arm_values: Record<string, number>;
  columns: { arm: string; outcome: string; value: string | null; by?: string };
  /** With `by`: lift per segment value (see segments.ts for the minimum-size rule). */
  segments?: SegmentLift[];
  segment_rule?: { by: string; min_per_arm: number };
}
