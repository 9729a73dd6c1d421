/**
 * The SLOs as Prometheus rules, for deployments that alert from Prometheus (the prod profile) rather than from the
 * server's own monitor: recording rules for each SLO's error ratio and event count over every burn window, and one
 * alert per SLO and severity that fires exactly when the built-in monitor's rule does (slo.burn.ts: both windows at
 * or above the factor, and the long window holding at least min_events). `npm run infra:rules` writes
 * infra/prometheus/slo-rules.yml from slos.json; a test fails when the committed file differs.
 */
import { HTTP_BUCKETS } from '../../telemetry/metrics.ts';
import { BURN_RULES, BURN_WINDOWS, HTTP_SERIES, type BurnWindow, type SloDefinition } from './slo.schema.ts';

/** API requests as the recorder counts them: routes under /v1 (health, docs and /metrics stay out). */
const API = 'http_route=~"/v1/.*"';
const REQUESTS = 'http_server_request_duration_seconds';

interface Ratio {
  /** Rate of bad events over [w]. */
  bad: (w: string) => string;
  /** Rate of all events over [w]. */
  total: (w: string) => string;
}

/** How an SLO's good/total reads in the server's /metrics. */
export function indicatorQueries(slo: SloDefinition): Ratio {
  const i = slo.indicator;
  if (i.kind === 'latency') {
    const le = i.threshold_ms / 1000;
    if (!HTTP_BUCKETS.includes(le)) throw new Error(`${slo.name}: no histogram bucket at ${le} s`);
    const total = (w: string) => `sum(rate(${REQUESTS}_count{${API}}[${w}]))`;
    return {
      total,
      bad: (w) => `(${total(w)} - sum(rate(${REQUESTS}_bucket{${API},le="${le}"}[${w}])))`,
    };
  }
  if (i.series === HTTP_SERIES) {
    return {
      total: (w) => `sum(rate(${REQUESTS}_count{${API}}[${w}]))`,
      bad: (w) => `sum(rate(${REQUESTS}_count{${API},http_response_status_code=~"5.."}[${w}]))`,
    };
  }
  const sel = `{series="${i.series}"}`;
  const total = (w: string) => `sum(rate(stormops_slo_events_total${sel}[${w}]))`;
  return { total, bad: (w) => `(${total(w)} - sum(rate(stormops_slo_good_events_total${sel}[${w}])))` };
}

export const errorRatio = (w: BurnWindow) => `slo:sli_error:ratio_rate${w}`;
export const eventCount = (w: BurnWindow) => `slo:sli_events:increase${w}`;
export const burnRate = (w: BurnWindow) => `slo:burn_rate:ratio_rate${w}`;

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The rule groups: one recording group and one alerting group per SLO. */
export function sloRuleGroups(slos: readonly SloDefinition[]): { groups: { name: string; rules: Rule[] }[] } {
  const groups = slos.flatMap((slo) => {
    const q = indicatorQueries(slo);
    const labels = { slo: slo.name };
    const windows = Object.keys(BURN_WINDOWS) as BurnWindow[];
    const budget = round(1 - slo.objective);
    const recording: Rule[] = windows.flatMap((w) => [
      { record: errorRatio(w), expr: `${q.bad(w)} / ${q.total(w)}`, labels },
      { record: eventCount(w), expr: `${q.total(w)} * ${BURN_WINDOWS[w] * 60}`, labels },
      // The dashboards' burn rate (1 = spending the budget exactly over the SLO window), as slo.burn.ts defines it.
      { record: burnRate(w), expr: `${errorRatio(w)}{slo="${slo.name}"} / ${budget}`, labels },
    ]);
    const alerts: Rule[] = (['page', 'ticket'] as const).map((severity) => {
      const sel = `{slo="${slo.name}"}`;
      const rules = BURN_RULES.filter((r) => r.severity === severity).map((r) => {
        const limit = round(r.factor * (1 - slo.objective));
        return (
          `(${errorRatio(r.long)}${sel} >= ${limit} and ${errorRatio(r.short)}${sel} >= ${limit}` +
          ` and ${eventCount(r.long)}${sel} >= ${slo.min_events})`
        );
      });
      return {
        alert: 'SloErrorBudgetBurn',
        expr: rules.join('\nor\n'),
        labels: { slo: slo.name, severity },
        annotations: {
          summary: `SLO ${slo.name} is burning its error budget (${severity}: ${BURN_RULES.filter(
            (r) => r.severity === severity,
          )
            .map((r) => `${r.long}/${r.short} >= ${r.factor}x`)
            .join(' or ')})`,
          ...(slo.runbook ? { runbook: slo.runbook } : {}),
        },
      };
    });
    return [
      { name: `slo-${slo.name}-recording`, rules: recording },
      { name: `slo-${slo.name}-alerts`, rules: alerts },
    ];
  });
  return { groups };
}

/** Avoids 0.014400000000000001 in the file. */
function round(x: number): number {
  return Number(x.toPrecision(12));
}
