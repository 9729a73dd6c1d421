/**
 * Outcome progress (outcomes logged per arm against the homes assigned) and the cumulative lift with its
 * always-valid band, from the pilot report's data (GET .../pilot, reports:read).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { ApiError, api, unwrap } from '../../api/client';
import type { PilotResults } from '../../api/types';
import { LiftChart } from '../../charts/LiftChart';
import { Empty, QueryView } from '../../components/Async';
import { count, usDate } from '../../lib/format';

export function usePilot(stormId: string, enabled = true) {
  return useQuery({
    queryKey: ['pilot', stormId],
    enabled,
    queryFn: () =>
      unwrap<PilotResults>(
        api.GET('/v1/storms/{storm_id}/pilot', { params: { path: { storm_id: stormId }, query: { format: 'json' } } }),
      ),
  });
}

const pts = (x: number) => `${(x * 100).toFixed(1)} pts`;

export function ResultsPanel({ stormId }: { stormId: string }) {
  const pilot = usePilot(stormId);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Outcomes and lift</h2>
      {pilot.error instanceof ApiError && pilot.error.status === 409 ? (
        <Empty>No policy applied yet: outcome progress and the lift show once treat and hold are assigned.</Empty>
      ) : (
        <QueryView query={pilot} what="results">
          {(r) => (
            <>
              <OutcomeProgress coverage={r.coverage} />
              <p data-testid="lift-sentence">
                Lift {pts(r.outcomes.lift.absolute)} (treat {pts(r.outcomes.treat.rate)} vs hold{' '}
                {pts(r.outcomes.hold.rate)}), {Math.round((1 - r.alpha) * 100)}% interval{' '}
                {pts(r.outcomes.lift.absolute_ci[0])} to {pts(r.outcomes.lift.absolute_ci[1])}
                {r.outcomes.lift.significant ? ': significant.' : ': not significant yet.'}
              </p>
              <h3>Cumulative lift</h3>
              {r.over_time.points.length === 0 ? (
                <Empty>No day has outcomes in both arms yet.</Empty>
              ) : (
                <>
                  <LiftChart overTime={r.over_time} />
                  <p>
                    The band is always valid: look every day and stop once it leaves zero.{' '}
                    {r.over_time.conclusive_since
                      ? `Conclusive since ${usDate(r.over_time.conclusive_since)}.`
                      : 'Not conclusive yet.'}
                  </p>
                </>
              )}
              <p>
                <Link href={`/storms/${stormId}/report`}>Open the pilot report</Link>
              </p>
            </>
          )}
        </QueryView>
      )}
    </section>
  );
}

function OutcomeProgress({ coverage }: { coverage: PilotResults['coverage'] }) {
  if (!coverage) return <Empty>No outcome logged yet.</Empty>;
  return (
    <div className="grid-2" data-testid="outcome-progress">
      {(['treat', 'hold'] as const).map((arm) => (
        <label key={arm}>
          Outcomes logged, {arm === 'treat' ? 'treat' : 'hold (control)'}: {count(coverage[arm].logged)} of{' '}
          {count(coverage[arm].assigned)} ({Math.round(coverage[arm].share * 100)}%)
          <progress value={coverage[arm].logged} max={Math.max(1, coverage[arm].assigned)} />
        </label>
      ))}
    </div>
  );
}
