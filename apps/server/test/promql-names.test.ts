import { expect, it } from 'vitest';
import { promqlMetricNames } from './promql-names.ts';

it('finds the metric names of a query, not its functions, labels, keywords or durations', () => {
  const q =
    'histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{http_route=~"/v1/.*",le="0.5"}[5m]))) ' +
    '/ on(slo) group_left slo:burn_rate:ratio_rate1h{slo="a"} and time() - max(stormops_backup_last_verified_timestamp_seconds) > 86400 ' +
    'or ALERTS{alertname="x"} unless up == 0';
  expect([...promqlMetricNames(q)].sort()).toEqual([
    'ALERTS',
    'http_server_request_duration_seconds_bucket',
    'slo:burn_rate:ratio_rate1h',
    'stormops_backup_last_verified_timestamp_seconds',
    'up',
  ]);
});
