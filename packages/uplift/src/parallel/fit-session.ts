/**
 * Per-fit state the workers hold between tasks: a fit's buffers go to each worker once (a setup task, sent with
 * the first task that needs the workers), later tasks carry numbers only, and a release task lets the workers drop
 * the buffers when the fit ends. `FitSession` is the calling thread's side, `FitSlot` a worker's.
 */
import { runParallel, type Task } from './pool.ts';

/** The calling thread's side: what to send, to how many threads, and whether the setup went out. */
export interface FitSession {
  id: number;
  threads: number;
  setup: Task;
  release: Task;
  sent: boolean;
}

let nextId = 1;

/** A session over `threads` threads (this one included); `setup` and `release` receive the session's id. */
export function createFitSession(
  threads: number,
  setup: (id: number) => Task,
  release: (id: number) => Task,
): FitSession {
  const id = nextId++;
  return { id, threads, setup: setup(id), release: release(id), sent: false };
}

/** Runs `task` on every worker of the session while this thread runs `own`, sending the setup first if needed. */
export function runOnSession(s: FitSession, task: Task, own: () => void): void {
  const workers = Array.from({ length: s.threads - 1 });
  if (!s.sent) {
    runParallel(
      workers.map(() => s.setup),
      () => undefined,
    );
    s.sent = true;
  }
  runParallel(
    workers.map(() => task),
    own,
  );
}

/** Tells the workers the fit is over, so its memory can be freed. Best effort: it also runs after a failed fit. */
export function endFitSession(s: FitSession): void {
  if (!s.sent) return;
  s.sent = false;
  try {
    runParallel(
      Array.from({ length: s.threads - 1 }, () => s.release),
      () => undefined,
    );
  } catch {
    // A worker drops the state at its next setup anyway.
  }
}

/** A worker's hold on one kind of per-fit state: the last setup's, by fit id. */
export class FitSlot<T> {
  private held: { id: number; value: T } | null = null;

  /** `what` names the task kind in the error for a task that arrives without its setup. */
  constructor(private readonly what: string) {}

  set(id: number, value: T): void {
    this.held = { id, value };
  }

  drop(id: number): void {
    if (this.held?.id === id) this.held = null;
  }

  get(id: number): T {
    if (!this.held || this.held.id !== id) throw new Error(`${this.what} for fit ${id} without its setup`);
    return this.held.value;
  }
}
