/**
 * The metric recorder: counts SLI events in memory per (series, minute) and adds them to `metric_bucket` in one
 * statement per flush (periodically and on close), so a request never waits on a database write.
 */
import type { Database } from '../../db/database.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { addToBuckets, type BucketDelta } from './slo.repo.ts';
import {
  HTTP_SERIES,
  LATENCY_BOUNDS_MS,
  latencySeries,
  reportLatencySeries,
  tenantSeries,
  type WorkKind,
} from './slo.schema.ts';

export interface RecorderOptions {
  clock?: Clock;
  /** How often to flush (default 10 s); 0 disables the timer (flush by hand). */
  flushEveryMs?: number;
  /** Pending (series, minute) cells kept when the database is down; beyond this the oldest are dropped. */
  maxPendingCells?: number;
  onError?: (err: unknown) => void;
}

export const BUCKET_MS = 60_000;

const LATENCY = LATENCY_BOUNDS_MS.map((ms) => ({ ms, series: latencySeries(ms) }));
const REPORT_LATENCY = LATENCY_BOUNDS_MS.map((ms) => ({ ms, series: reportLatencySeries(ms) }));

interface Cell {
  good: number;
  total: number;
}

export class MetricRecorder {
  /** minute start (ms) -> series -> counts; two plain map lookups per event, no string building. */
  private pending = new Map<number, Map<string, Cell>>();
  private cells = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly clock: Clock;
  private readonly maxCells: number;
  /** Cells dropped because the database stayed unreachable (exposed for monitoring and tests). */
  dropped = 0;

  constructor(
    private readonly db: Database,
    private readonly opts: RecorderOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.maxCells = opts.maxPendingCells ?? 100_000;
  }

  /**
   * One API request: `http.requests` (good unless 5xx) and each latency bucket of its kind of work (interactive or
   * report; bulk uploads stream and have none), good when at or under its bound. With a tenant, the same again on the
   * tenant's own series.
   */
  recordRequest(
    statusCode: number,
    durationSeconds: number,
    at: Date = this.clock(),
    opts: { kind?: WorkKind; tenantId?: string | undefined } = {},
  ): void {
    const minute = this.minute(at);
    if (!minute) return;
    const ms = durationSeconds * 1000;
    const kind = opts.kind ?? 'interactive';
    const latency = kind === 'interactive' ? LATENCY : kind === 'report' ? REPORT_LATENCY : [];
    const count = (name: (series: string) => string) => {
      this.bump(minute, name(HTTP_SERIES), statusCode < 500 ? 1 : 0, 1);
      for (const b of latency) this.bump(minute, name(b.series), ms <= b.ms ? 1 : 0, 1);
    };
    count((s) => s);
    const tenant = opts.tenantId;
    if (tenant) count((s) => tenantSeries(tenant, s));
  }

  /** Good and total events on any series (jobs use recordJobEvent, which writes at once). */
  add(series: string, good: number, total: number, at: Date = this.clock()): void {
    const minute = this.minute(at);
    if (minute) this.bump(minute, series, good, total);
  }

  private minute(at: Date): Map<string, Cell> | undefined {
    if (this.closed) return undefined;
    const start = Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS;
    let m = this.pending.get(start);
    if (!m) {
      m = new Map();
      this.pending.set(start, m);
    }
    return m;
  }

  private bump(minute: Map<string, Cell>, series: string, good: number, total: number): void {
    const cell = minute.get(series);
    if (cell) {
      cell.good += good;
      cell.total += total;
      return;
    }
    minute.set(series, { good, total });
    if (++this.cells > this.maxCells) this.dropOldest();
  }

  /** Starts the periodic flush (the timer does not keep the process alive). */
  start(): this {
    const every = this.opts.flushEveryMs ?? 10_000;
    if (every > 0 && !this.timer) {
      this.timer = setInterval(() => void this.flush(), every);
      this.timer.unref();
    }
    return this;
  }

  /** Writes what is pending; concurrent calls run one after another. A failure keeps the counts for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (this.cells === 0) return;
    const batch: BucketDelta[] = [];
    for (const [start, m] of this.pending)
      for (const [series, c] of m) batch.push({ series, bucketStart: new Date(start), good: c.good, total: c.total });
    this.pending = new Map();
    this.cells = 0;
    try {
      await this.db.withPlatform((trx) => addToBuckets(trx, batch));
    } catch (err) {
      for (const d of batch) this.add(d.series, d.good, d.total, d.bucketStart);
      this.opts.onError?.(err);
    }
  }

  /** Stops the timer and flushes what is left (call before closing the database). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
  }

  get pendingCells(): number {
    return this.cells;
  }

  /** Drops the oldest minute still pending (the database has been down for a long time). */
  private dropOldest(): void {
    const first = this.pending.entries().next();
    if (first.done) return;
    this.pending.delete(first.value[0]);
    this.cells -= first.value[1].size;
    this.dropped += first.value[1].size;
  }
}
