import { describe, expect, it } from 'vitest';
import { booleanOf, decimalOf, isPlainEmail, isPlainPhone, isStateCode, isZip5, moneyCentsOf } from './byte-cells.ts';
import { parseBoolean, parseEmail, parseMoneyCents, parseNumber, parsePhone, parseZip } from '../field-parsers.ts';
import { toStateCode } from '../us-states.ts';

/** A seeded xorshift, so a failure names a reproducible value. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Trimmed, non-empty printable-ASCII strings (what the byte lane hands a cell check) from `alphabet`. */
function values(alphabet: string, count: number, seed: number, extra: string[]): string[] {
  const next = random(seed);
  const out = [...extra];
  for (let k = 0; k < count; k++) {
    let s = '';
    const n = 1 + Math.floor(next() * 14);
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    out.push(s);
  }
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

const at = (s: string): [Buffer, number, number] => {
  const buf = Buffer.from(`#${s}#`, 'latin1');
  return [buf, 1, buf.length - 1];
};

describe('byte-cells: each byte form answers as its string twin for what it takes', () => {
  it('decimalOf and parseNumber', () => {
    const cases = values('0123456789.-e, +', 20_000, 1, [
      '-0',
      '.5',
      '5.',
      '00012',
      '1e5',
      '123456789012345',
      '1234567890123456',
      '35.123456789012345',
      '-',
      '.',
      '--1',
    ]);
    let taken = 0;
    for (const s of cases) {
      const n = decimalOf(...at(s));
      if (Number.isNaN(n)) continue;
      taken++;
      expect(Object.is(n, parseNumber(s)), s).toBe(true);
    }
    expect(taken).toBeGreaterThan(1000);
  });

  it('moneyCentsOf and parseMoneyCents (it refuses nothing the string form takes)', () => {
    const cases = values('0123456789.,$ USDk-', 20_000, 2, [
      'USD',
      'USD.',
      '$',
      '.',
      '.5',
      '5.',
      '1.999',
      '$1,000,000,000.01',
      '99999999999999999',
    ]);
    for (const s of cases) expect(Object.is(moneyCentsOf(...at(s)), parseMoneyCents(s)), s).toBe(true);
  });

  it('booleanOf and parseBoolean', () => {
    for (const s of values('YyNnTtFfRrUuEeSsOoAaLl01', 20_000, 3, [
      'Y',
      'N',
      '1',
      '0',
      'yes',
      'no',
      'true',
      'false',
      'YES',
      'True',
      't',
    ])) {
      const b = booleanOf(...at(s));
      if (b !== -1) expect(b === 1, s).toBe(parseBoolean(s));
    }
  });

  it('isPlainPhone, isPlainEmail, isStateCode and isZip5 take only what the string forms return unchanged or as written', () => {
    for (const s of values('0123456789-() x.', 20_000, 4, ['405-555-0101', '405-555-010', '405-5550-101'])) {
      if (isPlainPhone(...at(s))) expect(parsePhone(s), s).toBe(`+1${s.replace(/-/g, '')}`);
    }
    for (const s of values('aB@.,; x-', 20_000, 5, [
      'a@b.co',
      'A.Person@Example.COM',
      'a@b',
      'a@.b',
      'a@b.',
      '@b.co',
      'a@@b.co',
      'a@b..c',
    ])) {
      expect(isPlainEmail(...at(s)), s).toBe(parseEmail(s) !== null);
    }
    for (const s of values('OKTXAZokDC. ', 20_000, 6, ['OK', 'ok', 'ZZ', 'DC', 'PR', 'AA'])) {
      if (isStateCode(...at(s))) expect(toStateCode(s), s).toBe(s);
    }
    for (const s of values('0123456789- .a', 20_000, 7, ['73160', '7316', '73160-1234', '73160.0'])) {
      if (isZip5(...at(s))) expect(parseZip(s), s).toBe(s);
    }
  });
});
