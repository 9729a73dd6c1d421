/**
 * A one-line progress display for long CLI work: rows, rows/s, bytes and ETA, redrawn in place on a terminal
 * (stderr), silent when stderr is not a terminal or under --json.
 */
export interface Progress {
  update(p: { rows: number; bytes?: number; elapsedMs: number }): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function progressBar(
  stream: NodeJS.WriteStream,
  opts: { label: string; totalBytes?: number; enabled: boolean },
): Progress {
  if (!opts.enabled || !stream.isTTY) return SILENT;
  let last = 0;
  let drawn = false;
  return {
    update({ rows, bytes, elapsedMs }) {
      const now = performance.now();
      if (now - last < 100) return; // at most ten redraws a second
      last = now;
      const rate = rows / Math.max(elapsedMs / 1000, 1e-3);
      const parts = [
        `${opts.label} ${rows.toLocaleString('en-US')} rows`,
        `${Math.round(rate).toLocaleString('en-US')} rows/s`,
      ];
      if (bytes !== undefined && opts.totalBytes) {
        const share = Math.min(bytes / opts.totalBytes, 1);
        const width = 24;
        const filled = Math.round(share * width);
        const eta = share > 0 ? ((elapsedMs / share - elapsedMs) / 1000).toFixed(0) : '?';
        parts.unshift(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0)}%`);
        parts.push(`${mb(bytes)}/${mb(opts.totalBytes)}`, `ETA ${eta}s`);
      }
      stream.write(`\r${parts.join('  ')}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}

/**
 * Progress of a multi-step service call (scoring, exposure) on stderr: `label: step  done/total rows  [###...]  2.1s`,
 * redrawn in place on a terminal, never on stdout (so `--json` output stays one JSON document), silent when stderr is
 * not a terminal.
 */
export function stepProgress(
  stream: { write(s: string): unknown; isTTY?: boolean },
  label: string,
): { update(p: { step: string; done: number; total: number | null }): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = performance.now();
  let drawn = false;
  let last = 0;
  let lastStep = '';
  return {
    update({ step, done, total }) {
      const now = performance.now();
      if (step === lastStep && now - last < 100 && done !== total) return;
      last = now;
      lastStep = step;
      const parts = [`${label}: ${step}`];
      if (total) {
        const share = Math.min(done / total, 1);
        const filled = Math.round(share * 24);
        parts.push(`[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] ${(share * 100).toFixed(0)}%`);
        parts.push(`${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows`);
      } else if (done) parts.push(`${done.toLocaleString('en-US')} rows`);
      parts.push(`${((now - started) / 1000).toFixed(1)}s`);
      stream.write(`\r${parts.join('  ')}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
