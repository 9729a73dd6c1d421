/**
 * Words and numbers of the pilot report, shared by the Markdown, HTML and PDF renderers so the three say the same
 * thing: number formats, the plain-English verdict, and the success-criteria cells. ASCII only (PDF built-in
 * fonts are WinAnsi): no check marks, no minus sign glyph, no non-breaking tricks.
 */
import { detectableLiftWarning } from '../policy/detectable-lift.ts';
import type { PilotResults, SuccessCriterion } from './pilot.results.ts';

const targetLiftPts = (r: PilotResults): number => r.success_criteria.find((c) => c.key === 'lift')?.target ?? 10;

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "-0.0" and "-0" read as a sign error: a value that rounds to zero is printed unsigned. */
const unsigned0 = (s: string): string => s.replace(/^-(0(\.0+)?)(%?)$/, '$1$3');
/** 0.1234 -> "12.3" (points, no unit). */
export const ptsNum = (fraction: number): string => unsigned0(one.format(fraction * 100));
/** 0.1234 -> "+12.3 pts" */
export const pts = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${ptsNum(fraction)} pts`;
/** 0.1234 -> "12.3%" */
export const pct = (fraction: number): string => unsigned0(`${one.format(fraction * 100)}%`);
/** 412.5 (already a percentage) -> "413%" */
export const pctValue = (percent: number): string => `${int.format(percent)}%`;
/** 1234.5 -> "$1,235"; negatives "-$1,235". */
export const usd = (dollars: number): string => `${dollars < 0 ? '-' : ''}$${int.format(Math.abs(dollars))}`;
/** 1234 -> "1,234" */
export const count = (n: number): string => unsigned0(int.format(Math.round(n)));
/** "2026-02-09" -> "9 Feb 2026" (UTC). */
export function day(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
/** p-values below 0.001 as a bound: more digits only look precise. */
export const pValue = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
/** "95%" for alpha 0.05. */
export const level = (alpha: number): string => `${Math.round((1 - alpha) * 1000) / 10}%`;

/** Target or actual of a criterion in its unit. */
export function criterionValue(c: SuccessCriterion, value: number | null): string {
  if (value === null) return 'n/a';
  switch (c.unit) {
    case 'pts':
      return `${ptsNum(value / 100)} pts`;
    case 'pct':
      return pctValue(value);
    case 'usd':
      return usd(value);
    case 'count':
      return count(value);
    case 'score':
      return `${count(value)}/10`;
  }
}

/** "> 10.0 pts", "< $500", "0" */
export function criterionTarget(c: SuccessCriterion): string {
  return c.comparator === '=' ? criterionValue(c, c.target) : `${c.comparator} ${criterionValue(c, c.target)}`;
}

export const passText = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');
/** A criterion's cell: PASS, FAIL or NO DATA (nothing to judge is never a pass). */
export const statusText = (c: SuccessCriterion): string => (c.status === 'no_data' ? 'NO DATA' : passText(c.pass));

/** The call, with how many criteria pass and which do not. */
function barSentence(r: PilotResults): string {
  const s = r.summary;
  const named = (status: SuccessCriterion['status']) =>
    r.success_criteria.filter((c) => c.status === status).map((c) => c.name.toLowerCase());
  const [failing, missing] = [named('fail'), named('no_data')];
  const tally = `${s.passed} of ${s.total} success criteria pass`;
  const notMet = [
    failing.length ? `not met: ${failing.join('; ')}` : '',
    missing.length ? `no data: ${missing.join('; ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const notMetText = notMet ? ` (${notMet})` : '';
  switch (s.outcome) {
    case 'not_enough_data':
      return `There is not enough data for a verdict yet: log the outcomes of at least ${pct(r.coverage?.minimum ?? 0)} of the homes in each arm (a home with no outcome counts as not signed).`;
    case 'success':
      return `The pilot is a success: ${tally}.`;
    case 'mixed':
      return `The pilot is a partial success: ${tally}${notMetText}.`;
    case 'inconclusive':
      return `The pilot is inconclusive: ${tally} on the point estimates${notMet}, but the lift is not statistically significant, so run a larger pilot before deciding.`;
    case 'unsuccessful':
      return `The pilot did not succeed: ${tally}${notMetText}.`;
  }
}

function liftSentence(r: PilotResults): string {
  const l = r.outcomes.lift;
  const ci = `${level(r.alpha)} CI ${ptsNum(l.absolute_ci[0])} to ${ptsNum(l.absolute_ci[1])}; ${pValue(l.p_value)}`;
  const arms =
    `${pct(r.outcomes.treat.rate)} of the ${count(r.outcomes.treat.n)} properties on the knock list signed, ` +
    `against ${pct(r.outcomes.hold.rate)} of the ${count(r.outcomes.hold.n)} held out`;
  if (!l.significant) {
    return `Knocking changed signed jobs by ${pts(l.absolute)} (${ci}), which cannot be told apart from no effect: ${arms}.`;
  }
  const verb = l.absolute >= 0 ? 'raised' : 'lowered';
  return `Knocking ${verb} signed jobs by ${ptsNum(Math.abs(l.absolute))} points (${ci}): ${arms}.`;
}

function moneySentence(r: PilotResults): string {
  const roi = r.roi;
  const jobs = `${count(roi.incremental_conversions)} extra jobs (${count(roi.incremental_conversions_ci[0])} to ${count(roi.incremental_conversions_ci[1])})`;
  const basis = roi.basis === 'gross_margin' ? ` on a ${pct(roi.gross_margin ?? 1)} gross margin` : ' on revenue';
  const parts = [
    roi.cost > 0
      ? `That is about ${jobs} and ${usd(roi.incremental_revenue)} of incremental revenue for ${usd(roi.cost)} of canvassing`
      : `That is about ${jobs} and ${usd(roi.incremental_revenue)} of incremental revenue; no canvassing cost was recorded, so ROI and cost per job cannot be judged`,
    roi.roi_pct === null ? '' : `: an ROI of ${pctValue(roi.roi_pct)}${basis}`,
    roi.cost <= 0
      ? ''
      : roi.cac === null
        ? ', with no extra job to spread the cost over'
        : `, ${usd(roi.cac)} per extra job`,
    roi.revenue_per_crew_hour === null
      ? ''
      : ` and ${usd(roi.revenue_per_crew_hour)} of incremental revenue per crew hour`,
  ];
  return `${parts.join('')}.`;
}

function cautions(r: PilotResults): string[] {
  const out: string[] = [];
  if (r.over_time.conclusive_since) {
    out.push(`Watching daily, the always-valid interval excluded zero from ${day(r.over_time.conclusive_since)} on.`);
  }
  const detectable = detectableLiftWarning(r.detectable_lift, targetLiftPts(r));
  if (detectable) out.push(`Caution: ${detectable}.`);
  if (r.srm.flagged) {
    out.push(
      `Caution: the hold-out is ${pct(r.srm.observed_hold_share)} of properties, not the intended ${pct(r.srm.expected_hold_share)} (sample-ratio mismatch, p = ${r.srm.p_value.toPrecision(2)}); check the assignment before trusting the lift.`,
    );
  }
  if (r.contamination.hold_contaminated > 0) {
    out.push(
      `${count(r.contamination.hold_contaminated)} held-out properties were knocked anyway, which biases the lift toward zero.`,
    );
  }
  if (!r.data_quality.pass) out.push(`Data quality: ${r.data_quality.issues.length} issue(s) to review.`);
  if (!r.slo.pass) out.push('The platform breached an SLO during the storm.');
  return out;
}

/** Outcome coverage, stated first: every number after it stands on these homes. */
function coverageSentence(r: PilotResults): string {
  const c = r.coverage;
  if (!c) return '';
  const arm = (a: { logged: number; assigned: number; share: number }) =>
    `${count(a.logged)} of ${count(a.assigned)} (${pct(a.share)})`;
  const text = `Outcomes are logged for ${arm(c.treat)} homes on the knock list and ${arm(c.hold)} held out.`;
  return c.sufficient ? text : `Warning: ${text} Below ${pct(c.minimum)} in either arm the figures below mislead.`;
}

/** The opening paragraph: what happened, in money, and whether it met the bar. */
export function pilotVerdict(r: PilotResults): string {
  return [coverageSentence(r), liftSentence(r), moneySentence(r), barSentence(r), ...cautions(r)]
    .filter(Boolean)
    .join(' ');
}

/** Title line, e.g. "Pilot report: DFW Storm Feb 2026 (DFW_STORM_001)". */
export function pilotTitle(r: PilotResults): string {
  return `Pilot report: ${r.storm.name} (${r.storm.event_id})`;
}

/** Subtitle: contractor, dates, policy. */
export function pilotSubtitle(r: PilotResults): string {
  const who = r.storm.contractor ? `${r.storm.contractor}, ` : '';
  const policy =
    r.batches.length > 1
      ? r.batches.map((b) => `batch ${b.batch} ${b.mode} (${pct(b.intended_hold_share)} held out)`).join(', ')
      : `${r.policy.mode} policy, ${pct(r.policy.hold_share)} held out`;
  return `${who}${day(r.storm.starts_on)} to ${day(r.storm.ends_on)}, ${policy}`;
}
