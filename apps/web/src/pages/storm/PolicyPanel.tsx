/**
 * Policy preview (a shadow run: what the mode would pick, no arms) and apply (assigns treat and hold), with the mode
 * chosen; each run's treat/hold counts against the crews' capacity. Buttons show only for callers that hold
 * policy:preview or policy:apply.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useCan } from '../../api/session';
import { POLICY_MODES, type PolicyMode, type PolicyRun } from '../../api/types';
import { ErrorNote, QueryView, Empty } from '../../components/Async';
import { TableScroll } from '../../components/TableScroll';
import { count, dollars, usDate } from '../../lib/format';

export function PolicyPanel({ stormId }: { stormId: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const [mode, setMode] = useState<PolicyMode>('moderate');
  const [newBatch, setNewBatch] = useState(false);
  const [last, setLast] = useState<PolicyRun | null>(null);
  const params = { path: { storm_id: stormId } };
  const runs = useQuery({
    queryKey: ['policy-runs', stormId],
    enabled: can('policy:read'),
    queryFn: () => unwrap<{ runs: PolicyRun[] }>(api.GET('/v1/storms/{storm_id}/policy/runs', { params })),
  });
  const run = useMutation({
    mutationFn: (kind: 'preview' | 'apply') =>
      kind === 'preview'
        ? unwrap<PolicyRun>(api.POST('/v1/storms/{storm_id}/policy/preview', { params, body: { mode } }))
        : unwrap<PolicyRun>(
            api.POST('/v1/storms/{storm_id}/policy/apply', {
              params,
              body: { mode, shadow: false, new_batch: newBatch },
            }),
          ),
    onSuccess: (r) => {
      setLast(r);
      void qc.invalidateQueries({ queryKey: ['policy-runs', stormId] });
      if (!r.shadow) {
        void qc.invalidateQueries({ queryKey: ['storm-map', stormId] });
        void qc.invalidateQueries({ queryKey: ['pilot', stormId] });
      }
    },
  });
  const canPreview = can('policy:preview');
  const canApply = can('policy:apply');
  return (
    <section aria-labelledby="policy-title">
      <h2 id="policy-title">Policy</h2>
      {(canPreview || canApply) && (
        <form onSubmit={(e) => e.preventDefault()}>
          <div className="grid-2">
            <label>
              Policy mode
              <select value={mode} onChange={(e) => setMode(e.target.value as PolicyMode)}>
                {POLICY_MODES.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            {canApply && (
              <label className="inline-check">
                <input type="checkbox" checked={newBatch} onChange={(e) => setNewBatch(e.target.checked)} />
                Apply as a new batch (another mode on a storm that already has arms)
              </label>
            )}
          </div>
          <div role="group">
            {canPreview && (
              <button
                type="button"
                className="secondary"
                disabled={run.isPending}
                onClick={() => run.mutate('preview')}
              >
                Preview (shadow)
              </button>
            )}
            {canApply && (
              <button type="button" disabled={run.isPending} onClick={() => run.mutate('apply')}>
                Apply policy
              </button>
            )}
          </div>
        </form>
      )}
      {run.isPending && (
        <p aria-busy="true" role="status">
          Running the policy…
        </p>
      )}
      {run.error && <ErrorNote error={run.error} />}
      {last && <RunSummary run={last} />}
      {can('policy:read') && (
        <QueryView query={runs} what="policy runs">
          {(r) => (r.runs.length === 0 ? <Empty>No policy run yet.</Empty> : <RunsTable runs={r.runs} />)}
        </QueryView>
      )}
    </section>
  );
}

function RunSummary({ run }: { run: PolicyRun }) {
  return (
    <article data-testid={run.shadow ? 'policy-preview' : 'policy-applied'} aria-label="Policy result">
      <header>
        <strong>
          {run.shadow ? 'Preview' : 'Applied'}: {run.mode} v{run.policy_version}
        </strong>
        {run.shadow ? ' (shadow: no arms assigned)' : ` (batch ${run.batch})`}
      </header>
      <dl className="stats">
        <div>
          <dt>Treat</dt>
          <dd data-testid="run-treat">{count(run.treat)}</dd>
        </div>
        <div>
          <dt>Hold (control)</dt>
          <dd data-testid="run-hold">{count(run.hold)}</dd>
        </div>
        <div>
          <dt>Not picked</dt>
          <dd>{count(run.excluded)}</dd>
        </div>
        <div>
          <dt>Capacity (doors)</dt>
          <dd data-testid="run-capacity">{count(run.capacity)}</dd>
        </div>
        <div>
          <dt>Capacity used</dt>
          <dd>{run.capacity_used_pct.toFixed(0)}%</dd>
        </div>
        <div>
          <dt>Expected extra jobs</dt>
          <dd>{run.expected_incremental_conversions.toFixed(0)}</dd>
        </div>
        <div>
          <dt>Expected extra revenue</dt>
          <dd>{dollars(run.expected_incremental_revenue_cents)}</dd>
        </div>
        <div>
          <dt>Smallest detectable lift</dt>
          <dd>
            {run.detectable_lift.pts === null ? 'none (an arm is empty)' : `${run.detectable_lift.pts.toFixed(1)} pts`}
          </dd>
        </div>
      </dl>
      {run.warnings.length > 0 && (
        <ul>
          {run.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </article>
  );
}

function RunsTable({ runs }: { runs: PolicyRun[] }) {
  return (
    <TableScroll label="Policy runs">
      <table>
        <caption>Policy runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Mode</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Treat
            </th>
            <th scope="col" className="num">
              Hold
            </th>
            <th scope="col" className="num">
              Capacity
            </th>
            <th scope="col" className="num">
              Used
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.run_id}>
              <td>{usDate(r.created_at)}</td>
              <td>
                {r.mode} v{r.policy_version}
              </td>
              <td>{r.shadow ? 'preview' : `applied (batch ${r.batch})`}</td>
              <td className="num">{count(r.treat)}</td>
              <td className="num">{count(r.hold)}</td>
              <td className="num">{count(r.capacity)}</td>
              <td className="num">{r.capacity_used_pct.toFixed(0)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
