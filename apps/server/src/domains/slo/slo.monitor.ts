/**
 * The server's SLO loop: every interval, flush the request recorder, evaluate the burn-rate rules and deliver
 * pending notifications (on the leader only, when several processes share the database: jobs/leader.ts; every process
 * still flushes its own recorder). A failed pass is logged and the next one tries again; the timer never keeps the process up.
 */
import type { Database } from '../../db/database.ts';
import type { Leader } from '../../jobs/leader.ts';
import { recordPeriodicRun } from '../../telemetry/metrics.ts';
import { PLATFORM } from '../auth/principal.ts';
import type { MetricRecorder } from './slo.recorder.ts';
import { pruneBuckets } from './slo.repo.ts';
import { defaultSlos, windowMinutes } from './slo.schema.ts';
import { evaluateSlos, type SloDeps } from './slo.service.ts';
import type { EvaluationView } from './slo.schema.ts';

export interface MonitorOptions extends SloDeps {
  /** Interval between passes; 0 disables the timer. */
  everyMs: number;
  recorder?: MetricRecorder;
  onError?: (err: unknown) => void;
  onEvaluated?: (r: EvaluationView) => void;
  /** Buckets older than this are deleted, at most hourly (default: the longest SLO window plus 5 days). */
  retentionDays?: number;
  /** With several processes on one database, only the leader evaluates and prunes (default: this process alone). */
  leader?: Leader;
}

const PRUNE_EVERY_MS = 3_600_000;

export class SloMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private lastPrune = -Infinity;

  constructor(
    private readonly db: Database,
    private readonly opts: MonitorOptions,
  ) {}

  start(): this {
    if (this.opts.everyMs > 0 && !this.timer) {
      this.timer = setInterval(() => void this.tick().catch(() => {}), this.opts.everyMs);
      this.timer.unref();
    }
    return this;
  }

  /** One pass (passes never overlap). */
  tick(): Promise<EvaluationView | undefined> {
    const pass = this.running.then(async () => {
      try {
        await this.opts.recorder?.flush();
        if (this.opts.leader && !(await this.opts.leader.confirm())) return undefined;
        const r = await evaluateSlos({ db: this.db, principal: PLATFORM }, this.opts);
        this.opts.onEvaluated?.(r);
        await this.prune(new Date(r.evaluated_at));
        recordPeriodicRun('slo_evaluate', 'ok');
        return r;
      } catch (err) {
        recordPeriodicRun('slo_evaluate', 'error');
        this.opts.onError?.(err);
        return undefined;
      }
    });
    this.running = pass;
    return pass;
  }

  private async prune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    const longest = Math.max(...(this.opts.slos ?? defaultSlos()).map(windowMinutes));
    const keepMs =
      this.opts.retentionDays !== undefined ? this.opts.retentionDays * 86_400_000 : (longest + 5 * 1440) * 60_000;
    await this.db.withPlatform((trx) => pruneBuckets(trx, new Date(now.getTime() - keepMs)));
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
