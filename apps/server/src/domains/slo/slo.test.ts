import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { operator } from '../../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import { manualClock } from '../../lib/clock.ts';
import { addToBuckets, type BucketDelta } from './slo.repo.ts';
import { breachPeriods, evaluateSlos, getActiveAlerts, getSloDashboard, tenantSloStatus } from './slo.service.ts';
import { defaultSlos, parseSloFile, tenantSeries, workKindOf, type SloDefinition } from './slo.schema.ts';
import { recordJobEvent } from './slo.events.ts';
import { burnRate } from './slo.burn.ts';
import { MetricRecorder } from './slo.recorder.ts';
import { SloMonitor } from './slo.monitor.ts';
import { openDatabase } from '../../db/database.ts';
import { windowSums } from './slo.repo.ts';
import type { AlertEvent, Notifier } from '../notify/notify.types.ts';

const MIN = 60_000;
const unique = () => randomBytes(4).toString('hex');

function slo(objective: number, minEvents = 100): SloDefinition {
  const id = unique();
  return {
    name: `test-${id}`,
    description: 'test',
    objective,
    window: '30d',
    indicator: { kind: 'events', series: `test.${id}` },
    min_events: minEvents,
  };
}
const seriesOf = (s: SloDefinition) => (s.indicator.kind === 'events' ? s.indicator.series : '');

/** Writes one bucket per minute from `start` for `minutes` minutes; `per(i)` gives minute i's counts. */
async function seed(
  db: Database,
  series: string,
  start: Date,
  minutes: number,
  per: (i: number) => { good: number; total: number },
) {
  const rows: BucketDelta[] = [];
  for (let i = 0; i < minutes; i++) rows.push({ series, bucketStart: new Date(start.getTime() + i * MIN), ...per(i) });
  for (let i = 0; i < rows.length; i += 2000)
    await db.withPlatform((trx) => addToBuckets(trx, rows.slice(i, i + 2000)));
}

/** Evaluates at each given minute offset from `base`; returns the transitions as "<offset> open|resolve <severity>". */
async function run(
  db: Database,
  s: SloDefinition,
  base: Date,
  offsets: number[],
  notifier?: Notifier,
): Promise<string[]> {
  const clock = manualClock(base);
  const log: string[] = [];
  for (const k of offsets) {
    clock.set(new Date(base.getTime() + k * MIN));
    const r = await evaluateSlos(operator(db), { clock, slos: [s], ...(notifier ? { notifier } : {}) });
    for (const a of r.opened) log.push(`${k} open ${a.severity}`);
    for (const a of r.resolved) log.push(`${k} resolve ${a.severity}`);
  }
  return log;
}
const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('SLO file', () => {
  it('loads the built-in slos.json and rejects bad files naming the field', () => {
    expect(defaultSlos().map((s) => s.name)).toEqual([
      'api-availability',
      'api-latency',
      'report-latency',
      'scoring-freshness',
      'outcome-ingestion-lag',
    ]);
    expect(() =>
      parseSloFile(
        '{"version":1,"slos":[{"name":"x","description":"d","objective":1.5,"window":"30d","indicator":{"kind":"events","series":"a"}}]}',
      ),
    ).toThrow(/slos\.0\.objective/);
    expect(() =>
      parseSloFile(
        '{"version":1,"slos":[{"name":"x","description":"d","objective":0.9,"window":"30d","indicator":{"kind":"latency","threshold_ms":333}}]}',
      ),
    ).toThrow(/threshold_ms/);
    expect(() => parseSloFile('nope')).toThrow(/not JSON/);
  });

  it('breach periods merge overlapping incidents', () => {
    const at = (h: number) => new Date(Date.UTC(2031, 0, 1, h));
    expect(breachPeriods([])).toBe(0);
    expect(
      breachPeriods([
        { opened_at: at(1), resolved_at: at(3) },
        { opened_at: at(2), resolved_at: at(5) },
        { opened_at: at(6), resolved_at: null },
      ]),
    ).toBe(2);
    expect(
      breachPeriods([
        { opened_at: at(6), resolved_at: null },
        { opened_at: at(1), resolved_at: at(2) },
        { opened_at: at(7), resolved_at: at(8) },
      ]),
    ).toBe(2);
  });

  it('sorts routes by kind of work: reports and bulk uploads stay out of the interactive latency SLO', () => {
    expect(workKindOf('/v1/storms/:storm_id/pilot')).toBe('report');
    expect(workKindOf('/v1/storms/:storm_id/pilot/feedback')).toBe('interactive');
    expect(workKindOf('/v1/storms/:storm_id/properties/import')).toBe('bulk');
    expect(workKindOf('/v1/analyze')).toBe('bulk');
    expect(workKindOf('/v1/storms/:storm_id/imports')).toBe('interactive');
    expect(workKindOf('/v1/imports/:import_id')).toBe('interactive');
  });

  it('burn rate is the bad share over the allowed bad share', () => {
    expect(burnRate({ good: 95, total: 100 }, 0.99)).toBeCloseTo(5, 9);
    expect(burnRate({ good: 0, total: 0 }, 0.99)).toBe(0);
  });
});

describeEachDatabase('SLO monitor', (t) => {
  it('dashboard numbers match hand-computed SLI, budget and burn rates', async () => {
    const { db } = t();
    const s = slo(0.99);
    const now = new Date('2031-03-10T12:00:00Z');
    const at = (minAgo: number) => new Date(now.getTime() - minAgo * MIN);
    await db.withPlatform((trx) =>
      addToBuckets(trx, [
        { series: seriesOf(s), bucketStart: at(10), good: 95, total: 100 },
        { series: seriesOf(s), bucketStart: at(180), good: 900, total: 1000 },
        { series: seriesOf(s), bucketStart: at(2 * 1440), good: 1990, total: 2000 },
        { series: seriesOf(s), bucketStart: now, good: 0, total: 50 }, // not yet in any window ([now - w, now))
      ]),
    );
    const clock = manualClock(now);
    const d = (await getSloDashboard(operator(db), { hours: 24 }, { clock, slos: [s] }))[s.name];
    // 24 h: 995 good of 1100. 30 d: 115 bad of 3100 -> bad share 0.0370968, burn 3.70968, budget 1 - 3.70968.
    expect(d?.sli).toBeCloseTo(995 / 1100, 6);
    expect([d?.good, d?.total]).toEqual([995, 1100]);
    expect(d?.window_sli).toBeCloseTo(2985 / 3100, 6);
    expect(d?.error_budget_remaining).toBeCloseTo(1 - 115 / 3100 / 0.01, 5);
    expect(d?.burn_rates).toEqual({ '5m': 0, '30m': 5, '1h': 5, '2h': 5, '6h': 9.5455, '1d': 9.5455, '3d': 3.7097 });
    // Page rules: 1h/5m has no short-window burn; 6h/30m has 5 < 6 on the short window. Both ticket rules fire.
    expect(d?.firing_rules).toEqual(['ticket 1d/2h >= 3x', 'ticket 3d/6h >= 1x']);
    expect(d?.status).toBe('warning');
    expect(d?.breaches).toBe(0);

    const r = await evaluateSlos(operator(db), { clock, slos: [s] });
    expect(r.opened.map((a) => a.alert_key)).toEqual([`slo:${s.name}:ticket`]);
    const after = (await getSloDashboard(operator(db), { hours: 24 }, { clock, slos: [s] }))[s.name];
    expect(after?.breaches).toBe(1);
    const active = (await getActiveAlerts(operator(db))).filter((a) => a.alert_key.startsWith(`slo:${s.name}:`));
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ severity: 'ticket', since: now.toISOString(), source: 'slo' });
    expect(active[0]?.message).toMatch(/burning error budget at 9\.5x over 1d and 5\.0x over 2h/);
  });

  it("counts an incident against a tenant only when that tenant's own events failed", async () => {
    const { db } = t();
    const s = slo(0.999);
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    const burst = new Date('2031-05-10T00:00:00Z');
    // Tenant a's requests fail for 10 minutes; tenant b's all succeed; the platform series is their sum.
    const perA = (i: number) => (i >= 60 && i < 70 ? { good: 0, total: 100 } : { good: 100, total: 100 });
    const perB = () => ({ good: 100, total: 100 });
    const start = new Date(burst.getTime() - 60 * MIN);
    await seed(db, tenantSeries(a, seriesOf(s)), start, 70, perA);
    await seed(db, tenantSeries(b, seriesOf(s)), start, 70, perB);
    await seed(db, seriesOf(s), start, 70, (i) => {
      const x = perA(i);
      return { good: x.good + 100, total: x.total + 100 };
    });
    const now = new Date(burst.getTime() + 10 * MIN);
    const r = await evaluateSlos(operator(db), { clock: manualClock(now), slos: [s] });
    expect(r.opened.length).toBeGreaterThan(0);
    const from = new Date(burst.getTime() - 120 * MIN);
    const forA = await tenantSloStatus(operator(db), a, from, now, { slos: [s] });
    const forB = await tenantSloStatus(operator(db), b, from, now, { slos: [s] });
    expect(forA).toMatchObject({ status: 'breached', breaches: r.opened.length });
    expect(forA.issues[0]).toContain(`${s.name}:`);
    expect(forB).toMatchObject({ status: 'ok', breaches: 0, other_incidents: r.opened.length });
  });

  it('a 10-minute burst of errors pages at once, opens a ticket, and each resolves once when traffic recovers', async () => {
    const { db } = t();
    const s = slo(0.999);
    const burst = new Date('2031-04-10T00:00:00Z');
    // 100 requests a minute for 3 days before and 400 minutes after; minutes 0..9 all fail.
    await seed(db, seriesOf(s), new Date(burst.getTime() - 4320 * MIN), 4320 + 400, (i) => {
      const k = i - 4320;
      return k >= 0 && k < 10 ? { good: 0, total: 100 } : { good: 100, total: 100 };
    });
    // A recording notifier (the HTTP delivery itself is tested against a local receiver in notify.test.ts).
    const sent: AlertEvent[] = [];
    const notifier: Notifier = {
      destinations: ['slack'],
      notify: async (e) => (
        sent.push(e),
        [{ destination: 'slack', ok: true, status: 200, attempts: 1, retryable: false }]
      ),
    };
    const log = await run(db, s, burst, range(-3, 380), notifier);
    // Hand-computed (see docs/observability.md): the 1h/5m page rule fires after one bad minute (1h burn 16.7x);
    // the 1d/2h ticket rule after five (1d burn 3.47x); the page ends when the burst leaves the 30m window (B+40),
    // the ticket when it leaves the 6h window (B+370).
    expect(log).toEqual(['1 open page', '5 open ticket', '40 resolve page', '370 resolve ticket']);
    // One trigger and one resolve per incident, each pair with one dedup key.
    // (The outbox is platform-wide: incidents left undelivered by other tests go out too; keep this SLO's.)
    const mine = sent.filter((e) => e.alertKey.startsWith(`slo:${s.name}:`));
    expect(mine.map((e) => `${e.action} ${e.severity} ${e.at.toISOString()}`)).toEqual([
      'trigger page 2031-04-10T00:01:00.000Z',
      'trigger ticket 2031-04-10T00:05:00.000Z',
      'resolve page 2031-04-10T00:40:00.000Z',
      'resolve ticket 2031-04-10T06:10:00.000Z',
    ]);
    expect(mine[0]?.dedupKey).toBe(mine[2]?.dedupKey);
    expect(mine[1]?.dedupKey).toBe(mine[3]?.dedupKey);
    expect(mine[0]?.dedupKey).not.toBe(mine[1]?.dedupKey);
    // The page and the ticket overlap: one breach period in the last 24 hours.
    const d = await getSloDashboard(
      operator(db),
      { hours: 24 },
      { clock: manualClock(new Date(burst.getTime() + 380 * MIN)), slos: [s] },
    );
    expect(d[s.name]?.breaches).toBe(1);
  });

  it('a slow burn over three days opens a ticket, never a page, and resolves after recovery', async () => {
    const { db } = t();
    const s = slo(0.999);
    const start = new Date('2031-05-01T00:00:00Z');
    // Clean day before, then 3 days at burn 1.7x (17 bad in 10,000 a minute), then clean again.
    await seed(db, seriesOf(s), new Date(start.getTime() - 1440 * MIN), 1440 + 4320 + 420, (i) => {
      const k = i - 1440;
      return k >= 0 && k < 4320 ? { good: 9983, total: 10_000 } : { good: 10_000, total: 10_000 };
    });
    const log = await run(db, s, start, range(0, 4320 + 400, 10));
    // With one clean day of history, the 3d window at minute k holds 1440 + k minutes: burn 1.7k / (1440 + k) >= 1
    // from k = 2057.1 (first evaluation at 2060). After the burn stops at 4320, the 6h burn is 1.7 (4680 - t) / 360,
    // under 1 from t = 4468.2 (evaluation at 4470). The page rules (>= 6x, >= 14.4x) never fire.
    expect(log).toEqual(['2060 open ticket', '4470 resolve ticket']);
  });

  it('concurrent evaluators open an incident once', async () => {
    const { db } = t();
    const s = slo(0.99, 10);
    const now = new Date('2031-04-20T00:00:00Z');
    await seed(db, seriesOf(s), new Date(now.getTime() - 10 * MIN), 10, () => ({ good: 0, total: 10 }));
    const clock = manualClock(now);
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() => evaluateSlos(operator(db), { clock, slos: [s] }).catch((e: unknown) => e)),
    );
    const opened = runs.flatMap((r) =>
      'opened' in (r as object) ? (r as { opened: { alert_key: string }[] }).opened : [],
    );
    expect(opened.filter((a) => a.alert_key === `slo:${s.name}:page`)).toHaveLength(1);
    const open = (await getActiveAlerts(operator(db))).filter((a) => a.alert_key.startsWith(`slo:${s.name}:`));
    expect(open.map((a) => a.severity).sort()).toEqual(['page', 'ticket']);
  });

  it('a low-traffic hour with a few errors does not page (minimum-traffic guard); the same share at volume does', async () => {
    const { db } = t();
    const quiet = slo(0.999);
    const busy = slo(0.999);
    const end = new Date('2031-06-01T13:00:00Z');
    // 30 requests in the hour, 3 failing in the last 5 minutes: 1h burn 100x, but 30 < min_events 100.
    await seed(db, seriesOf(quiet), new Date(end.getTime() - 60 * MIN), 60, (i) =>
      i % 2 === 0 ? { good: i >= 54 ? 0 : 1, total: 1 } : { good: 0, total: 0 },
    );
    await seed(db, seriesOf(busy), new Date(end.getTime() - 60 * MIN), 60, (i) =>
      i % 2 === 0 ? { good: i >= 54 ? 0 : 10, total: 10 } : { good: 0, total: 0 },
    );
    const clock = manualClock(end);
    const r = await evaluateSlos(operator(db), { clock, slos: [quiet, busy] });
    // The busy SLO (300 requests) fires both page and ticket rules; the quiet one nothing.
    expect(r.firing).toEqual([`slo:${busy.name}:page`, `slo:${busy.name}:ticket`]);
    const d = await getSloDashboard(operator(db), { hours: 1 }, { clock, slos: [quiet] });
    expect(d[quiet.name]?.burn_rates['1h']).toBe(100);
    // No rule fires for it, but 10% failures do spend the 30-day budget: the dashboard says so without paging.
    expect(d[quiet.name]?.firing_rules).toEqual([]);
    expect(d[quiet.name]?.status).toBe('warning');
  });

  it('job events recorded with recordJobEvent feed the freshness SLO; bad input is refused', async () => {
    const { db } = t();
    const s = { ...slo(0.95, 5), indicator: { kind: 'events' as const, series: `job.scoring.${unique()}` } };
    const at = new Date('2031-07-01T10:00:30Z');
    for (let i = 0; i < 8; i++) await recordJobEvent(db, { series: s.indicator.series, good: i !== 3, at });
    await recordJobEvent(db, { series: s.indicator.series, counts: { good: 10, total: 12 }, at });
    const d = await getSloDashboard(
      operator(db),
      { hours: 1 },
      { clock: manualClock('2031-07-01T10:05:00Z'), slos: [s] },
    );
    expect([d[s.name]?.good, d[s.name]?.total]).toEqual([17, 20]);
    await expect(recordJobEvent(db, { series: 'Bad Series', good: true, at })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(recordJobEvent(db, { series: 'job.x', counts: { good: 3, total: 2 }, at })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(getSloDashboard(operator(db), { hours: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('the recorder keeps counts when the database is down and drops the oldest minutes beyond its bound', async () => {
    const down = await openDatabase({ kind: 'pglite-memory' });
    await down.close();
    const errors: unknown[] = [];
    const r1 = new MetricRecorder(down, { flushEveryMs: 0, onError: (e) => errors.push(e) });
    r1.recordRequest(503, 0.2, new Date('2031-08-01T00:00:05Z'));
    await r1.flush();
    expect([errors.length, r1.pendingCells]).toEqual([1, 6]);

    const { db } = t();
    const r2 = new MetricRecorder(db, { flushEveryMs: 0, maxPendingCells: 12 });
    for (const minute of ['00', '01', '02']) {
      r2.recordRequest(200, 0.3, new Date(`2031-08-02T00:${minute}:10Z`));
      r2.recordRequest(500, 0.9, new Date(`2031-08-02T00:${minute}:20Z`));
    }
    expect([r2.pendingCells, r2.dropped]).toEqual([12, 6]);
    await r2.close();
    const sums = await db.withPlatform((trx) =>
      windowSums(trx, ['http.requests', 'http.latency.le_500ms'], new Date('2031-08-02T00:03:00Z'), [3]),
    );
    // Minute 00 was dropped; minutes 01 and 02 hold 2 requests each, 1 good (non-5xx) and 1 under 500 ms.
    expect(sums.get('http.requests')?.get(3)).toEqual({ good: 2, total: 4 });
    expect(sums.get('http.latency.le_500ms')?.get(3)).toEqual({ good: 2, total: 4 });
  });

  // Last in the suite: its pass prunes every bucket older than the retention, whatever test wrote it.
  it('a monitor pass flushes the recorder, evaluates, and prunes buckets beyond the retention', async () => {
    const { db } = t();
    const s = slo(0.99, 5);
    const now = new Date('2035-01-10T00:00:00Z');
    await seed(db, seriesOf(s), new Date(now.getTime() - 40 * 1440 * MIN), 1, () => ({ good: 1, total: 1 }));
    const recorder = new MetricRecorder(db, { flushEveryMs: 0 });
    for (let i = 0; i < 10; i++) recorder.add(seriesOf(s), 0, 1, new Date(now.getTime() - 3 * MIN));
    const monitor = new SloMonitor(db, { everyMs: 0, recorder, clock: manualClock(now), slos: [s], retentionDays: 35 });
    const r = await monitor.tick();
    expect(r?.firing).toEqual([`slo:${s.name}:page`, `slo:${s.name}:ticket`]);
    await monitor.stop();
    const left = await db.withPlatform((trx) => windowSums(trx, [seriesOf(s)], now, [60 * 1440]));
    expect(left.get(seriesOf(s))?.get(60 * 1440)).toEqual({ good: 0, total: 10 });
  });
});
