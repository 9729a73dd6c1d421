/** The playbook's success criteria, judged on the computed results. Every threshold is strict, as worded. */
import type { CriterionKey, PilotOutcome, PilotResults, SuccessCriterion } from './pilot.results.ts';
import type { SuccessTargets } from './pilot.schema.ts';

type Judged = Omit<PilotResults, 'success_criteria' | 'summary'>;

function criterion(
  key: CriterionKey,
  name: string,
  unit: SuccessCriterion['unit'],
  comparator: SuccessCriterion['comparator'],
  target: number,
  actual: number | null,
  noData = false,
): SuccessCriterion {
  if (noData || actual === null) return { key, name, unit, comparator, target, actual, pass: false, status: 'no_data' };
  const pass = comparator === '>' ? actual > target : comparator === '<' ? actual < target : actual === target;
  return { key, name, unit, comparator, target, actual, pass, status: pass ? 'pass' : 'fail' };
}

/** The nine criteria in the playbook's order: technical, then business. */
export function successCriteria(r: Judged, t: SuccessTargets): SuccessCriterion[] {
  const sloCount = Math.max(r.slo.breaches, r.slo.issues.length);
  // Outcomes too sparse to judge, and no canvassing cost recorded, are "no data": a CAC of $0 is not a pass.
  const sparse = r.coverage !== null && !r.coverage.sufficient;
  const noCost = r.roi.cost <= 0;
  return [
    criterion('lift', 'Treatment beats hold-out by', 'pts', '>', t.lift_pts, r.outcomes.lift.absolute * 100, sparse),
    criterion('roi', 'Return on investment', 'pct', '>', t.roi_pct, r.roi.roi_pct, sparse || noCost),
    criterion('data_quality', 'Data-quality issues', 'count', '=', 0, r.data_quality.issues.length),
    criterion('slo', 'SLO breaches', 'count', '=', 0, sloCount, r.slo.status === 'no_data'),
    criterion('contamination', 'Hold-out properties knocked', 'count', '=', 0, r.contamination.hold_contaminated),
    criterion(
      'satisfaction',
      'Contractor satisfaction (1-10)',
      'score',
      '>',
      t.satisfaction_score,
      r.satisfaction?.score ?? null,
    ),
    criterion(
      'incremental_revenue',
      'Incremental revenue',
      'usd',
      '>',
      t.incremental_revenue_cents / 100,
      r.roi.incremental_revenue,
      sparse,
    ),
    criterion('cac', 'Cost per incremental job (CAC)', 'usd', '<', t.cac_cents / 100, r.roi.cac, sparse || noCost),
    criterion(
      'revenue_per_crew_hour',
      'Incremental revenue per crew hour',
      'usd',
      '>',
      t.revenue_per_crew_hour_cents / 100,
      r.roi.revenue_per_crew_hour,
      sparse,
    ),
  ];
}

/**
 * The call: 'unsuccessful' on the playbook's red lines (lift < 5 pts or ROI < 100%); else 'inconclusive' when the
 * lift is not statistically significant (the criteria read point estimates, which alone prove nothing); else
 * 'success' when every criterion passes; otherwise 'mixed'.
 */
export function summarize(criteria: SuccessCriterion[], r: Judged): PilotResults['summary'] {
  const passed = criteria.filter((c) => c.pass).length;
  // An ROI that cannot be computed (no cost recorded) is no red line: its criterion reads "no data" instead.
  const redLine = r.outcomes.lift.absolute * 100 < 5 || (r.roi.roi_pct !== null && r.roi.roi_pct < 100);
  const outcome: PilotOutcome =
    r.coverage !== null && !r.coverage.sufficient
      ? 'not_enough_data'
      : redLine
        ? 'unsuccessful'
        : !r.outcomes.lift.significant
          ? 'inconclusive'
          : passed === criteria.length
            ? 'success'
            : 'mixed';
  return { passed, total: criteria.length, outcome };
}
