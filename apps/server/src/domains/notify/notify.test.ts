import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { backoffMs, retryAfterMs, DEFAULT_RETRY } from './notify.http.ts';
import { createNotifier } from './notify.notifier.ts';
import { deliverPending, syncAlerts, type AlertCondition } from './alerts.service.ts';
import type { AlertEvent } from './notify.types.ts';

interface Recorded {
  path: string;
  body: Record<string, unknown>;
}
interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A local receiver standing in for Slack and PagerDuty: records every request, answers from a script per path. */
class Receiver {
  readonly requests: Recorded[] = [];
  readonly script = new Map<string, Scripted[]>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.push({ path, body: JSON.parse(text) as Record<string, unknown> });
        const next = this.script.get(path)?.shift() ?? { status: path.startsWith('/pd') ? 202 : 200 };
        res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.body ?? (next.status < 300 ? 'ok' : 'error'));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }
  on(path: string, ...answers: Scripted[]): void {
    this.script.set(path, answers);
  }
  to(path: string): Recorded[] {
    return this.requests.filter((r) => r.path === path);
  }
  reset(): void {
    this.requests.length = 0;
    this.script.clear();
  }
  close(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()));
  }
}

const rx = new Receiver();
beforeAll(() => rx.start());
afterAll(() => rx.close());
beforeEach(() => rx.reset());

const sleeps: number[] = [];
function notifier(extra: { maxAttempts?: number } = {}) {
  sleeps.length = 0;
  return createNotifier(
    {
      slackWebhookUrl: `${rx.url}/slack`,
      pagerdutyRoutingKey: 'R0UTINGKEY',
      pagerdutyUrl: `${rx.url}/pd`,
      retry: { baseDelayMs: 100, maxDelayMs: 5000, maxAttempts: extra.maxAttempts ?? 5 },
    },
    { sleep: async (ms) => void sleeps.push(ms), random: () => 1 - Number.EPSILON },
  );
}
const event = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'trigger',
  dedupKey: 'stormops/slo:api-availability:page/abc',
  severity: 'page',
  summary: 'SLO api-availability burning 20x',
  source: 'slo',
  alertKey: 'slo:api-availability:page',
  at: new Date('2031-01-01T00:00:00Z'),
  runbook: 'docs/observability.md#high-error-rate',
  ...over,
});

describe('notifier against a local receiver', () => {
  it('routes a page to PagerDuty and Slack, a ticket to Slack only', async () => {
    const n = notifier();
    const page = await n.notify(event());
    expect(page.map((r) => [r.destination, r.ok, r.attempts])).toEqual([
      ['pagerduty', true, 1],
      ['slack', true, 1],
    ]);
    expect(rx.to('/pd')[0]?.body).toMatchObject({
      routing_key: 'R0UTINGKEY',
      event_action: 'trigger',
      dedup_key: 'stormops/slo:api-availability:page/abc',
      payload: {
        severity: 'critical',
        source: 'stormops',
        summary: 'SLO api-availability burning 20x',
        timestamp: '2031-01-01T00:00:00.000Z',
      },
    });
    expect(String(rx.to('/slack')[0]?.body['text'])).toBe(':rotating_light: [PAGE] SLO api-availability burning 20x');
    rx.reset();
    await n.notify(event({ severity: 'ticket' }));
    expect(rx.requests.map((r) => r.path)).toEqual(['/slack']);
  });

  it('retries 429 honouring Retry-After, and 5xx with exponential backoff', async () => {
    const n = notifier();
    rx.on('/slack', { status: 429, headers: { 'retry-after': '2' } }, { status: 200 });
    rx.on('/pd', { status: 500 }, { status: 502 }, { status: 503 }, { status: 202 });
    const results = await n.notify(event());
    expect(results.map((r) => [r.destination, r.ok, r.attempts])).toEqual([
      ['pagerduty', true, 4],
      ['slack', true, 2],
    ]);
    expect(rx.to('/pd')).toHaveLength(4);
    // Slack's wait is its Retry-After (2 s); PagerDuty's are 100, 200, 400 ms (random ~1 keeps the full step).
    expect([...sleeps].sort((a, b) => a - b)).toEqual([100, 200, 400, 2000]);
  });

  it('does not retry a 400, and gives up on persistent 5xx after maxAttempts', async () => {
    const n = notifier({ maxAttempts: 3 });
    rx.on('/pd', { status: 400, body: '{"status":"invalid event"}' });
    rx.on('/slack', { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const [pd, slack] = await n.notify(event());
    expect(pd).toMatchObject({ ok: false, status: 400, attempts: 1, retryable: false });
    expect(pd?.error).toMatch(/invalid event/);
    expect(slack).toMatchObject({ ok: false, status: 500, attempts: 3, retryable: true });
    expect(rx.to('/pd')).toHaveLength(1);
    expect(rx.to('/slack')).toHaveLength(3);
  });

  it('resolves by dedup key alone', async () => {
    await notifier().notify(event({ action: 'resolve' }));
    expect(rx.to('/pd')[0]?.body).toEqual({
      routing_key: 'R0UTINGKEY',
      event_action: 'resolve',
      dedup_key: 'stormops/slo:api-availability:page/abc',
    });
    expect(String(rx.to('/slack')[0]?.body['text'])).toMatch(/^:white_check_mark: \[RESOLVED\]/);
  });

  it('backoff and Retry-After arithmetic', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 500, maxDelayMs: 30_000 };
    expect([1, 2, 3, 10].map((a) => backoffMs(a, p, () => 0))).toEqual([250, 500, 1000, 15_000]);
    const now = new Date('2031-01-01T00:00:00Z');
    expect(retryAfterMs('3', p, now)).toBe(3000);
    expect(retryAfterMs('Wed, 01 Jan 2031 00:00:10 GMT', p, now)).toBe(10_000);
    expect(retryAfterMs('3600', p, now)).toBe(30_000); // capped
    expect(retryAfterMs(null, p, now)).toBeUndefined();
  });
});

describeEachDatabase('alert incidents and delivery', (t) => {
  const cond = (key: string, firing: boolean, severity: 'page' | 'ticket' = 'page'): AlertCondition => ({
    key,
    source: 'data_health',
    severity,
    firing,
    message: `condition ${key}`,
    details: { runbook: 'docs/observability.md#uplift-drift' },
  });

  it('an incident pages once and resolves once with one dedup key, across repeated evaluations', async () => {
    const { db } = t();
    const n = notifier();
    const key = `data_health:${crypto.randomUUID()}:uplift_drift`;
    const t0 = new Date('2031-02-01T00:00:00Z');
    const at = (m: number) => new Date(t0.getTime() + m * 60_000);
    for (let m = 0; m < 3; m++) {
      await syncAlerts(db, [cond(key, true)], at(m));
      await deliverPending(db, n, at(m));
    }
    for (let m = 3; m < 5; m++) {
      await syncAlerts(db, [cond(key, false)], at(m));
      await deliverPending(db, n, at(m));
    }
    const pd = rx.to('/pd').map((r) => [r.body['event_action'], r.body['dedup_key']]);
    expect(pd).toHaveLength(2);
    expect(pd[0]?.[0]).toBe('trigger');
    expect(pd[1]?.[0]).toBe('resolve');
    expect(pd[0]?.[1]).toBe(pd[1]?.[1]);
    expect(String(pd[0]?.[1])).toContain(key);
    expect(rx.to('/slack')).toHaveLength(2);
  });

  it('a delivery that failed with retryable errors is sent on the next pass; a 400 is not retried', async () => {
    const { db } = t();
    const n = notifier({ maxAttempts: 2 });
    const key = `billing_quota:${crypto.randomUUID()}`;
    const now = new Date('2031-02-02T00:00:00Z');
    await syncAlerts(db, [cond(key, true, 'ticket')], now);
    rx.on('/slack', { status: 503 }, { status: 503 });
    const first = await deliverPending(db, n, now);
    expect(first.filter((r) => r.done)).toEqual([]);
    const second = await deliverPending(db, n, now);
    expect(second.map((r) => [r.action, r.done])).toEqual([['trigger', true]]);
    expect(rx.to('/slack')).toHaveLength(3);
    expect(await deliverPending(db, n, now)).toEqual([]);

    const bad = `billing_quota:${crypto.randomUUID()}`;
    await syncAlerts(db, [cond(bad, true, 'ticket')], now);
    rx.on('/slack', { status: 400, body: 'invalid_payload' });
    const r = await deliverPending(db, n, now);
    expect(r.map((x) => [x.action, x.done, x.results[0]?.status])).toEqual([['trigger', true, 400]]);
    expect(await deliverPending(db, n, now)).toEqual([]);
  });

  it('delivers incidents opened at the same instant in the order they were opened', async () => {
    const { db } = t();
    const n = notifier();
    const keys = Array.from({ length: 3 }, (_, i) => `data_health:${crypto.randomUUID()}:tie_${i}`);
    const now = new Date('2031-02-03T00:00:00Z');
    const { opened } = await syncAlerts(
      db,
      keys.map((k) => cond(k, true, 'ticket')),
      now,
    );
    // A row's place in the table is not its age (an update or a reused slot moves it): put the first incident last.
    await sql`update alert_incident set delivery_attempts = delivery_attempts where alert_key = ${keys[0]}`.execute(
      db.owner,
    );
    const reports = await deliverPending(db, n, now);
    const mine = new Set(opened.map((o) => o.alert_id));
    expect(reports.filter((r) => mine.has(r.alert_id)).map((r) => r.alert_id)).toEqual(opened.map((o) => o.alert_id));
  });
});
