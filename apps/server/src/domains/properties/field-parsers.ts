/**
 * Parsers for single cell values. Each takes trimmed, non-empty text and returns the typed value or NaN/null for
 * "not parseable"; the caller turns that into a RowError. Written for speed: no regex on the common path.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** "1,234.5", " 35.4 ", "-97.5" -> number; NaN when not a finite number. */
export function parseNumber(text: string): number {
  const fast = parsePlainDecimal(text);
  if (!Number.isNaN(fast)) return fast;
  const n = Number(text.indexOf(',') === -1 ? text : text.replace(/,/g, ''));
  return Number.isFinite(n) && text.trim() !== '' ? n : NaN;
}

/**
 * [-]digits[.digits] with at most 15 significant digits, else NaN. Exact: the mantissa and the power of ten are both
 * exact doubles, so one division rounds the same way Number() does.
 */
function parsePlainDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale === -1) scale = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const value = scale > 0 ? mantissa / POW10[scale]! : mantissa;
  return negative ? -value : value;
}

/** "$350,000", "350000.00", "350000.005", "USD 1,200" -> integer cents; NaN when malformed or negative. */
export function parseMoneyCents(text: string): number {
  let i = 0;
  const n = text.length;
  if (text.startsWith('USD')) i = 3;
  let dollars = 0;
  let digits = 0;
  let fraction = -1;
  let cents = 0;
  let roundUp = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const d = c - 48;
      if (fraction === -1) {
        dollars = dollars * 10 + d;
        digits++;
      } else {
        if (fraction === 0) cents += d * 10;
        else if (fraction === 1) cents += d;
        else if (fraction === 2) roundUp = d >= 5;
        fraction++;
      }
    } else if (c === 46 /* . */) {
      if (fraction !== -1) return NaN;
      fraction = 0;
    } else if ((c === 44 /* , */ || c === 36 /* $ */ || c === 32) && fraction === -1) {
      continue;
    } else return NaN;
  }
  if (digits === 0 && fraction <= 0) return NaN;
  const total = dollars * 100 + cents + (roundUp ? 1 : 0);
  return Number.isSafeInteger(total) ? total : NaN;
}

/** true/false/yes/no/y/n/1/0/t/f (any case) -> boolean; null when not a boolean word. */
export function parseBoolean(text: string): boolean | null {
  switch (text) {
    case 'Y':
    case 'true':
    case 'yes':
    case '1':
      return true;
    case 'N':
    case 'false':
    case 'no':
    case '0':
      return false;
  }
  switch (text.length <= 5 ? text.toLowerCase() : '') {
    case 'true':
    case 't':
    case 'yes':
    case 'y':
    case '1':
      return true;
    case 'false':
    case 'f':
    case 'no':
    case 'n':
    case '0':
      return false;
    default:
      return null;
  }
}

/** "73160", "73160-1234", "731601234", "2134" (Excel dropped the leading zero) -> "73160" / "73160-1234"; null if bad. */
export function parseZip(text: string): string | null {
  const t = text.length === 5 ? text : text.replace(/\s+/g, '');
  if (t.length === 5 && allDigits(t, 0, 5)) return t;
  if (t.length === 10 && t.charCodeAt(5) === 45 && allDigits(t, 0, 5) && allDigits(t, 6, 10)) return t;
  if (t.length === 9 && allDigits(t, 0, 9)) return `${t.slice(0, 5)}-${t.slice(5)}`;
  if (t.length === 4 && allDigits(t, 0, 4)) return `0${t}`;
  if (t.length === 7 && t.endsWith('.0') && allDigits(t, 0, 5)) return t.slice(0, 5);
  return null;
}

/** US phone -> E.164 "+14055550123"; null unless it holds 10 digits (or 11 starting with 1), extension dropped. */
export function parsePhone(text: string): string | null {
  // fast path for the most common spelling, 405-555-0123
  if (text.length === 12 && text.charCodeAt(3) === 45 && text.charCodeAt(7) === 45) {
    const d = text.slice(0, 3) + text.slice(4, 7) + text.slice(8);
    if (allDigits(d, 0, 10)) return `+1${d}`;
  }
  let digits = '';
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      count++;
      if (count > 11) return null;
    } else if (c === 120 || c === 88 || c === 101 || c === 69) {
      // "x123" / "ext 123": an extension ends the number
      if (count >= 10) break;
      return null;
    }
  }
  if (count !== 10 && count !== 11) return null;
  for (let i = 0; i < text.length && digits.length < count; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += text[i];
  }
  if (count === 10) return `+1${digits}`;
  return digits.charCodeAt(0) === 49 ? `+${digits}` : null;
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Lower-cased address, or null when it does not look like one. */
export function parseEmail(text: string): string | null {
  return EMAIL.test(text) ? (/[A-Z]/.test(text) ? text.toLowerCase() : text) : null;
}

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
