/**
 * The job-side SLI API: scoring, outcome ingestion and later domains record good/total events on their series
 * (e.g. 'job.scoring.freshness') with one additive write. Call it after your own transaction commits: it opens a
 * platform transaction of its own (metric tables are not visible to tenant roles).
 */
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordSliEvents } from '../../telemetry/metrics.ts';
import { addToBuckets } from './slo.repo.ts';
import { BUCKET_MS } from './slo.recorder.ts';

export interface JobEvent {
  /** The SLI series, e.g. 'job.scoring.freshness' (a-z 0-9 _ . : -). */
  series: string;
  /** One good or bad event... */
  good?: boolean;
  /** ...or counts for a batch (good <= total). */
  counts?: { good: number; total: number };
  /** When it happened (the caller's clock). */
  at: Date;
}

const SERIES = /^[a-z0-9_.:-]{1,100}$/;

/** Records job SLI events (e.g. one per scoring run: good when the scores were fresh). */
export async function recordJobEvent(db: Database, event: JobEvent): Promise<void> {
  if (!SERIES.test(event.series))
    throw new AppError('VALIDATION', `series ${JSON.stringify(event.series)} is not a valid series name`, {
      field: 'series',
    });
  const c = event.counts ?? { good: event.good === false ? 0 : 1, total: 1 };
  if (!Number.isInteger(c.good) || !Number.isInteger(c.total) || c.good < 0 || c.total < c.good) {
    throw new AppError('VALIDATION', 'counts must be whole numbers with 0 <= good <= total', { field: 'counts' });
  }
  if (c.total === 0) return;
  const bucketStart = new Date(Math.floor(event.at.getTime() / BUCKET_MS) * BUCKET_MS);
  await db.withPlatform((trx) =>
    addToBuckets(trx, [{ series: event.series, bucketStart, good: c.good, total: c.total }]),
  );
  recordSliEvents(event.series, c.good, c.total);
}
