/** Byte-level checks before decoding: binary files, UTF-16, and locating invalid UTF-8. */
import { ImportError } from './errors.ts';

const SNIFF_BYTES = 8192;

/** Throws when the first chunk of a file is clearly not UTF-8 text (archive, spreadsheet, PDF, UTF-16, binary). */
export function assertTextStart(chunk: Uint8Array): void {
  const b0 = chunk[0];
  const b1 = chunk[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw new ImportError({
      code: 'UNSUPPORTED_ENCODING',
      message: 'the file is UTF-16 (Excel "Unicode Text"); save it as "CSV UTF-8" instead',
      row: 1,
    });
  }
  const magic = sniffMagic(chunk);
  if (magic) {
    throw new ImportError({
      code: 'BINARY_FILE',
      message: `the file is a ${magic}, not a CSV or JSON Lines text file`,
      row: 1,
    });
  }
  const n = Math.min(chunk.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = chunk[i]!;
    if (b === 0) throw binaryAt(1);
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (n > 0 && control / n > 0.05) throw binaryAt(1);
}

/** A NUL byte anywhere in a later chunk also marks binary content. */
export function assertNoNul(chunk: Uint8Array, row: number): void {
  if (chunk.indexOf(0) !== -1) throw binaryAt(row);
}

function binaryAt(row: number): ImportError {
  return new ImportError({
    code: 'BINARY_FILE',
    message: 'the file holds binary data (NUL or control bytes); export the data as CSV',
    row,
  });
}

function sniffMagic(c: Uint8Array): string | undefined {
  if (c[0] === 0x50 && c[1] === 0x4b && c[2] === 0x03 && c[3] === 0x04) return 'ZIP archive (or an .xlsx workbook)';
  if (c[0] === 0x1f && c[1] === 0x8b) return 'gzip archive';
  if (c[0] === 0x25 && c[1] === 0x50 && c[2] === 0x44 && c[3] === 0x46) return 'PDF document';
  if (c[0] === 0xd0 && c[1] === 0xcf && c[2] === 0x11 && c[3] === 0xe0) return 'legacy Office document (.xls)';
  return undefined;
}

/**
 * Offset of the first byte that does not start a valid UTF-8 sequence, or -1: as strict as TextDecoder's fatal mode
 * (no overlong forms, no encoded surrogates, nothing above U+10FFFF, no cut sequence at the end).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let len: number;
    // the second byte's range, narrower after E0, ED, F0 and F4
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + len > n) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}
