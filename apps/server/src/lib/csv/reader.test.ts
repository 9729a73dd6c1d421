import { describe, expect, it } from 'vitest';
import { openCsv } from './reader.ts';
import { tokenizeCsv } from './tokenizer.ts';
import { chunked, enc } from '../../domains/properties/import-test-helpers.ts';
import type { RawRecord } from './tabular.ts';

async function readAll(
  bytes: Uint8Array,
  chunkSize: number,
): Promise<{ header: string[]; delimiter: string | null; rows: RawRecord[] }> {
  const src = await openCsv(chunked(bytes, chunkSize));
  const rows: RawRecord[] = [];
  for await (const batch of src.batches) rows.push(...batch);
  return { header: src.header, delimiter: src.delimiter, rows };
}

/**
 * The same file through `feed`, with a sink that takes the lines `take` picks (as their plain split) and leaves the
 * rest: every choice must give the records `batches` gives, in the same order.
 */
async function feedAll(
  bytes: Uint8Array,
  chunkSize: number,
  take: (line: string, row: number) => boolean,
): Promise<RawRecord[]> {
  const src = await openCsv(chunked(bytes, chunkSize));
  const rows: RawRecord[] = [];
  const sink = {
    line(buf: Buffer, start: number, end: number, row: number) {
      const text = buf.toString('latin1', start, end);
      // as the byte lane does: only printable ASCII without quotes, never a blank row
      if (/[^\x20-\x7e\t]|"/.test(text) || text.split(src.delimiter).every((f) => f.trim() === '') || !take(text, row))
        return false;
      rows.push({ rowNumber: row, fields: text.split(src.delimiter) });
      return true;
    },
    record(r: RawRecord) {
      rows.push(r);
    },
  };
  for await (const _ of src.feed(sink)) {
    // records arrive through the sink
  }
  return rows;
}

const TAKERS: Record<string, (line: string, row: number) => boolean> = {
  none: () => false,
  all: () => true,
  'every other': (_line, row) => row % 2 === 0,
};

async function expectFeedMatches(bytes: Uint8Array, chunkSize: number): Promise<void> {
  const { rows } = await readAll(bytes, chunkSize);
  for (const [name, take] of Object.entries(TAKERS))
    expect(await feedAll(bytes, chunkSize, take), `${name}, ${chunkSize}-byte chunks`).toEqual(rows);
}

const expected = [
  { rowNumber: 2, fields: ['123 Main St', 'Moore', '73160'] },
  { rowNumber: 3, fields: ['9 "Elm", Apt 2', 'Oklahoma City', '73109'] },
  { rowNumber: 4, fields: ['Line one\nline two', 'Norman', '73069'] },
  { rowNumber: 6, fields: ['Café Ñandú Dr', 'Edmond', '73034'] },
];

function fileWith(delimiter: string, eol: string, bom: boolean): Uint8Array {
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const lines = [
    ['address', 'city', 'zip'].join(delimiter),
    ['123 Main St', 'Moore', '73160'].join(delimiter),
    [q('9 "Elm", Apt 2'), 'Oklahoma City', '73109'].join(delimiter),
    [q('Line one\nline two'), 'Norman', '73069'].join(delimiter),
    ['Café Ñandú Dr', 'Edmond', '73034'].join(delimiter),
  ];
  return enc((bom ? '\uFEFF' : '') + lines.join(eol) + eol);
}

describe('openCsv: good-file variants', () => {
  const variants = [
    { name: 'comma LF', d: ',', eol: '\n', bom: false },
    { name: 'comma CRLF with BOM', d: ',', eol: '\r\n', bom: true },
    { name: 'semicolon (European Excel)', d: ';', eol: '\r\n', bom: true },
    { name: 'tab', d: '\t', eol: '\n', bom: false },
    { name: 'pipe', d: '|', eol: '\n', bom: false },
  ];
  for (const v of variants) {
    it(`${v.name}: detects the delimiter and reads quotes, quoted newlines and UTF-8 at every chunk size`, async () => {
      const bytes = fileWith(v.d, v.eol, v.bom);
      for (const chunk of [1, 2, 3, 5, 16, 1 << 16]) {
        const out = await readAll(bytes, chunk);
        expect(out.delimiter).toBe(v.d);
        expect(out.header).toEqual(['address', 'city', 'zip']);
        // the quoted newline keeps its own line ending; the rows after it keep their line numbers
        expect(out.rows.map((r) => ({ ...r, fields: r.fields.map((f) => f.replace(/\r\n/g, '\n')) }))).toEqual(
          expected,
        );
        await expectFeedMatches(bytes, chunk);
      }
    });
  }

  it('accepts a last record without a trailing newline, and skips blank and all-empty lines', async () => {
    await expectFeedMatches(enc('a,b\n1,2\n\n,\n3,4'), 3);
    const out = await readAll(enc('a,b\n1,2\n\n,\n3,4'), 3);
    expect(out.rows).toEqual([
      { rowNumber: 2, fields: ['1', '2'] },
      { rowNumber: 5, fields: ['3', '4'] },
    ]);
  });

  it('keeps a quote inside an unquoted field literally', async () => {
    await expectFeedMatches(enc('a,b\n12" gutters,2\n3,4\n'), 4);
    const out = await readAll(enc('a,b\n12" gutters,2\n'), 4);
    expect(out.rows[0]?.fields).toEqual(['12" gutters', '2']);
  });

  it('names blank header cells column_<n>', async () => {
    const out = await readAll(enc('address,,zip\n1 Main,x,73160\n'), 64);
    expect(out.header).toEqual(['address', 'column_2', 'zip']);
  });

  it('an explicit delimiter overrides detection', async () => {
    const src = await openCsv([enc('a;b,c\n1;2,3\n')], { delimiter: ';' });
    const rows: RawRecord[] = [];
    for await (const b of src.batches) rows.push(...b);
    expect(rows[0]?.fields).toEqual(['1', '2,3']);
  });
});

describe('openCsv: feed', () => {
  it('splits long files at every slice boundary as batches does, quoted records spanning slices included', async () => {
    const lines = ['address,city,zip'];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        i % 97 === 0
          ? `"${i} Long\nRoad, Apt ""${i}""",Moore,73160`
          : i % 89 === 0
            ? `${i} Peña St,Norman,73069`
            : `${i} Main St,Moore,73160`,
      );
      if (i % 501 === 0) lines.push('');
    }
    const bytes = enc(lines.join('\r\n'));
    for (const chunk of [7, 4093, 1 << 16]) await expectFeedMatches(bytes, chunk);
  });

  it('names a line too long, and invalid UTF-8, as batches does', async () => {
    const long = enc(`a,b\n1,2\n${'x'.repeat(3000)},3\n`);
    const bad = Buffer.concat([enc('a,b\n1,2\n3,'), Buffer.from([0xc3, 0x28]), enc('\n')]);
    for (const bytes of [long, bad]) {
      for (const chunk of [5, 1 << 16]) {
        const read = async (viaFeed: boolean): Promise<unknown> => {
          try {
            const src = await openCsv(chunked(bytes, chunk), { maxRecordChars: 1000 });
            const sink = {
              line: (buf: Buffer, a: number, b: number) => !buf.subarray(a, b).some((c) => c > 126),
              record: () => {},
            };
            if (viaFeed) for await (const _ of src.feed(sink)) continue;
            else for await (const _ of src.batches) continue;
            return undefined;
          } catch (e) {
            return e;
          }
        };
        const [batches, feed] = [await read(false), await read(true)];
        expect(feed).toBeInstanceOf(Error);
        expect({ ...(feed as object), message: (feed as Error).message }, `${chunk}-byte chunks`).toEqual({
          ...(batches as object),
          message: (batches as Error).message,
        });
      }
    }
  });
});

describe('tokenizeCsv', () => {
  it('handles "" escapes, empty quoted fields and CRLF inside quotes', () => {
    expect(tokenizeCsv('a,"",""""\r\n"x\r\ny",2,3').map((r) => r.fields)).toEqual([
      ['a', '', '"'],
      ['x\r\ny', '2', '3'],
    ]);
  });
});
