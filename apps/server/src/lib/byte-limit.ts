/** A pass-through stream that fails with PAYLOAD_TOO_LARGE once more than `limit` bytes went through it. */
import { Transform } from 'node:stream';
import { AppError } from '../errors.ts';

export function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(tooLarge(limit));
      else done(null, chunk);
    },
  });
}

export function tooLarge(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the body is larger than this route's limit of ${formatBytes(limit)}`, {
    limit_bytes: limit,
  });
}

/** Refuses at once when the declared Content-Length already exceeds the limit (nothing is read). */
export function checkDeclaredLength(header: string | undefined, limit: number): void {
  if (header === undefined) return;
  const n = Number(header);
  if (Number.isFinite(n) && n > limit) throw tooLarge(limit);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${n} bytes`;
}
