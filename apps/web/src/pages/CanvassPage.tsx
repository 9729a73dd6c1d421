/**
 * The canvasser's phone view: pick a storm, then your territory's doors in walking order; one tap logs a knock's
 * result, one tap an outcome. Taps go to an outbox in localStorage first (lib/offline-queue.ts) and are sent at once
 * when there is a signal, or when the phone is back online, each once (idempotency keys).
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from 'wouter';
import { ApiError, api, unwrap } from '../api/client';
import type { WalkList } from '../api/types';
import type { Storm } from '../api/types';
import { Empty, QueryView } from '../components/Async';
import { enqueue, flush, outbox, subscribe, type Refused } from '../lib/offline-queue';
import { usDate } from '../lib/format';

export default function CanvassPage({ stormId }: { stormId?: string }) {
  return stormId ? <Doors stormId={stormId} /> : <PickStorm />;
}

function PickStorm() {
  const storms = useQuery({
    queryKey: ['storms'],
    queryFn: () => unwrap<{ storms: Storm[] }>(api.GET('/v1/storms', { params: { query: {} } })),
  });
  return (
    <>
      <h1>My doors</h1>
      <QueryView query={storms} what="storms">
        {(d) =>
          d.storms.length === 0 ? (
            <Empty>No storm yet.</Empty>
          ) : (
            <ul>
              {d.storms.map((s) => (
                <li key={s.storm_id}>
                  <Link href={`/canvass/${s.storm_id}`}>{s.name}</Link> ({usDate(s.starts_at)})
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </>
  );
}

const KNOCKS = [
  { result: 'no_answer', label: 'No answer' },
  { result: 'not_interested', label: 'Not interested' },
  { result: 'inspection_booked', label: 'Inspection booked' },
  { result: 'signed', label: 'Signed' },
] as const;

const cacheKey = (stormId: string) => `stormops.walk-list.${stormId}`;
const meKey = (stormId: string) => `stormops.canvasser.${stormId}`;
const doneKey = (stormId: string) => `stormops.done.${stormId}`;
const PAGE = 25;

/** The walk list, kept in localStorage so the doors still show when the page is reopened without a signal. */
function useWalkList(stormId: string) {
  return useQuery({
    queryKey: ['walk-list', stormId],
    queryFn: async () => {
      try {
        const list = await unwrap<WalkList>(
          api.GET('/v1/storms/{storm_id}/walk-list', { params: { path: { storm_id: stormId }, query: {} } }),
        );
        localStorage.setItem(cacheKey(stormId), JSON.stringify(list));
        return list;
      } catch (err) {
        const kept = localStorage.getItem(cacheKey(stormId));
        if (kept && !(err instanceof ApiError)) return JSON.parse(kept) as WalkList;
        throw err;
      }
    },
  });
}

function useOnline(): boolean {
  return useSyncExternalStore(
    (cb) => {
      addEventListener('online', cb);
      addEventListener('offline', cb);
      return () => {
        removeEventListener('online', cb);
        removeEventListener('offline', cb);
      };
    },
    () => navigator.onLine,
  );
}

function Doors({ stormId }: { stormId: string }) {
  const list = useWalkList(stormId);
  const online = useOnline();
  const waiting = useSyncExternalStore(subscribe, () => localStorage.getItem('stormops.outbox') ?? '[]');
  const pending = useMemo(() => JSON.parse(waiting) as ReturnType<typeof outbox>, [waiting]);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [me, setMe] = useState<string>(() => localStorage.getItem(meKey(stormId)) ?? '');
  const [done, setDone] = useState<Record<string, string>>(
    () => JSON.parse(localStorage.getItem(doneKey(stormId)) ?? '{}') as Record<string, string>,
  );
  const [shown, setShown] = useState(PAGE);

  const send = useCallback(() => {
    void flush().then((r) => r.length && setRefused((old) => [...old, ...r]));
  }, []);
  useEffect(() => {
    send();
    addEventListener('online', send);
    const timer = setInterval(send, 15_000);
    return () => {
      removeEventListener('online', send);
      clearInterval(timer);
    };
  }, [send]);

  const canvassers = useMemo(() => {
    const names = new Map<string, number>();
    for (const f of list.data?.features ?? []) names.set(f.properties.canvasser, f.properties.territory);
    return [...names].sort((a, b) => a[1] - b[1]).map(([n]) => n);
  }, [list.data]);
  const who = me && canvassers.includes(me) ? me : (canvassers[0] ?? '');
  const doors = useMemo(
    () =>
      (list.data?.features ?? [])
        .filter((f) => f.properties.canvasser === who)
        .sort((a, b) => a.properties.walk_seq - b.properties.walk_seq),
    [list.data, who],
  );

  function mark(propertyId: string, label: string) {
    const before = done[propertyId];
    const next = { ...done, [propertyId]: before ? `${before}; ${label}` : label };
    setDone(next);
    localStorage.setItem(doneKey(stormId), JSON.stringify(next));
  }
  function knock(propertyId: string, result: string, label: string) {
    enqueue({
      kind: 'knock',
      path: '/v1/knocks',
      label,
      body: {
        storm_id: stormId,
        property_id: propertyId,
        canvasser: who,
        result,
        knocked_at: new Date().toISOString(),
      },
    });
    mark(propertyId, label);
    send();
  }
  function outcome(propertyId: string, converted: boolean) {
    const label = converted ? 'Outcome: signed a job' : 'Outcome: no sale';
    enqueue({
      kind: 'outcome',
      path: '/v1/outcomes',
      label,
      body: { storm_id: stormId, property_id: propertyId, converted },
    });
    mark(propertyId, label);
    send();
  }

  return (
    <>
      <p>
        <Link href="/canvass">← Storms</Link>
      </p>
      <h1>My doors</h1>
      <p
        role="status"
        data-testid="outbox"
        data-waiting={pending.length}
        className={`outbox-bar${online ? '' : ' offline-note'}`}
      >
        {online ? 'Online' : 'Offline: taps are kept on this phone'}
        {pending.length > 0 ? ` · ${pending.length} waiting to be sent` : ' · everything sent'}
      </p>
      {refused.length > 0 && (
        <div role="alert" className="error-note">
          {refused.map((r) => (
            <p key={r.entry.id}>
              {r.entry.label} was refused: {r.message}
            </p>
          ))}
        </div>
      )}
      <QueryView query={list} what="your doors">
        {() =>
          canvassers.length === 0 ? (
            <Empty>No territory planned for this storm yet.</Empty>
          ) : (
            <>
              <label>
                I am
                <select
                  value={who}
                  onChange={(e) => {
                    setMe(e.target.value);
                    localStorage.setItem(meKey(stormId), e.target.value);
                    setShown(PAGE);
                  }}
                >
                  {canvassers.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <p>
                {doors.length} doors in walking order; {doors.filter((d) => done[d.properties.property_id]).length}{' '}
                logged.
              </p>
              <ol className="doors" data-testid="doors">
                {doors.slice(0, shown).map((d) => {
                  const p = d.properties;
                  const state = done[p.property_id];
                  const queued = pending.some((e) => e.body.property_id === p.property_id);
                  return (
                    <li key={p.property_id} data-testid="door" data-property={p.property_id}>
                      <article>
                        <header>
                          <strong>
                            {p.walk_seq}. {p.address}
                          </strong>
                          {p.zip ? ` ${p.zip}` : ''}
                          {state && (
                            <small className="door-state" data-testid="door-state">
                              {' '}
                              · {state}
                              {queued ? ' (waiting to send)' : ' (sent)'}
                            </small>
                          )}
                        </header>
                        <div className="knock-buttons" role="group" aria-label={`Knock at ${p.address}`}>
                          {KNOCKS.map((k) => (
                            <button
                              key={k.result}
                              type="button"
                              className="outline"
                              onClick={() => knock(p.property_id, k.result, `Knock: ${k.label}`)}
                            >
                              {k.label}
                            </button>
                          ))}
                        </div>
                        <div className="knock-buttons" role="group" aria-label={`Outcome at ${p.address}`}>
                          <button type="button" onClick={() => outcome(p.property_id, true)}>
                            Job signed
                          </button>
                          <button type="button" className="secondary" onClick={() => outcome(p.property_id, false)}>
                            No sale
                          </button>
                        </div>
                      </article>
                    </li>
                  );
                })}
              </ol>
              {doors.length > shown && (
                <button type="button" className="secondary" onClick={() => setShown(shown + PAGE)}>
                  Show more doors
                </button>
              )}
            </>
          )
        }
      </QueryView>
    </>
  );
}
