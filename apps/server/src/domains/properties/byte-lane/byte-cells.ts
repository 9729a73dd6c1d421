/**
 * Cells read from a CSV line's bytes, `buf[a, b)`, for the byte lane (plain-row-lane.ts): the byte forms of the
 * common spellings field-parsers.ts, us-states.ts and property-row.ts take as strings. Each answers exactly as its
 * string twin for the spellings it takes and refuses (NaN, -1, false) the rest, which the string lane then decides;
 * byte-cells.test.ts holds each pair to the same answers. A change to a string parser must be made here too, or
 * the byte form must refuse what changed.
 */
import { US_STATE_CODES } from '../us-states.ts';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Valid 2-letter state codes, by (first letter - 'A') * 26 + (second - 'A'). */
const STATE_TABLE = (() => {
  const t = new Uint8Array(26 * 26);
  for (const code of US_STATE_CODES) t[(code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65)] = 1;
  return t;
})();

/** parseNumber for its plain-decimal form, [-]digits[.digits] with at most 15 digits (parsePlainDecimal); NaN else. */
export function decimalOf(buf: Buffer, a: number, b: number): number {
  let i = a;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = -1;
  for (; i < b; i++) {
    const ch = buf[i]!;
    if (ch >= 48 && ch <= 57) {
      mantissa = mantissa * 10 + (ch - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (ch === 46 && scale === -1) scale = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const value = scale > 0 ? mantissa / POW10[scale]! : mantissa;
  return negative ? -value : value;
}

/** parseMoneyCents: "$350,000", "350000.005", "USD 1200" -> integer cents; NaN when malformed. */
export function moneyCentsOf(buf: Buffer, a: number, b: number): number {
  let i = a;
  if (b - i >= 3 && buf[i] === 85 && buf[i + 1] === 83 && buf[i + 2] === 68) i += 3; // USD
  let dollars = 0;
  let digits = 0;
  let fraction = -1;
  let cents = 0;
  let roundUp = false;
  for (; i < b; i++) {
    const ch = buf[i]!;
    if (ch >= 48 && ch <= 57) {
      const d = ch - 48;
      if (fraction === -1) {
        dollars = dollars * 10 + d;
        digits++;
      } else {
        if (fraction === 0) cents += d * 10;
        else if (fraction === 1) cents += d;
        else if (fraction === 2) roundUp = d >= 5;
        fraction++;
      }
    } else if (ch === 46) {
      if (fraction !== -1) return NaN;
      fraction = 0;
    } else if ((ch === 44 || ch === 36 || ch === 32) && fraction === -1) {
      continue;
    } else return NaN;
  }
  if (digits === 0 && fraction <= 0) return NaN;
  const total = dollars * 100 + cents + (roundUp ? 1 : 0);
  return Number.isSafeInteger(total) ? total : NaN;
}

/** parseBoolean's exact words (Y N 1 0 yes no true false): 1 true, 0 false, -1 any other spelling. */
export function booleanOf(buf: Buffer, a: number, b: number): number {
  const n = b - a;
  const x = buf[a]!;
  if (n === 1) return x === 89 || x === 49 ? 1 : x === 78 || x === 48 ? 0 : -1;
  if (n === 2) return x === 110 && buf[a + 1] === 111 ? 0 : -1;
  if (n === 3) return x === 121 && buf[a + 1] === 101 && buf[a + 2] === 115 ? 1 : -1;
  if (n === 4) return x === 116 && buf[a + 1] === 114 && buf[a + 2] === 117 && buf[a + 3] === 101 ? 1 : -1;
  if (n === 5)
    return x === 102 && buf[a + 1] === 97 && buf[a + 2] === 108 && buf[a + 3] === 115 && buf[a + 4] === 101 ? 0 : -1;
  return -1;
}

/** 405-555-0123: parsePhone's fast path (written as +1 and the ten digits). */
export function isPlainPhone(buf: Buffer, a: number, b: number): boolean {
  if (b - a !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const ch = buf[a + i]!;
    if (i === 3 || i === 7 ? ch !== 45 : ch < 48 || ch > 57) return false;
  }
  return true;
}

/** parseEmail's pattern, /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/, over printable ASCII. */
export function isPlainEmail(buf: Buffer, a: number, b: number): boolean {
  let at = -1;
  for (let i = a; i < b; i++) {
    const ch = buf[i]!;
    if (ch === 32 || ch === 44 || ch === 59) return false;
    if (ch === 64) {
      if (at !== -1) return false;
      at = i;
    }
  }
  if (at <= a) return false;
  // a dot in the domain with at least one character on each side
  for (let i = at + 2; i < b - 1; i++) if (buf[i] === 46) return true;
  return false;
}

/** A 2-letter state code in capitals, as toStateCode returns it unchanged. */
export function isStateCode(buf: Buffer, a: number, b: number): boolean {
  if (b - a !== 2) return false;
  const x = buf[a]! - 65;
  const y = buf[a + 1]! - 65;
  return x >= 0 && x < 26 && y >= 0 && y < 26 && STATE_TABLE[x * 26 + y] === 1;
}

/** Five digits, as parseZip returns them unchanged. */
export function isZip5(buf: Buffer, a: number, b: number): boolean {
  if (b - a !== 5) return false;
  for (let i = a; i < b; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
  return true;
}

/** No leading or trailing byte at or below a space (the string lane would trim it). */
export function isTrimmed(buf: Buffer, a: number, b: number): boolean {
  return a === b || (buf[a]! > 32 && buf[b - 1]! > 32);
}

/** Two spaces in a row (the string lane would collapse them). */
export function hasDoubleSpace(buf: Buffer, a: number, b: number): boolean {
  for (let i = a + 1; i < b; i++) if (buf[i] === 32 && buf[i - 1] === 32) return true;
  return false;
}

/** An attribute value JSON.stringify writes as it is: trimmed, no backslash (quotes never reach the byte lane). */
export function isJsonSafe(buf: Buffer, a: number, b: number): boolean {
  if (!isTrimmed(buf, a, b)) return false;
  for (let i = a; i < b; i++) if (buf[i] === 92) return false;
  return true;
}

/** buf.copy, without its argument checks (which cost more than the copy for a cell's few bytes). */
export function copyBytes(src: Buffer, from: number, n: number, dst: Buffer, at: number): void {
  if (n > 64) {
    src.copy(dst, at, from, from + n);
    return;
  }
  for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}
