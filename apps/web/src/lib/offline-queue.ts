/**
 * The canvasser's outbox: every knock and outcome is first written to localStorage with its own idempotency key,
 * then sent in order. An entry leaves the outbox when the API has answered it (written, replayed or refused); a
 * network failure (offline, bad signal) stops the pass and keeps it and everything after it for the next pass (on
 * the `online` event, a timer, or the next tap). The key makes a resend after a lost answer a replay, so each entry
 * counts once.
 */
import { authHeaders } from '../api/client';

export interface OutboxEntry {
  /** Also the idempotency key sent with it. */
  id: string;
  kind: 'knock' | 'outcome';
  path: '/v1/knocks' | '/v1/outcomes';
  body: Record<string, unknown>;
  created_at: string;
  /** What the door shows while it waits. */
  label: string;
}

export interface Refused {
  entry: OutboxEntry;
  status: number;
  message: string;
}

const KEY = 'stormops.outbox';
const listeners = new Set<() => void>();

export function outbox(): OutboxEntry[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as OutboxEntry[];
  } catch {
    return [];
  }
}

function save(entries: OutboxEntry[]): void {
  localStorage.setItem(KEY, JSON.stringify(entries));
  for (const l of listeners) l();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function enqueue(entry: Omit<OutboxEntry, 'id' | 'created_at'>): OutboxEntry {
  const full: OutboxEntry = {
    ...entry,
    id: crypto.randomUUID(),
    created_at: new Date().toISOString(),
    body: { ...entry.body },
  };
  full.body.idempotency_key = full.id;
  save([...outbox(), full]);
  return full;
}

let running: Promise<Refused[]> | null = null;

/** Sends what waits, oldest first; answers the entries the API refused (they leave the outbox too). */
export function flush(): Promise<Refused[]> {
  running ??= send().finally(() => (running = null));
  return running;
}

async function send(): Promise<Refused[]> {
  const refused: Refused[] = [];
  for (;;) {
    const entry = outbox()[0];
    if (!entry) return refused;
    let response: Response;
    try {
      response = await fetch(entry.path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...authHeaders('POST') },
        body: JSON.stringify(entry.body),
      });
    } catch {
      return refused; // no network: keep it for the next pass
    }
    if (response.status >= 500 || response.status === 429 || response.status === 401) return refused; // retry later
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      refused.push({ entry, status: response.status, message: body.error?.message ?? response.statusText });
    }
    save(outbox().filter((e) => e.id !== entry.id));
  }
}
