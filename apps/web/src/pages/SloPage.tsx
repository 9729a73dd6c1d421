/** The platform's SLOs (status, error budget, burn rates) and open alerts, for staff with platform:health. */
import { useQuery } from '@tanstack/react-query';
import type { AlertIncident, SloStatus } from '../api/types';
import { api, unwrap } from '../api/client';
import { Empty, QueryView } from '../components/Async';
import { TableScroll } from '../components/TableScroll';
import { usDate } from '../lib/format';

const share = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);

export default function SloPage() {
  const status = useQuery({
    queryKey: ['slo-status'],
    queryFn: () => unwrap<Record<string, SloStatus>>(api.GET('/v1/slo/status', { params: { query: {} } })),
    refetchInterval: 30_000,
  });
  const alerts = useQuery({
    queryKey: ['slo-alerts'],
    queryFn: () => unwrap<{ alerts: AlertIncident[] }>(api.GET('/v1/slo/alerts', { params: { query: {} } })),
    refetchInterval: 30_000,
  });
  return (
    <>
      <h1>SLOs and alerts</h1>
      <QueryView query={status} what="SLO status">
        {(d) => (
          <TableScroll label="SLOs">
            <table data-testid="slos">
              <thead>
                <tr>
                  <th scope="col">SLO</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Objective
                  </th>
                  <th scope="col" className="num">
                    SLI
                  </th>
                  <th scope="col" className="num">
                    Error budget left
                  </th>
                  <th scope="col" className="num">
                    Burn 1h
                  </th>
                  <th scope="col" className="num">
                    Burn 6h
                  </th>
                  <th scope="col" className="num">
                    Burn 3d
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.values(d).map((s) => (
                  <tr key={s.name}>
                    <th scope="row" title={s.description}>
                      {s.name}
                    </th>
                    <td>{s.status.replaceAll('_', ' ')}</td>
                    <td className="num">{share(s.objective)}</td>
                    <td className="num">{share(s.sli)}</td>
                    <td className="num">{share(s.error_budget_remaining)}</td>
                    <td className="num">{(s.burn_rates['1h'] ?? 0).toFixed(1)}</td>
                    <td className="num">{(s.burn_rates['6h'] ?? 0).toFixed(1)}</td>
                    <td className="num">{(s.burn_rates['3d'] ?? 0).toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </QueryView>
      <h2>Open alerts</h2>
      <QueryView query={alerts} what="alerts">
        {(d) =>
          d.alerts.length === 0 ? (
            <Empty>No open alert.</Empty>
          ) : (
            <TableScroll label="Open alerts">
              <table data-testid="alerts">
                <thead>
                  <tr>
                    <th scope="col">Since</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Source</th>
                    <th scope="col">Alert</th>
                  </tr>
                </thead>
                <tbody>
                  {d.alerts.map((a) => (
                    <tr key={a.alert_id}>
                      <td>{usDate(a.since)}</td>
                      <td>{a.severity}</td>
                      <td>{a.source}</td>
                      <td>{a.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </>
  );
}
