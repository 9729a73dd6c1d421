/**
 * The benchmark contract: each `bench/<name>.bench.ts` exports `run(ctx)` returning named figures.
 * `npm run bench` runs them all (or those named on the command line), prints each figure beside its target,
 * and saves `bench/results/<name>.json`.
 */
export interface BenchFigure {
  /** What was measured, e.g. "storm creations via API". */
  name: string;
  value: number;
  unit: string;
  /** The target, if it names one; `pass` is then computed by the harness. */
  target?: { op: '<=' | '>=' | '<' | '>'; value: number };
  /** Anything a reader needs to reproduce or interpret the figure. */
  notes?: string;
}

export interface BenchContext {
  /** Server Postgres admin URL, when one is available (STORMOPS_BENCH_DATABASE_URL or DATABASE_URL). */
  databaseUrl: string | undefined;
  /** A scratch folder removed after the run. */
  tmpDir: string;
  log: (message: string) => void;
}

export interface BenchModule {
  run(ctx: BenchContext): Promise<BenchFigure[]>;
}

export function passes(figure: BenchFigure): boolean | undefined {
  const t = figure.target;
  if (!t) return undefined;
  switch (t.op) {
    case '<=':
      return figure.value <= t.value;
    case '>=':
      return figure.value >= t.value;
    case '<':
      return figure.value < t.value;
    case '>':
      return figure.value > t.value;
  }
}

/** Wall-clock milliseconds of one async call. */
export async function timeMs<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}
