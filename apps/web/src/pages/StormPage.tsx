/** One storm: its status, treat/hold counts and a canvas map of its properties and hail reports. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import type { Storm, StormMap } from '../api/views';
import { QueryView } from '../components/Async';
import { count, usDate } from '../lib/format';
import type { ColorBy } from '../map/draw';
import { StormMapCanvas } from './storm/StormMapCanvas';

export default function StormPage({ stormId }: { stormId: string }) {
  const path = { params: { path: { storm_id: stormId } } };
  const storm = useQuery({
    queryKey: ['storm', stormId],
    queryFn: () => unwrap<Storm>(api.GET('/v1/storms/{storm_id}', path)),
  });
  const map = useQuery({
    queryKey: ['storm-map', stormId],
    queryFn: () => unwrap<StormMap>(api.GET('/v1/storms/{storm_id}/map', path)),
  });
  const [by, setBy] = useState<ColorBy>('uplift');
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
            <StormMapCanvas map={m} by={by} />
          </section>
        )}
      </QueryView>
    </>
  );
}
