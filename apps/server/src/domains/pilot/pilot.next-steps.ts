/**
 * "What now?": the playbook's post-pilot actions, chosen from the results, so the report ends in decisions rather
 * than numbers. ASCII only, like every word the PDF prints.
 */
import { requiredSampleSize } from '@stormops/stats';
import { count, pct } from './pilot.format.ts';
import type { CriterionKey, PilotResults } from './pilot.results.ts';

const FIXES: Record<CriterionKey, (r: PilotResults) => string> = {
  lift: (r) =>
    `Lift below target: check policy compliance (${pct(r.contamination.treat_compliance)} of the knock list was knocked), review the assignments, and compare lift by decile and ZIP.`,
  roi: () => 'ROI below target: raise the uplift threshold to knock fewer, better doors, or lower the cost per knock.',
  incremental_revenue: () =>
    'Incremental revenue below target: a bigger knock list (more capacity) or higher-value roofs would lift it.',
  cac: () => 'Cost per extra job above target: focus crews on the top deciles, where each knock adds the most jobs.',
  revenue_per_crew_hour: () => 'Revenue per crew hour below target: tighten walk routes or skip low-uplift streets.',
  data_quality: (r) =>
    `Resolve the ${r.data_quality.issues.length} data-quality issue(s) listed under Checks before the next storm.`,
  slo: () => 'Review the SLO breaches with the platform team: outcomes logged late or lost weaken the report.',
  satisfaction: (r) =>
    r.satisfaction === null
      ? 'Hold the review call and record how satisfied the contractor is: stormops pilot feedback --storm ID --score 1-10.'
      : `The contractor scored the pilot ${r.satisfaction.score}/10: go through their concerns before the next storm.`,
  contamination: (r) =>
    `Re-brief crews on the hold-out: ${count(r.contamination.hold_contaminated)} held-out properties were knocked.`,
};

/** Properties needed to detect the target lift with 80% power at this hold-out share and hold rate; null if undefined. */
export function propertiesForTargetLift(r: PilotResults): number | null {
  const target = (r.success_criteria.find((c) => c.key === 'lift')?.target ?? 10) / 100;
  const controlRate = Math.min(0.98, Math.max(0.01, r.outcomes.hold.rate));
  const treatRate = Math.min(0.99, controlRate + target);
  if (!(treatRate > controlRate)) return null;
  return requiredSampleSize({ controlRate, treatRate, alpha: r.alpha, controlShare: r.policy.hold_share }).total;
}

/** Three to six short actions, most important first. */
export function pilotNextSteps(r: PilotResults): string[] {
  const steps: string[] = [];
  if (r.srm.flagged)
    steps.push(
      'Explain the sample-ratio mismatch first (lost outcomes or a broken assignment); until then no figure here can be trusted.',
    );
  switch (r.summary.outcome) {
    case 'not_enough_data':
      steps.push(
        'Log the missing outcomes (stormops outcome import, or the CRM export): signed or not, for every home of both arms that has an answer.',
      );
      break;
    case 'success':
      steps.push(
        'Send this report to the contractor and schedule the review call.',
        'Run the next 2 to 3 storms with the same policy; scale to more contractors after three successful pilots.',
      );
      break;
    case 'inconclusive': {
      const n = propertiesForTargetLift(r);
      steps.push(
        n === null
          ? 'Run a larger pilot before deciding.'
          : `Run a larger pilot before deciding: about ${count(n)} properties in the experiment give an 80% chance of detecting the target lift at this hold-out share.`,
      );
      break;
    }
    case 'mixed':
    case 'unsuccessful':
      if (r.summary.outcome === 'unsuccessful')
        steps.push(
          'Do a root-cause review before the next storm: policy compliance, contamination, assignments, segments, model drift.',
        );
      break;
  }
  for (const c of r.success_criteria) if (c.status === 'fail') steps.push(FIXES[c.key](r));
  if (r.success_criteria.some((c) => c.key === 'cac' && c.status === 'no_data') && r.roi.cost <= 0)
    steps.push(
      'Record the canvassing cost (cost per knock and crew hour cost in the policy parameters): without it ROI and CAC cannot be judged.',
    );
  return steps.slice(0, 6);
}
