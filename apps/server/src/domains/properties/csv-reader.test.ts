import { describe, expect, it } from 'vitest';
import { openCsv } from './csv-reader.ts';
import { tokenizeCsv } from './csv-tokenizer.ts';
import { chunked, enc } from './import-test-helpers.ts';
import type { RawRecord } from './tabular.ts';

async function readAll(bytes: Uint8Array, chunkSize: number): Promise<{ header: string[]; delimiter: string | null; rows: RawRecord[] }> {
  const src = await openCsv(chunked(bytes, chunkSize));
  const rows: RawRecord[] = [];
  for await (const batch of src.batches) rows.push(...batch);
  return { header: src.header, delimiter: src.delimiter, rows };
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
        expect(out.rows.map((r) => ({ ...r, fields: r.fields.map((f) => f.replace(/\r\n/g, '\n')) }))).toEqual(expected);
      }
    });
  }

  it('accepts a last record without a trailing newline, and skips blank and all-empty lines', async () => {
    const out = await readAll(enc('a,b\n1,2\n\n,\n3,4'), 3);
    expect(out.rows).toEqual([
      { rowNumber: 2, fields: ['1', '2'] },
      { rowNumber: 5, fields: ['3', '4'] },
    ]);
  });

  it('keeps a quote inside an unquoted field literally', async () => {
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

describe('tokenizeCsv', () => {
  it('handles "" escapes, empty quoted fields and CRLF inside quotes', () => {
    expect(tokenizeCsv('a,"",""""\r\n"x\r\ny",2,3').map((r) => r.fields)).toEqual([
      ['a', '', '"'],
      ['x\r\ny', '2', '3'],
    ]);
  });
});
