/** Decodes a byte stream chunk by chunk as strict UTF-8 (BOM dropped), refusing binary content on the way. */
import { assertNoNul, assertTextStart, firstInvalidUtf8 } from './encoding.ts';
import { ImportError } from './errors.ts';
import { toAsyncIterator, type ByteSource } from './tabular.ts';

export interface TextLocation {
  row: number;
  column?: string | undefined;
}

/**
 * Large chunks are decoded in slices of this many bytes: the records of one slice are what stays alive while a batch
 * is processed, and a small live set keeps young-generation GC cheap (1 MB chunks ran about 2x slower end to end).
 */
export const MAX_SLICE_BYTES = 64 * 1024;

/**
 * Decodes each slice whole (a UTF-8 sequence cut by the slice's end waits for the next), so nothing is hidden in a
 * decoder's state: the CSV reader can take over the raw bytes where the text it has read ends (`takeHeld`, `nextBytes`).
 */
export class Utf8Stream {
  done = false;
  bytesSeen = 0;
  private rest: Uint8Array | undefined;
  /** The start of a UTF-8 sequence the last slice cut off (at most 3 bytes). */
  private held: Uint8Array | undefined;
  private textSeen = false;
  private readonly it: AsyncIterator<Uint8Array>;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(source: ByteSource) {
    this.it = toAsyncIterator(source);
  }

  /**
   * The next decoded text ('' once the source ends; then `done` is true). `locate` receives the valid text just
   * before an encoding problem and returns where it is; `row` is used for a NUL byte in a later chunk.
   */
  async next(locate: (validPrefix: string) => TextLocation, row: number): Promise<string> {
    let chunk = await this.nextBytes(row);
    if (chunk === null) {
      if (this.held) throw invalidUtf8(locate(''));
      return '';
    }
    if (this.held) {
      chunk = Buffer.concat([this.held, chunk]);
      this.held = undefined;
    }
    const whole = completeUtf8Length(chunk);
    if (whole < chunk.length) {
      this.held = chunk.slice(whole);
      chunk = chunk.subarray(0, whole);
    }
    try {
      const text = this.decoder.decode(chunk);
      if (this.textSeen || text.length === 0) return text;
      this.textSeen = true;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // the byte order mark
    } catch {
      throw invalidUtf8In(chunk, locate);
    }
  }

  /**
   * The next slice of raw bytes (null once the source ends; then `done` is true), checked for binary content like
   * the slices `next` decodes. For the reader that splits lines itself.
   */
  async nextBytes(row: number): Promise<Uint8Array | null> {
    let chunk: Uint8Array;
    if (this.rest) {
      chunk = this.rest;
      this.rest = undefined;
    } else {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        return null;
      }
      chunk = r.value;
    }
    if (chunk.length > MAX_SLICE_BYTES) {
      this.rest = chunk.subarray(MAX_SLICE_BYTES);
      chunk = chunk.subarray(0, MAX_SLICE_BYTES);
    }
    if (this.bytesSeen === 0 && chunk.length > 0) assertTextStart(chunk);
    else assertNoNul(chunk, row);
    this.bytesSeen += chunk.length;
    return chunk;
  }

  /**
   * The start of a sequence the last slice cut off (at most 3 bytes), from here on not to be decoded: the caller
   * reads on with `nextBytes`, which goes on with the rest of the current chunk.
   */
  takeHeld(): Uint8Array {
    const held = this.held ?? new Uint8Array(0);
    this.held = undefined;
    return held;
  }
}

/** Bytes of `chunk` up to the start of a sequence its end cuts off (all of it when none is cut). */
export function completeUtf8Length(chunk: Uint8Array): number {
  const n = chunk.length;
  let i = n - 1;
  while (i >= 0 && n - i < 4 && (chunk[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return n;
  const lead = chunk[i]!;
  const len =
    lead < 0x80
      ? 1
      : lead >= 0xc0 && lead < 0xe0
        ? 2
        : lead >= 0xe0 && lead < 0xf0
          ? 3
          : lead >= 0xf0 && lead < 0xf8
            ? 4
            : 1;
  return i + len > n ? i : n;
}

/** The error for `bytes`, which are not valid UTF-8: `locate` gets the valid text before the first bad byte. */
export function invalidUtf8In(bytes: Uint8Array, locate: (validPrefix: string) => TextLocation): ImportError {
  const bad = firstInvalidUtf8(bytes);
  return invalidUtf8(locate(bad > 0 ? new TextDecoder().decode(bytes.subarray(0, bad)) : ''));
}

/** The error for bytes that are not UTF-8, at a place in the file. */
export function invalidUtf8(at: TextLocation): ImportError {
  return new ImportError({
    code: 'INVALID_UTF8',
    message: 'the file is not valid UTF-8 (save it as "CSV UTF-8")',
    row: at.row,
    ...(at.column === undefined ? {} : { column: at.column }),
  });
}
