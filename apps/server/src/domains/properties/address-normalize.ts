/**
 * Address normalization for dedupe. "123 North Main Street, Apt. 4-B" and "123 n main st #4b" both become
 * "123 N MAIN ST #4B": case, spacing and punctuation folded; USPS suffixes, directionals and ordinal words
 * abbreviated; unit designators (Apt, Unit, Suite, #...) rewritten as `#<unit>` at the end; a bare number before a
 * suffix gets its ordinal ("SW 89 St" = "SW 89th St"). The key adds zip5, or city + state when there is no zip.
 */
import { SUFFIX_ABBREVIATIONS, UNIT_DESIGNATORS, WORD_ABBREVIATIONS } from './usps-abbreviations.ts';

/** Normalized street parts (the line after its house number) by raw text: streets repeat across a storm's homes. */
const streetCache = new Map<string, string>();
const STREET_CACHE_MAX = 100_000;

/** Upper-cased, abbreviated street line; '' when nothing is left. */
export function normalizeAddressLine(line: string): string {
  let i = 0;
  while (i < line.length && isDigitCode(line.charCodeAt(i))) i++;
  if (i > 0 && i < line.length - 1 && line.charCodeAt(i) === 32) {
    // "123 " + street: the same result as normalizing the whole line, with the street part memoized.
    const rest = line.slice(i + 1);
    let street = streetCache.get(rest);
    if (street === undefined) {
      street = normalizeStreet(rest);
      if (streetCache.size < STREET_CACHE_MAX) streetCache.set(rest, street);
    }
    return street === '' ? line.slice(0, i) : `${line.slice(0, i)} ${street}`;
  }
  return normalizeTokens(tokenize(line), false);
}

/**
 * The normalized form of what follows a line's house number and its space ("NW 116th Street" -> "NW 116TH ST"):
 * a line "<digits> <rest>" normalizes to "<digits> <normalizeStreet(rest)>", or to "<digits>" when that is ''.
 */
export function normalizeStreet(rest: string): string {
  return normalizeTokens(tokenize(rest), true);
}

/** `afterHouseNumber`: the tokens follow a house number (so a leading word may be a unit designator). */
function normalizeTokens(tokens: string[], afterHouseNumber: boolean): string {
  const out: string[] = [];
  let unit = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '-') continue;
    if (UNIT_DESIGNATORS.has(t) && (afterHouseNumber || out.length > 0 || t === '#')) {
      let j = i + 1;
      while (j < tokens.length && (tokens[j] === '#' || tokens[j] === '-')) j++;
      const id = tokens[j];
      if (id !== undefined && !UNIT_DESIGNATORS.has(id)) {
        unit += ` #${id.indexOf('-') === -1 ? id : id.replace(/-/g, '')}`;
        i = j;
      }
      continue;
    }
    const next = tokens[i + 1];
    if ((t === 'N' || t === 'S') && (next === 'E' || next === 'W')) {
      // "S.W." arrives as "S W"
      out.push(t + next);
      i++;
      continue;
    }
    out.push(isDigitCode(t.charCodeAt(0)) ? t : (WORD_ABBREVIATIONS.get(t) ?? t));
  }
  // A bare number before a suffix is an ordinal street ("SW 89 St"); never the first token of the line.
  for (let i = afterHouseNumber ? 0 : 1; i < out.length - 1; i++) {
    const t = out[i]!;
    if (isDigits(t) && SUFFIX_ABBREVIATIONS.has(out[i + 1]!)) out[i] = t + ordinalSuffix(t);
  }
  return unit === '' ? out.join(' ') : out.join(' ') + unit;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Upper-case words of letters, digits, '/', '&', '-'; '#' is a word of its own; apostrophes vanish. */
function tokenize(line: string): string[] {
  const s =
    line.indexOf("'") === -1 && line.indexOf('’') === -1 ? line.toUpperCase() : line.toUpperCase().replace(/['’]/g, '');
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const word = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 47 || c === 38 || c === 45;
    if (word) {
      if (start === -1) start = i;
      continue;
    }
    if (start !== -1) {
      tokens.push(s.slice(start, i));
      start = -1;
    }
    if (c === 35) tokens.push('#');
    else if (c > 127 && /\p{L}/u.test(s[i]!)) {
      // letters outside ASCII (Peña) stay part of the word
      start = i;
      while (i + 1 < s.length && !/[\s,.#]/.test(s[i + 1]!)) i++;
      tokens.push(s.slice(start, i + 1));
      start = -1;
    }
  }
  if (start !== -1) tokens.push(s.slice(start));
  return tokens;
}

/** City for keys: upper case, letters and digits, single spaces, SAINT -> ST. */
export function normalizeCity(city: string): string {
  return city
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .replace(/\bSAINT\b/g, 'ST');
}

/** Dedupe key: normalized line + zip5, or + city + state when there is no zip. */
export function addressKey(line: string, zip: string | null, city: string | null, state: string | null): string {
  const normalized = normalizeAddressLine(line);
  return addressKeyFromNormalized(normalized, zip, city, state);
}

export function addressKeyFromNormalized(
  normalized: string,
  zip: string | null,
  city: string | null,
  state: string | null,
): string {
  if (zip) return `${normalized}|${zip.slice(0, 5)}`;
  return `${normalized}|${normalizeCity(city ?? '')}|${(state ?? '').toUpperCase()}`;
}

/**
 * The normalized line a key was made from (addressKeyFromNormalized with this zip, or with none); a key not in that
 * form (written by hand) comes back whole.
 */
export function normalizedLineOfKey(key: string, zip: string | null): string {
  if (zip) return key.endsWith(`|${zip.slice(0, 5)}`) ? key.slice(0, key.length - 6) : key;
  const state = key.lastIndexOf('|');
  const city = state > 0 ? key.lastIndexOf('|', state - 1) : -1;
  return city === -1 ? key : key.slice(0, city);
}

function isDigits(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return t.length > 0;
}

function ordinalSuffix(digits: string): string {
  const n = Number(digits) % 100;
  if (n >= 11 && n <= 13) return 'TH';
  switch (n % 10) {
    case 1:
      return 'ST';
    case 2:
      return 'ND';
    case 3:
      return 'RD';
    default:
      return 'TH';
  }
}
