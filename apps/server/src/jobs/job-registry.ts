/**
 * In-process registry of running background jobs (API imports today): live progress for polling, and a promise per
 * job so shutdown can wait for them. The durable record of each job is its database row; this only adds what is
 * happening right now in this process.
 */
export interface JobProgress {
  rows_read: number;
  bytes_read: number;
  bytes_total: number | null;
  elapsed_ms: number;
}

interface Job {
  progress: JobProgress;
  done: Promise<unknown>;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  /** Starts `work` in the background; its progress callback updates what `progress(id)` returns. */
  start(
    id: string,
    bytesTotal: number | null,
    work: (report: (p: Omit<JobProgress, 'bytes_total'>) => void) => Promise<unknown>,
  ): void {
    const job: Job = {
      progress: { rows_read: 0, bytes_read: 0, bytes_total: bytesTotal, elapsed_ms: 0 },
      done: Promise.resolve(),
    };
    job.done = work((p) => (job.progress = { ...p, bytes_total: bytesTotal }))
      .catch(() => {}) // the job records its own failure; the registry only tracks liveness
      .finally(() => this.jobs.delete(id));
    this.jobs.set(id, job);
  }

  progress(id: string): JobProgress | undefined {
    return this.jobs.get(id)?.progress;
  }

  /** Waits for every running job (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
