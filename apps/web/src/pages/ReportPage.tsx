/**
 * The pilot report on screen (GET /v1/storms/{id}/pilot): the verdict, lift with its interval, ROI, the cumulative
 * lift with its always-valid band and the success criteria, with downloads of the same report in Markdown, HTML and
 * PDF (rendered by the API).
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { download } from '../api/client';
import type { PilotResults } from '../api/types';
import { LiftChart } from '../charts/LiftChart';
import { Empty, ErrorNote, QueryView } from '../components/Async';
import { TableScroll } from '../components/TableScroll';
import { count, usDate } from '../lib/format';
import { usePilot } from './storm/ResultsPanel';

const usd0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const pts = (x: number) => `${(x * 100).toFixed(1)} pts`;
const FORMATS = [
  { format: 'md', label: 'Markdown', ext: 'md' },
  { format: 'html', label: 'HTML', ext: 'html' },
  { format: 'pdf', label: 'PDF', ext: 'pdf' },
] as const;

function criterionValue(c: PilotResults['success_criteria'][number], v: number | null): string {
  if (v === null) return '—';
  switch (c.unit) {
    case 'pts':
      return `${v.toFixed(1)} pts`; // criteria carry points already
    case 'pct':
      return `${v.toFixed(1)}%`;
    case 'usd':
      return usd0.format(v);
    case 'count':
    case 'score':
      return count(Math.round(v * 100) / 100);
  }
}

export default function ReportPage({ stormId }: { stormId: string }) {
  const pilot = usePilot(stormId);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function get(format: string, ext: string) {
    setBusy(format);
    setError(null);
    try {
      await download(`/v1/storms/${stormId}/pilot?format=${format}`, `pilot-report-${stormId}.${ext}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }
  return (
    <>
      <p>
        <Link href={`/storms/${stormId}`}>← Storm</Link>
      </p>
      <QueryView query={pilot} what="pilot report">
        {(r) => (
          <article aria-labelledby="report-title">
            <header>
              <h1 id="report-title">Pilot report: {r.storm.name}</h1>
              <p>
                {r.storm.event_id} · {usDate(r.storm.starts_on)} to {usDate(r.storm.ends_on)} · policy {r.policy.mode},{' '}
                {Math.round(r.policy.hold_share * 100)}% held out
              </p>
              <div role="group" aria-label="Download the report">
                {FORMATS.map((f) => (
                  <button
                    key={f.format}
                    type="button"
                    className="secondary outline"
                    aria-busy={busy === f.format}
                    disabled={busy !== null}
                    onClick={() => void get(f.format, f.ext)}
                  >
                    Download {f.label}
                  </button>
                ))}
              </div>
              {error !== null && <ErrorNote error={error} />}
            </header>
            <p data-testid="report-verdict">
              <strong>{r.summary.outcome.replaceAll('_', ' ')}</strong>: {r.summary.passed} of {r.summary.total} success
              criteria met.
            </p>
            <dl className="stats">
              <div>
                <dt>Lift</dt>
                <dd data-testid="report-lift">{pts(r.outcomes.lift.absolute)}</dd>
              </div>
              <div>
                <dt>{Math.round((1 - r.alpha) * 100)}% interval</dt>
                <dd>
                  {pts(r.outcomes.lift.absolute_ci[0])} to {pts(r.outcomes.lift.absolute_ci[1])}
                </dd>
              </div>
              <div>
                <dt>p-value</dt>
                <dd>{r.outcomes.lift.p_value < 0.001 ? '< 0.001' : r.outcomes.lift.p_value.toFixed(3)}</dd>
              </div>
              <div>
                <dt>Treat signed</dt>
                <dd>
                  {count(r.outcomes.treat.conversions)} of {count(r.outcomes.treat.n)}
                </dd>
              </div>
              <div>
                <dt>Hold signed</dt>
                <dd>
                  {count(r.outcomes.hold.conversions)} of {count(r.outcomes.hold.n)}
                </dd>
              </div>
              <div>
                <dt>Extra revenue</dt>
                <dd>{usd0.format(r.roi.incremental_revenue)}</dd>
              </div>
              <div>
                <dt>ROI</dt>
                <dd>{r.roi.roi_pct === null ? '—' : `${r.roi.roi_pct.toFixed(0)}%`}</dd>
              </div>
              <div>
                <dt>Canvassing cost</dt>
                <dd>{usd0.format(r.roi.cost)}</dd>
              </div>
            </dl>
            {r.srm.flagged && <p className="error-note">Sample ratio mismatch: {r.srm.reason}</p>}
            {r.contamination.flagged && (
              <p className="error-note">
                {count(r.contamination.hold_contaminated)} hold homes were knocked anyway (
                {(r.contamination.rate * 100).toFixed(1)}%).
              </p>
            )}
            <h2>Cumulative lift</h2>
            {r.over_time.points.length === 0 ? (
              <Empty>No day has outcomes in both arms yet.</Empty>
            ) : (
              <LiftChart overTime={r.over_time} />
            )}
            <h2>Success criteria</h2>
            <TableScroll label="Success criteria">
              <table data-testid="criteria">
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col" className="num">
                      Target
                    </th>
                    <th scope="col" className="num">
                      Actual
                    </th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {r.success_criteria.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">{c.name}</th>
                      <td className="num">
                        {c.comparator} {criterionValue(c, c.target)}
                      </td>
                      <td className="num">{criterionValue(c, c.actual)}</td>
                      <td>{c.status === 'no_data' ? 'no data' : c.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </article>
        )}
      </QueryView>
    </>
  );
}
