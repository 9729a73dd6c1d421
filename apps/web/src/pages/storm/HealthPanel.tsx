/** The storm's data-health status and its open issues (GET .../health). */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { StormHealth } from '../../api/types';
import { Empty, QueryView } from '../../components/Async';
import { usDate } from '../../lib/format';

export function HealthPanel({ stormId }: { stormId: string }) {
  const health = useQuery({
    queryKey: ['health', stormId],
    queryFn: () =>
      unwrap<StormHealth>(api.GET('/v1/storms/{storm_id}/health', { params: { path: { storm_id: stormId } } })),
  });
  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title">Data health</h2>
      <QueryView query={health} what="data health">
        {(h) => (
          <>
            <p data-testid="health-status">
              Status: <strong>{h.health_status}</strong> (checked {usDate(h.checked_at)})
            </p>
            {h.issues.length === 0 ? (
              <Empty>No issue.</Empty>
            ) : (
              <ul data-testid="health-issues">
                {h.issues.map((i) => (
                  <li key={`${i.check}-${i.message}`}>
                    <mark className={`sev-${i.severity}`}>{i.severity}</mark> {i.check}: {i.message}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
