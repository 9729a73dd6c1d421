/**
 * Progress of a long service step (scoring, exposure), for whoever shows it (the CLI draws it on stderr). `done` of
 * `total` rows in the current step; `total` is null while unknown.
 */
export type StepProgress = (p: { step: string; done: number; total: number | null }) => void;

/** Reports every `every` rows of a step, and its end. */
export function rowTicker(report: StepProgress | undefined, step: string, total: number | null, every = 10_000) {
  let done = 0;
  return {
    add(n = 1) {
      done += n;
      if (report && (done % every < n || done === total)) report({ step, done, total });
    },
  };
}
