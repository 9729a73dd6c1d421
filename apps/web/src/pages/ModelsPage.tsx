/** Uplift models: versions, stages, hold-out Qini score and curve, stage history; promote and roll back for admins (models:promote). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ModelDetail, ModelSummary } from '../api/types';
import { api, unwrap } from '../api/client';
import { useCan } from '../api/session';
import { Empty, ErrorNote, QueryView } from '../components/Async';
import { TableScroll } from '../components/TableScroll';
import { QiniChart } from '../charts/QiniChart';
import { count, usDate } from '../lib/format';

const STAGES = ['staging', 'shadow', 'production', 'archived'] as const;
const num = (x: number | undefined, d = 3) => (x === undefined ? '—' : x.toFixed(d));

export default function ModelsPage() {
  const can = useCan();
  const qc = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const models = useQuery({
    queryKey: ['models'],
    queryFn: () => unwrap<{ models: ModelSummary[] }>(api.GET('/v1/models', { params: { query: {} } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['models'] });
  const stage = useMutation({
    mutationFn: (v: { id: string; stage: (typeof STAGES)[number] }) =>
      unwrap(
        api.POST('/v1/models/{model_id}/stage', {
          params: { path: { model_id: v.id } },
          body: { stage: v.stage, reason: 'from the web app' },
        }),
      ),
    onSuccess: refresh,
  });
  const rollback = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/models/rollback', { body: { reason: 'from the web app' } })),
    onSuccess: refresh,
  });
  const promote = can('models:promote');
  return (
    <>
      <h1>Models</h1>
      {promote && (
        <p>
          <button type="button" className="secondary" disabled={rollback.isPending} onClick={() => rollback.mutate()}>
            Roll back to the previous production model
          </button>
        </p>
      )}
      {stage.error && <ErrorNote error={stage.error} />}
      {rollback.error && <ErrorNote error={rollback.error} />}
      <QueryView query={models} what="models">
        {(d) =>
          d.models.length === 0 ? (
            <Empty>No model yet: train one from a past storm (stormops models train).</Empty>
          ) : (
            <TableScroll label="Models">
              <table data-testid="models">
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Learner</th>
                    <th scope="col" className="num">
                      Rows
                    </th>
                    <th scope="col" className="num">
                      Qini (hold-out)
                    </th>
                    <th scope="col" className="num">
                      Uplift at 30%
                    </th>
                    <th scope="col">Trained</th>
                    {promote && <th scope="col">Move to</th>}
                  </tr>
                </thead>
                <tbody>
                  {d.models.map((m) => (
                    <tr key={m.model_id}>
                      <th scope="row">
                        <button
                          type="button"
                          className="link"
                          onClick={() => setOpen(open === m.model_id ? null : m.model_id)}
                        >
                          {m.name} v{m.version}
                        </button>
                      </th>
                      <td>{m.stage}</td>
                      <td>{m.learner}</td>
                      <td className="num">{count(m.training_rows)}</td>
                      <td className="num">{num(m.holdout_metrics?.qini_auc_score)}</td>
                      <td className="num">
                        {m.holdout_metrics?.uplift_at_30 === undefined
                          ? '—'
                          : `${(m.holdout_metrics.uplift_at_30 * 100).toFixed(1)} pts`}
                      </td>
                      <td>{usDate(m.created_at)}</td>
                      {promote && (
                        <td>
                          <select
                            aria-label={`Move ${m.name} v${m.version} to a stage`}
                            value=""
                            disabled={stage.isPending}
                            onChange={(e) =>
                              e.target.value &&
                              stage.mutate({ id: m.model_id, stage: e.target.value as (typeof STAGES)[number] })
                            }
                          >
                            <option value="">choose…</option>
                            {STAGES.filter((s) => s !== m.stage).map((s) => (
                              <option key={s} value={s}>
                                {s}
                              </option>
                            ))}
                          </select>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
      {open && <History modelId={open} />}
    </>
  );
}

function History({ modelId }: { modelId: string }) {
  const m = useQuery({
    queryKey: ['model', modelId],
    queryFn: () => unwrap<ModelDetail>(api.GET('/v1/models/{model_id}', { params: { path: { model_id: modelId } } })),
  });
  return (
    <QueryView query={m} what="stage history">
      {(d) => (
        <section aria-labelledby="history-title">
          <h2 id="history-title">
            {d.name} v{d.version}
          </h2>
          <h3>Qini curve (hold-out)</h3>
          {'qini_curve' in d.holdout_metrics && d.holdout_metrics.qini_curve ? (
            <QiniChart curve={d.holdout_metrics.qini_curve} name={`${d.name} v${d.version}`} />
          ) : (
            <Empty>No Qini curve kept for this version (trained before curves were kept).</Empty>
          )}
          <h3>Stage history</h3>
          <ul>
            {d.stage_history.map((h) => (
              <li key={h.changed_at + h.to_stage}>
                {usDate(h.changed_at)}: {h.from_stage ?? 'new'} → {h.to_stage} by {h.actor}
                {h.reason ? ` (${h.reason})` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </QueryView>
  );
}
