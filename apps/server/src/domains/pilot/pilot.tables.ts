/**
 * The report's tables as plain cells (strings), built once and laid out by each renderer: Markdown pipes, HTML
 * <table>, PDF grid. Keeps the three formats saying exactly the same numbers.
 */
import { overTimeGap } from './charts/pilot-charts.ts';
import {
  count,
  criterionTarget,
  criterionValue,
  day,
  level,
  passText,
  statusText,
  pct,
  pctValue,
  pts,
  ptsNum,
  pValue,
  usd,
} from './pilot.format.ts';
import type { PilotResults } from './pilot.results.ts';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** Column alignment; numbers right. */
  align: ('left' | 'right' | 'center')[];
  /** Index of a PASS/FAIL column, for colouring. */
  statusColumn?: number;
  note?: string;
}

const range = (r: [number, number] | null, f: (v: number) => string) => (r ? `${f(r[0])} to ${f(r[1])}` : 'n/a');

export function criteriaTable(r: PilotResults): Table {
  return {
    title: 'Success criteria',
    header: ['Criterion', 'Target', 'Actual', 'Result'],
    rows: r.success_criteria.map((c) => [c.name, criterionTarget(c), criterionValue(c, c.actual), statusText(c)]),
    align: ['left', 'right', 'right', 'center'],
    statusColumn: 3,
    note: 'Targets from the production pilot playbook; every threshold is strict. Lift is judged on the point estimate; its interval is below.',
  };
}

export function armsTable(r: PilotResults): Table {
  const { treat, hold, lift } = r.outcomes;
  const lv = level(r.alpha);
  return {
    title: 'Outcomes by arm',
    header: ['', 'Knock list (treat)', 'Held out (hold)', 'Difference'],
    rows: [
      ['Properties', count(treat.n), count(hold.n), ''],
      ['Signed jobs', count(treat.conversions), count(hold.conversions), ''],
      ['Signed rate', pct(treat.rate), pct(hold.rate), pts(lift.absolute)],
      [`${lv} interval`, range(treat.rate_ci, pct), range(hold.rate_ci, pct), range(lift.absolute_ci, ptsNum) + ' pts'],
      [
        'Relative lift',
        '',
        '',
        lift.relative === null ? 'n/a (no hold job)' : `${pct(lift.relative)} (${range(lift.relative_ci, pct)})`,
      ],
      ['Test', '', '', pValue(lift.p_value)],
      ['Revenue', usd(treat.revenue), usd(hold.revenue), ''],
      [
        'Revenue per property',
        usd(treat.revenue_per_unit),
        usd(hold.revenue_per_unit),
        `${usd(r.outcomes.revenue_per_unit.diff)} (${range(r.outcomes.revenue_per_unit.diff_ci, usd)})`,
      ],
    ],
    align: ['left', 'right', 'right', 'right'],
    note: 'Intent-to-treat: every property on the knock list counts, knocked or not. Rate intervals: Wilson; difference: Newcombe; test: two-proportion z; revenue: Welch.',
  };
}

export function roiTable(r: PilotResults): Table {
  const o = r.roi;
  const lv = level(r.alpha);
  return {
    title: 'Return on investment',
    header: ['Figure', 'Value', `${lv} interval`],
    rows: [
      ['Incremental signed jobs', count(o.incremental_conversions), range(o.incremental_conversions_ci, count)],
      ['Incremental revenue', usd(o.incremental_revenue), range(o.incremental_revenue_ci, usd)],
      ['Knocks (both arms)', count(o.knocks), ''],
      [
        'Crew hours',
        count(o.crew_hours),
        o.crew_hours_source === 'knock_log'
          ? 'from the knock log'
          : o.crew_hours_source === 'estimated'
            ? 'estimated from the planned pace'
            : 'as given',
      ],
      ['Canvassing cost', usd(o.cost), ''],
      [
        `ROI (${o.basis === 'gross_margin' ? `on ${pct(o.gross_margin ?? 1)} gross margin` : 'on revenue'})`,
        o.roi_pct === null ? 'n/a' : pctValue(o.roi_pct),
        range(o.roi_pct_ci, pctValue),
      ],
      ['Cost per incremental job (CAC)', o.cac === null ? 'n/a' : usd(o.cac), ''],
      [
        'Incremental revenue per crew hour',
        o.revenue_per_crew_hour === null ? 'n/a' : usd(o.revenue_per_crew_hour),
        '',
      ],
    ],
    align: ['left', 'right', 'right'],
    note: `Cost = knocks x ${usd(r.policy.cost_per_knock)} per knock${r.policy.crew_hour_cost > 0 ? ` + crew hours x ${usd(r.policy.crew_hour_cost)}` : ''}. ROI = (incremental revenue x margin - cost) / cost.`,
  };
}

export function overTimeTable(r: PilotResults): Table {
  return {
    title: 'Lift over time (always-valid)',
    header: ['Day', 'Cumulative lift', 'Always-valid interval', 'p (always-valid)'],
    rows: r.over_time.points.map((q) => [
      day(q.date),
      pts(q.lift),
      `${ptsNum(q.lower)} to ${ptsNum(q.upper)} pts`,
      pValue(q.p_value),
    ]),
    align: ['left', 'right', 'right', 'right'],
    note:
      overTimeGap(r) ??
      (r.over_time.conclusive_since
        ? `Conclusive (interval excludes 0) from ${day(r.over_time.conclusive_since)}.`
        : 'The always-valid interval has not excluded 0 yet.'),
  };
}

export function decilesTable(r: PilotResults): Table | null {
  const a = r.uplift_accuracy;
  if (!a) return null;
  return {
    title: 'Predicted vs observed uplift by decile',
    header: ['Decile', 'Predicted', 'Observed', `${level(r.alpha)} interval`, 'Treat n', 'Hold n'],
    rows: a.deciles.map((d) => [
      String(d.decile),
      pts(d.predicted_uplift),
      d.observed_lift === null ? 'n/a' : pts(d.observed_lift),
      range(d.observed_lift_ci, ptsNum),
      count(d.treat_n),
      count(d.hold_n),
    ]),
    align: ['center', 'right', 'right', 'right', 'right', 'right'],
    note: `Qini coefficient ${a.qini_coefficient === null ? 'n/a' : a.qini_coefficient.toFixed(3)} (0 = random ranking), from ${a.buckets} score buckets. Decile 1 = highest predicted uplift.`,
  };
}

export function checksTable(r: PilotResults): Table {
  const c = r.contamination;
  const issues = (xs: string[]) => (xs.length ? xs.join('; ') : 'none');
  return {
    title: 'Checks',
    header: ['Check', 'Finding', 'Result'],
    rows: [
      [
        'Sample ratio (SRM)',
        `hold ${pct(r.srm.observed_hold_share)} vs intended ${pct(r.srm.expected_hold_share)}, ${pValue(r.srm.p_value)}${r.srm.reason ? ` (${r.srm.reason})` : ''}`,
        passText(!r.srm.flagged),
      ],
      [
        'Contamination',
        `${count(c.hold_contaminated)} of ${count(c.hold_n)} held-out properties knocked (${pct(c.rate)})`,
        passText(!c.flagged),
      ],
      ['Compliance', `${pct(c.treat_compliance)} of the knock list was knocked`, ''],
      ['Data quality', `${r.data_quality.status}: ${issues(r.data_quality.issues)}`, passText(r.data_quality.pass)],
      ['Platform SLOs', `${r.slo.status}: ${r.slo.breaches} breach(es); ${issues(r.slo.issues)}`, passText(r.slo.pass)],
    ],
    align: ['left', 'left', 'center'],
    statusColumn: 2,
  };
}

/** Every table, in report order. */
/** Policy batches, when there is more than one: each against its own hold share, then the pooled lift. */
export function batchesTable(r: PilotResults): Table | null {
  if (r.batches.length < 2) return null;
  return {
    title: 'Policy batches',
    header: ['Batch', 'Policy', 'Knock list', 'Held out', 'Hold share (intended)', 'Lift', 'SRM'],
    rows: r.batches.map((b) => [
      String(b.batch),
      `${b.mode} v${b.version}`,
      count(b.treat.n),
      count(b.hold.n),
      `${pct(b.observed_hold_share)} (${pct(b.intended_hold_share)})`,
      b.lift ? `${pts(b.lift.absolute)} (${ptsNum(b.lift.absolute_ci[0])} to ${ptsNum(b.lift.absolute_ci[1])})` : '-',
      b.srm ? passText(!b.srm.flagged) : '',
    ]),
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'center'],
    statusColumn: 6,
    note: "Each batch is checked against its own intended hold share. The lift in this report pools the batches: each batch's lift weighted by its share of homes (a stratified estimator), so a second design never dilutes the first.",
  };
}

/** Lift by segment: every dimension in one table; lift only where both arms reach the minimum size. */
export function segmentsTable(r: PilotResults): Table | null {
  if (r.segments.length === 0) return null;
  const min = r.segments[0]!.min_per_arm;
  return {
    title: 'Lift by segment',
    header: ['Segment', 'Value', 'Knock list', 'Held out', 'Lift', 'Interval', 'p (Holm)'],
    rows: r.segments.flatMap((d) =>
      d.segments.map((s) => [
        d.label,
        s.value,
        count(s.treat.n),
        count(s.control.n),
        s.lift ? pts(s.lift.absolute) : '-',
        s.lift ? `${ptsNum(s.lift.absolute_ci[0])} to ${ptsNum(s.lift.absolute_ci[1])} pts` : 'too few homes',
        s.lift ? pValue(s.lift.p_value_adjusted) : '-',
      ]),
    ),
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    note: `A segment's lift is shown when each arm has at least ${min} homes. p-values are Holm-adjusted across the values of each segment: testing many segments at once finds some "significant" by chance, and the adjustment takes that into account.`,
  };
}

export function pilotTables(r: PilotResults): { criteria: Table; details: Table[] } {
  const details = [
    armsTable(r),
    roiTable(r),
    checksTable(r),
    decilesTable(r),
    overTimeTable(r),
    batchesTable(r),
    segmentsTable(r),
  ].filter((t): t is Table => t !== null);
  return { criteria: criteriaTable(r), details };
}
