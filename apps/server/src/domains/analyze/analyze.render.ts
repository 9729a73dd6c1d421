/** Human rendering of an analysis: a table of the two arms, the lift, and a plain-English verdict. */
import { table } from '../../cli/output.ts';
import type { AnalyzeView } from './analyze.schema.ts';

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;
const pts = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)} pts`;
const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** p-values below 0.001 are shown as a bound: more digits than that only look precise. */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** The one-paragraph verdict. */
export function analyzeVerdict(r: AnalyzeView): string {
  const level = `${Math.round((1 - r.alpha) * 100)}% CI`;
  const [lo, hi] = r.lift.absolute_ci;
  const significant = r.lift.p_value < r.alpha;
  const direction = r.lift.absolute >= 0 ? 'raised' : 'lowered';
  const rel =
    r.lift.relative === null
      ? ''
      : ` (${r.lift.relative >= 0 ? '+' : ''}${(r.lift.relative * 100).toFixed(1)}% relative)`;
  const parts = [
    `Treatment ${direction} the ${r.columns.outcome} rate from ${pct(r.control.rate)} to ${pct(r.treat.rate)}: ` +
      `${pts(r.lift.absolute)}${rel}, ${level} ${pts(lo)} to ${pts(hi)}, ${formatP(r.lift.p_value)}.`,
    significant
      ? 'The difference is statistically significant.'
      : `The difference is NOT statistically significant at alpha = ${r.alpha}: the data are consistent with no effect.`,
  ];
  if (r.value) {
    const v = r.value;
    parts.push(
      `Mean ${r.columns.value} per unit: ${num(v.treat_mean)} vs ${num(v.control_mean)} (difference ${num(v.diff)}, ` +
        `${level} ${num(v.diff_ci[0])} to ${num(v.diff_ci[1])}, ${formatP(v.p_value)}).`,
    );
  }
  parts.push(
    r.srm.flagged
      ? `WARNING: sample-ratio mismatch (p = ${r.srm.p_value.toPrecision(3)}): the arms are not the sizes the design intended, so the assignment may be broken and the lift untrustworthy.`
      : 'Arm sizes match the intended split (no sample-ratio mismatch).',
  );
  return parts.join(' ');
}

/** Everything a person needs on one screen. */
export function renderAnalyzeHuman(r: AnalyzeView): string {
  const arms = [
    {
      arm: 'treat',
      n: r.treat.n,
      [r.columns.outcome]: r.treat.conversions,
      rate: pct(r.treat.rate),
      ...(r.value ? { [`mean ${r.columns.value}`]: num(r.value.treat_mean) } : {}),
    },
    {
      arm: 'control',
      n: r.control.n,
      [r.columns.outcome]: r.control.conversions,
      rate: pct(r.control.rate),
      ...(r.value ? { [`mean ${r.columns.value}`]: num(r.value.control_mean) } : {}),
    },
  ];
  const lines = [
    table(arms),
    '',
    `lift        ${pts(r.lift.absolute)}  [${pts(r.lift.absolute_ci[0])}, ${pts(r.lift.absolute_ci[1])}]  ${formatP(r.lift.p_value)}`,
    r.lift.relative === null || r.lift.relative_ci === null
      ? 'relative    - (control rate is 0)'
      : `relative    ${pct(r.lift.relative, 1)}  [${pct(r.lift.relative_ci[0], 1)}, ${pct(r.lift.relative_ci[1], 1)}]`,
    `srm         p = ${r.srm.p_value.toPrecision(3)}${r.srm.flagged ? '  FLAGGED' : '  ok'} (expected control share ${r.srm.expected_control_share})`,
    `rows        ${r.rows} read, ${r.ignored_rows} ignored (other arm values${
      Object.keys(r.ignored_arm_values).length
        ? `: ${Object.entries(r.ignored_arm_values)
            .map(([k, v]) => `${JSON.stringify(k)} ${v}`)
            .join(', ')}`
        : ''
    })`,
    '',
    analyzeVerdict(r),
    ...segmentLines(r),
  ];
  return lines.join('\n');
}

/** The segment table: counts always, lift only where both arms reach the minimum size. */
function segmentLines(r: AnalyzeView): string[] {
  if (!r.segments || !r.segment_rule) return [];
  const rows = r.segments.map((s) => ({
    [r.segment_rule!.by]: s.value === '' ? '(blank)' : s.value,
    treat_n: s.treat.n,
    control_n: s.control.n,
    lift: s.lift ? pts(s.lift.absolute, 1) : '-',
    interval: s.lift ? `${pts(s.lift.absolute_ci[0], 1)} to ${pts(s.lift.absolute_ci[1], 1)}` : 'too small',
    p: s.lift ? formatP(s.lift.p_value) : '-',
    'p (Holm)': s.lift ? formatP(s.lift.p_value_adjusted) : '-',
  }));
  return [
    '',
    `By ${r.segment_rule.by} (lift shown where each arm has at least ${r.segment_rule.min_per_arm} rows; p-values Holm-adjusted across the segments shown):`,
    table(rows),
  ];
}
