import { describe, expect, it } from 'vitest';
import { runImport } from '../../domains/properties/import-test-helpers.ts';

const B = (s: string) => Buffer.from(s, 'latin1');

/**
 * Files whose chunks end where the byte path and the string path could part: runImport fails unless both give the
 * same file error, row errors and rows. Each case also states the error the file gets.
 */
const cases: { name: string; chunks: Buffer[]; maxRecordChars?: number; code: string | undefined; row?: number }[] = [
  {
    name: 'a NUL byte after the first 64 KB of one large chunk',
    chunks: [B(`address,zip\n${Array.from({ length: 7000 }, (_, i) => `${i} A,73160\n`).join('')}9 Z\0,73160\n`)],
    code: 'BINARY_FILE',
  },
  {
    name: 'a quoted record over the limit whose tail arrives in the next chunk',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), B(`"2\n${'x'.repeat(18)}`), B(' B",73160\n')],
    maxRecordChars: 20,
    code: 'LINE_TOO_LONG',
    row: 3,
  },
  {
    name: 'the same with a two-byte character (more bytes than characters)',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), Buffer.from(`é${'x'.repeat(19)}`, 'utf8'), B('x'), B('x",73160\n')],
    maxRecordChars: 20,
    code: 'LINE_TOO_LONG',
    row: 3,
  },
  {
    name: 'a bad quote in the last, unfinished line of a chunk',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), B('"2 B"x'), B('\0,73160\n')],
    code: 'INVALID_QUOTE',
    row: 3,
  },
  {
    name: 'a bad quote after a row error in the same chunk',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), B('2 B,731\n"3"x'), B(',73160\n')],
    code: 'INVALID_QUOTE',
    row: 4,
  },
  {
    name: 'invalid UTF-8 in the last, unfinished line of a chunk',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), B('2 B,731\n3 \xc3.'), B(',73160\n')],
    code: 'INVALID_UTF8',
    row: 4,
  },
  {
    name: 'a field count error before invalid UTF-8 in the same chunk',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), B('2 B\n3 C,7\xff\n')],
    code: 'INVALID_UTF8',
    row: 4,
  },
  {
    name: 'a field count error before a bad quote in the same chunk',
    chunks: [B('address,zip\n'), B('1 A,73160\n'), B('2 B\n"3"x,73160\n')],
    code: 'INVALID_QUOTE',
    row: 4,
  },
  {
    name: 'an encoded surrogate',
    chunks: [B('address,zip\n1 A,73160\n'), B('2 B,73160\n3 C,73160\n4 \xed\xa0\x80,73160\n')],
    code: 'INVALID_UTF8',
    row: 5,
  },
  {
    name: 'an overlong encoding',
    chunks: [B('address,zip\n1 A,73160\n'), B('2 B,73160\n3 C,73160\n4 \xe0\x80\xaf,73160\n')],
    code: 'INVALID_UTF8',
    row: 5,
  },
  { name: 'a field count error', chunks: [B('address,zip\n1 A,73160\n2 B\n3 C,73160\n')], code: 'FIELD_COUNT', row: 3 },
  {
    name: 'a cut two-byte character between chunks, then good lines',
    chunks: [B('address,zip\n1 \xc3'), B('\xa9 A,73160\n2 B,73160\n')],
    code: undefined,
  },
  { name: 'CRLF cut between chunks', chunks: [B('address,zip\r\n1 A,73160\r'), B('\n2 B,73160\r\n')], code: undefined },
  {
    name: 'quoted records spanning chunks between plain lines',
    chunks: [B('address,zip\n1 A,73160\n"2\n'), B('B",73160\n3 C,7316'), B('0\n"4 D","73160"\n')],
    code: undefined,
  },
];

describe('CSV byte path (csv-line-feed.ts) against the string path', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const out = await runImport(c.chunks, c.maxRecordChars === undefined ? {} : { maxRecordChars: c.maxRecordChars });
      expect(out.error?.code).toBe(c.code);
      if (c.row !== undefined) expect(out.error?.row).toBe(c.row);
    });
  }

  it('reads a quoted notes cell longer than the limit as too long, at the default limit and 64 KB chunks', async () => {
    const file = B(`address,zip,notes\n1 A,73160,x\n2 B,73160,"${'a'.repeat(200_000)}\n${'b'.repeat(1_000_000)}"\n`);
    const out = await runImport(file, { chunkSize: 65536 });
    expect(out.error?.code).toBe('LINE_TOO_LONG');
    expect(out.error?.row).toBe(3);
  });
});
