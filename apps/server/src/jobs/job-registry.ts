/**
 * In-process registry of running background jobs (API imports today): live progress for polling, and a promise per
 * job so shutdown can wait for them. The durable record of each job is its database row; this only adds what is
 * happening right now in this process.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface JobProgress {
  rows_read: number;
  bytes_read: number;
  bytes_total: number | null;
  elapsed_ms: number;
}

/** What this process knows of a job it runs, answered without the database (which a running import may hold). */
export interface JobFacts {
  tenantId: string;
  /** The job's record as written when it started. */
  record: Record<string, unknown>;
}

interface Job {
  progress: JobProgress;
  done: Promise<unknown>;
  facts: JobFacts | undefined;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  /** This process as the owner of the jobs it runs (recorded on each job's row, with a heartbeat). */
  readonly ownerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  /** Starts `work` in the background; its progress callback updates what `progress(id)` returns. */
  start(
    id: string,
    bytesTotal: number | null,
    work: (report: (p: Omit<JobProgress, 'bytes_total'>) => void) => Promise<unknown>,
    facts?: JobFacts,
  ): void {
    const job: Job = {
      progress: { rows_read: 0, bytes_read: 0, bytes_total: bytesTotal, elapsed_ms: 0 },
      done: Promise.resolve(),
      facts,
    };
    job.done = work((p) => (job.progress = { ...p, bytes_total: bytesTotal }))
      .catch(() => {}) // the job records its own failure; the registry only tracks liveness
      .finally(() => this.jobs.delete(id));
    this.jobs.set(id, job);
  }

  progress(id: string): JobProgress | undefined {
    return this.jobs.get(id)?.progress;
  }

  /** A job running in this process: its facts and live progress. */
  running(id: string): (JobFacts & { progress: JobProgress }) | undefined {
    const job = this.jobs.get(id);
    return job?.facts ? { ...job.facts, progress: job.progress } : undefined;
  }

  /** How many jobs run in this process now. */
  get size(): number {
    return this.jobs.size;
  }

  /** Waits for every running job (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
