/**
 * One storm: its status, treat/hold counts and a canvas map of its properties and hail reports, then its operations:
 * import, uplift distribution, policy, territories, outcomes and lift, data health. Each part shows only for callers
 * whose role reads it; buttons only for those whose role may use them (a canvasser is sent to their doors).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { useCan } from '../api/session';
import type { Storm } from '../api/types';
import type { StormMap } from '../api/types';
import { QueryView } from '../components/Async';
import { count, usDate } from '../lib/format';
import type { ColorBy } from '../map/draw';
import { loadOutlines } from '../map/outlines';
import { fetchMapPoints } from '../map/points';
import { HealthPanel } from './storm/HealthPanel';
import { ImportPanel } from './storm/ImportPanel';
import { PolicyPanel } from './storm/PolicyPanel';
import { ResultsPanel } from './storm/ResultsPanel';
import { StormMapCanvas } from './storm/StormMapCanvas';
import { TerritoriesPanel } from './storm/TerritoriesPanel';
import { UpliftDistribution } from './storm/UpliftDistribution';

export default function StormPage({ stormId }: { stormId: string }) {
  const path = { params: { path: { storm_id: stormId } } };
  const storm = useQuery({
    queryKey: ['storm', stormId],
    queryFn: () => unwrap<Storm>(api.GET('/v1/storms/{storm_id}', path)),
  });
  const can = useCan();
  const map = useQuery({
    queryKey: ['storm-map', stormId],
    enabled: can('properties:read'),
    queryFn: () => unwrap<StormMap>(api.GET('/v1/storms/{storm_id}/map', path)),
  });
  // The points travel as binary columns (1.1 MB for 100,000, read as typed arrays), beside the small JSON above.
  const points = useQuery({
    queryKey: ['storm-map', stormId, 'points'],
    enabled: can('properties:read'),
    queryFn: () => fetchMapPoints(stormId),
  });
  const [by, setBy] = useState<ColorBy>('uplift');
  // The outlines load while the map's data does, not after it (the promise is shared with the canvas).
  const readsProperties = can('properties:read');
  useEffect(() => {
    if (readsProperties) void loadOutlines().catch(() => undefined);
  }, [readsProperties]);
  return (
    <>
      <p>
        <Link href="/storms">← Storms</Link>
      </p>
      <QueryView query={storm} what="storm">
        {(s) => (
          <header>
            <h1>{s.name}</h1>
            <p>
              {s.event_id} · {s.status} · {usDate(s.starts_at)}
              {s.region ? ` · ${s.region}` : ''}
            </p>
          </header>
        )}
      </QueryView>
      {can('knocks:write') && !can('properties:read') && (
        <p>
          <Link href={`/canvass/${stormId}`}>Open my doors in this storm</Link>
        </p>
      )}
      {can('properties:read') && (
        <QueryView query={map} what="map">
          {(m) => (
            <section aria-labelledby="map-title">
              <h2 id="map-title">Map</h2>
              <dl className="stats">
                <div>
                  <dt>Properties</dt>
                  <dd data-testid="count-properties">{count(m.counts.properties)}</dd>
                </div>
                <div>
                  <dt>Scored</dt>
                  <dd>{count(m.counts.scored)}</dd>
                </div>
                <div>
                  <dt>Treat</dt>
                  <dd data-testid="count-treat">{count(m.counts.treat)}</dd>
                </div>
                <div>
                  <dt>Hold (control)</dt>
                  <dd data-testid="count-hold">{count(m.counts.hold)}</dd>
                </div>
                <div>
                  <dt>Hail reports</dt>
                  <dd>{count(m.hail_reports.length)}</dd>
                </div>
              </dl>
              <fieldset role="radiogroup" aria-label="Colour properties by">
                <label>
                  <input type="radio" name="color-by" checked={by === 'uplift'} onChange={() => setBy('uplift')} />
                  Predicted uplift
                </label>
                <label>
                  <input type="radio" name="color-by" checked={by === 'arm'} onChange={() => setBy('arm')} />
                  Arm (treat or hold)
                </label>
              </fieldset>
              <QueryView query={points} what="map points">
                {(p) => (
                  <>
                    <StormMapCanvas map={m} points={p} by={by} />
                    <UpliftDistribution points={p} />
                  </>
                )}
              </QueryView>
            </section>
          )}
        </QueryView>
      )}
      {/* The operations ask for heavier documents (the pilot report, health checks): they start once the map has its
          data, so on the single-connection embedded database they never queue in front of it. */}
      {((settled(map) && settled(points)) || !can('properties:read')) && <Operations stormId={stormId} />}
    </>
  );
}

const settled = (q: { isSuccess: boolean; isError: boolean }) => q.isSuccess || q.isError;

function Operations({ stormId }: { stormId: string }) {
  const can = useCan();
  return (
    <>
      {can('properties:write') && <ImportPanel stormId={stormId} />}
      {can('policy:read') && <PolicyPanel stormId={stormId} />}
      {can('walklists:read') && <TerritoriesPanel stormId={stormId} />}
      {can('reports:read') && <ResultsPanel stormId={stormId} />}
      {can('health:read') && <HealthPanel stormId={stormId} />}
    </>
  );
}
