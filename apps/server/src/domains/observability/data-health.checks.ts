/**
 * The playbook's daily checks as pure rules over aggregates: each returns issues with a check name, a severity,
 * a message a person can act on, and the numbers behind it. Thresholds live here, named, with their reasons.
 */
import { srmTest } from '@stormops/stats';
import type { PropertyStats } from './data-health.repo.ts';

export type Severity = 'warning' | 'critical';
export interface Issue {
  check: string;
  severity: Severity;
  message: string;
  numbers: Record<string, number | string | null>;
}

export const THRESHOLDS = {
  /** Without coordinates a home gets no hail exposure, which the model leans on most. */
  missingCoordinatesWarn: 0.01,
  missingCoordinatesCritical: 0.1,
  /** Roof age and value drive the uplift model; a tenth missing degrades its ranking. */
  missingFeatureWarn: 0.1,
  /** Below full coverage the policy cannot rank every home. */
  scoreCoverageWarn: 0.99,
  scoreCoverageCritical: 0.9,
  /** Any knock on a hold home biases the lift estimate; above 5% it is not measurable honestly. */
  contaminationCritical: 0.05,
  /** Canvassers log daily: a day without outcomes on an active storm means the log stopped. */
  outcomeSilenceHours: 24,
  outcomeLagP90Hours: 48,
  /** The playbook's pre-pilot checklist: backup verified, less than 24 h old. */
  backupMaxAgeHours: 24,
} as const;

const share = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function completenessIssues(p: PropertyStats): Issue[] {
  const issues: Issue[] = [];
  if (p.properties === 0)
    return [
      {
        check: 'completeness',
        severity: 'warning',
        message: 'the storm has no properties yet: import them',
        numbers: { properties: 0 },
      },
    ];
  const coords = share(p.missing_coordinates, p.properties);
  if (coords > THRESHOLDS.missingCoordinatesWarn) {
    issues.push({
      check: 'completeness',
      severity: coords > THRESHOLDS.missingCoordinatesCritical ? 'critical' : 'warning',
      message: `${pct(coords)} of properties have no coordinates, so no hail exposure: geocode them and re-import`,
      numbers: { missing: p.missing_coordinates, properties: p.properties, share: coords },
    });
  }
  for (const [field, missing] of [
    ['roof age', p.missing_roof_age],
    ['home value', p.missing_home_value],
  ] as const) {
    const s = share(missing, p.properties);
    if (s > THRESHOLDS.missingFeatureWarn) {
      issues.push({
        check: 'completeness',
        severity: 'warning',
        message: `${pct(s)} of properties have no ${field}`,
        numbers: { missing, properties: p.properties, share: s },
      });
    }
  }
  return issues;
}

export function scoreIssues(
  properties: number,
  scored: number,
  oldestScoredAt: Date | null,
  lastChange: Date | null,
  staleModel: boolean,
): Issue[] {
  if (properties === 0) return [];
  const coverage = share(scored, properties);
  const issues: Issue[] = [];
  if (coverage < THRESHOLDS.scoreCoverageWarn) {
    issues.push({
      check: 'score_coverage',
      severity: coverage < THRESHOLDS.scoreCoverageCritical ? 'critical' : 'warning',
      message: `${pct(coverage)} of properties are scored: run stormops model score`,
      numbers: { scored, properties, coverage },
    });
  }
  if (scored > 0 && oldestScoredAt && lastChange && lastChange > oldestScoredAt) {
    issues.push({
      check: 'score_freshness',
      severity: 'warning',
      message: 'properties changed after they were scored: score the storm again',
      numbers: { oldest_scored_at: oldestScoredAt.toISOString(), last_property_change: lastChange.toISOString() },
    });
  }
  if (scored > 0 && staleModel) {
    issues.push({
      check: 'score_freshness',
      severity: 'warning',
      message: 'scores come from a model that is no longer in production: score the storm again',
      numbers: {},
    });
  }
  return issues;
}

export function balanceIssues(
  treat: number,
  hold: number,
  intendedHoldShare: number | null,
): { issues: Issue[]; srm: ReturnType<typeof srmTest> | null } {
  if (intendedHoldShare === null || treat + hold === 0) return { issues: [], srm: null };
  const srm = srmTest(treat, hold, intendedHoldShare);
  const issues: Issue[] = srm.flagged
    ? [
        {
          check: 'treat_hold_balance',
          severity: 'critical',
          message: `sample ratio mismatch: ${hold} held out of ${treat + hold}, intended ${pct(intendedHoldShare)} (p=${srm.pValue.toExponential(2)}); check the assignment`,
          numbers: { treat, hold, intended_hold_share: intendedHoldShare, p_value: srm.pValue },
        },
      ]
    : [];
  return { issues, srm };
}

export function contaminationIssues(holdN: number, contaminatedProperties: number): Issue[] {
  if (contaminatedProperties === 0) return [];
  const rate = share(contaminatedProperties, holdN);
  return [
    {
      check: 'contamination',
      severity: rate > THRESHOLDS.contaminationCritical ? 'critical' : 'warning',
      message: `${contaminatedProperties} hold properties were knocked (${pct(rate)} of the hold group): brief the crews on the control group`,
      numbers: { contaminated_properties: contaminatedProperties, hold: holdN, rate },
    },
  ];
}

export function outcomeIssues(
  stormStatus: string,
  assigned: number,
  lastRecorded: Date | null,
  lagP90: number | null,
  now: Date,
): Issue[] {
  const issues: Issue[] = [];
  if (stormStatus === 'active' && assigned > 0) {
    const silentHours = lastRecorded ? (now.getTime() - lastRecorded.getTime()) / 3_600_000 : Infinity;
    if (silentHours > THRESHOLDS.outcomeSilenceHours) {
      issues.push({
        check: 'outcome_freshness',
        severity: 'warning',
        message: lastRecorded
          ? `no outcome logged for ${silentHours.toFixed(0)} h on an active storm`
          : 'no outcomes logged yet on an active storm',
        numbers: { hours_since_last: Number.isFinite(silentHours) ? silentHours : null },
      });
    }
  }
  if (lagP90 !== null && lagP90 > THRESHOLDS.outcomeLagP90Hours) {
    issues.push({
      check: 'outcome_lag',
      severity: 'warning',
      message: `outcomes are logged ${lagP90.toFixed(0)} h after the knock (p90): ask crews to log the same day`,
      numbers: { lag_p90_hours: lagP90 },
    });
  }
  return issues;
}

export function backupIssues(lastBackup: Date | null, now: Date): Issue[] {
  const age = lastBackup ? (now.getTime() - lastBackup.getTime()) / 3_600_000 : null;
  if (age !== null && age <= THRESHOLDS.backupMaxAgeHours) return [];
  return [
    {
      check: 'backup_age',
      severity: 'warning',
      message:
        age === null
          ? 'no verified backup recorded: run stormops backup create --out FILE'
          : `the last verified backup is ${age.toFixed(0)} h old (more than 24 h)`,
      numbers: { age_hours: age },
    },
  ];
}

export function statusOf(issues: readonly Issue[]): 'healthy' | 'degraded' | 'unhealthy' {
  if (issues.some((i) => i.severity === 'critical')) return 'unhealthy';
  return issues.length ? 'degraded' : 'healthy';
}
