/**
 * The heartbeat of the jobs this process runs, for several API processes on one server Postgres: every few seconds
 * the process renews the heartbeat of its own running jobs, then marks interrupted the running jobs whose owner has
 * not beaten for JOB_STALE_MS (a process that was killed). A live process' jobs are never touched. Embedded PGlite
 * needs none of it: one process holds the data folder, and start-up marks what an earlier run left.
 */
import type { Database } from '../db/database.ts';
import { JOB_STALE_MS, beatImports, markInterruptedImports } from '../domains/properties/import-jobs.service.ts';
import type { JobRegistry } from './job-registry.ts';

export const HEARTBEAT_MS = 10_000;

export interface JobHeartbeat {
  /** One beat and sweep now (tests; also what the timer runs). */
  tick(): Promise<void>;
  stop(): void;
}

export function startJobHeartbeat(
  db: Database,
  jobs: JobRegistry,
  opts: { everyMs?: number; staleAfterMs?: number; onError?: (err: unknown) => void } = {},
): JobHeartbeat {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      if (jobs.size > 0) await beatImports(db, jobs.ownerId);
      await markInterruptedImports(db, { staleAfterMs: opts.staleAfterMs ?? JOB_STALE_MS, exceptOwner: jobs.ownerId });
    } catch (err) {
      opts.onError?.(err); // the database may be away: the next beat tries again
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.everyMs ?? HEARTBEAT_MS);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
