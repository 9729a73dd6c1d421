import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImportErrorCode, RowErrorCode } from '../../lib/csv/errors.ts';
import { enc, runImport } from './import-test-helpers.ts';
import type { PropertyImportOptions } from './property-import.ts';

const dir = fileURLToPath(new URL('../../../test/fixtures/bad-imports/', import.meta.url));

interface FileCase {
  file: string;
  code: ImportErrorCode;
  row?: number;
  column?: string;
  options?: PropertyImportOptions;
}
interface RowCase {
  file: string;
  errors: { code: RowErrorCode; row: number; column: string }[];
}

const fileErrors: FileCase[] = [
  { file: '01-empty.csv', code: 'EMPTY_FILE' },
  { file: '02-blank-lines.csv', code: 'EMPTY_FILE' },
  { file: '03-header-only.csv', code: 'HEADER_ONLY', row: 1 },
  { file: '29-header-and-empty-rows.csv', code: 'HEADER_ONLY', row: 1 },
  { file: '04-missing-address-column.csv', code: 'MISSING_REQUIRED_COLUMN', row: 1, column: 'address_line' },
  { file: '05-missing-zip-and-city.csv', code: 'MISSING_REQUIRED_COLUMN', row: 1, column: 'zip' },
  { file: '09-unterminated-quote.csv', code: 'UNTERMINATED_QUOTE', row: 3 },
  { file: '10-binary-garbage.bin', code: 'BINARY_FILE', row: 1 },
  { file: '11-mixed-delimiters.csv', code: 'MIXED_DELIMITERS', row: 3 },
  { file: '12-invalid-utf8.csv', code: 'INVALID_UTF8', row: 3, column: 'city' },
  { file: '13-field-count.csv', code: 'FIELD_COUNT', row: 4 },
  {
    file: '14-mapping-missing-column.csv',
    code: 'MAPPING_COLUMN_NOT_FOUND',
    row: 1,
    column: 'Street Address',
    options: { mapping: { address_line: 'Street Address' } },
  },
  { file: '15-duplicate-header.csv', code: 'DUPLICATE_HEADER', row: 1, column: 'City' },
  { file: '16-invalid-quote.csv', code: 'INVALID_QUOTE', row: 2 },
  { file: '17-workbook.xlsx', code: 'BINARY_FILE', row: 1 },
  { file: '18-utf16.csv', code: 'UNSUPPORTED_ENCODING', row: 1 },
  { file: '22-bad-json.jsonl', code: 'INVALID_JSON', row: 2 },
  { file: '23-jsonl-not-object.jsonl', code: 'INVALID_JSON', row: 1 },
  { file: '27-header-delimiter-tie.csv', code: 'MIXED_DELIMITERS', row: 1 },
  {
    file: '14-mapping-missing-column.csv',
    code: 'UNKNOWN_MAPPING_FIELD',
    column: 'street',
    options: { mapping: { street: 'Street' } as never },
  },
];

const rowErrors: RowCase[] = [
  { file: '06-wrong-types.csv', errors: [{ code: 'INVALID_NUMBER', row: 3, column: 'year_built' }] },
  { file: '07-latitude-200.csv', errors: [{ code: 'OUT_OF_RANGE', row: 4, column: 'latitude' }] },
  { file: '08-duplicate-rows.csv', errors: [{ code: 'DUPLICATE_ADDRESS', row: 4, column: 'address' }] },
  {
    file: '19-bad-state-zip.csv',
    errors: [
      { code: 'INVALID_STATE', row: 2, column: 'state' },
      { code: 'INVALID_ZIP', row: 2, column: 'zip' },
    ],
  },
  {
    file: '20-bad-boolean-money.csv',
    errors: [
      { code: 'INVALID_MONEY', row: 2, column: 'home_value' },
      { code: 'INVALID_BOOLEAN', row: 2, column: 'owner_occupied' },
    ],
  },
  { file: '21-incomplete-coordinates.csv', errors: [{ code: 'INCOMPLETE_COORDINATES', row: 2, column: 'longitude' }] },
  { file: '24-year-built-future.csv', errors: [{ code: 'OUT_OF_RANGE', row: 2, column: 'year_built' }] },
  { file: '25-missing-address-value.csv', errors: [{ code: 'REQUIRED', row: 3, column: 'address' }] },
  {
    file: '26-bad-phone-email.csv',
    errors: [
      { code: 'INVALID_PHONE', row: 2, column: 'phone' },
      { code: 'INVALID_EMAIL', row: 2, column: 'email' },
    ],
  },
  { file: '28-null-island.csv', errors: [{ code: 'OUT_OF_RANGE', row: 2, column: 'latitude' }] },
];

describe('bad imports corpus (apps/server/test/fixtures/bad-imports)', () => {
  for (const c of fileErrors) {
    for (const chunkSize of [undefined, 7]) {
      it(`${c.file} -> ${c.code}${chunkSize ? ' (7-byte chunks)' : ''}`, async () => {
        const out = await runImport(join(dir, c.file), {
          fileName: c.file,
          currentYear: 2025,
          ...c.options,
          ...(chunkSize ? { chunkSize } : {}),
        });
        expect(out.error?.code, out.error?.message ?? 'no error').toBe(c.code);
        if (c.row !== undefined) expect(out.error?.row).toBe(c.row);
        if (c.column !== undefined) expect(out.error?.column).toBe(c.column);
        expect(out.error?.message.length).toBeGreaterThan(10);
      });
    }
  }

  for (const c of rowErrors) {
    it(`${c.file} -> ${c.errors.map((e) => e.code).join(', ')}`, async () => {
      const out = await runImport(join(dir, c.file), { fileName: c.file, currentYear: 2025 });
      expect(out.error).toBeUndefined();
      expect(out.rowErrors.map(({ code, row, column }) => ({ code, row, column }))).toEqual(c.errors);
      for (const e of out.rowErrors) expect(e.reason.length).toBeGreaterThan(5);
    });
  }

  it('a 10 MB line -> LINE_TOO_LONG at its row, without reading it all', async () => {
    const header = 'address,city,state,zip\n1 Main St,Moore,OK,73160\n';
    const huge = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    const chunks = [enc(header), ...Array.from({ length: 160 }, (_, i) => huge.subarray(i * 65536, (i + 1) * 65536))];
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const c of chunks) {
        pulled++;
        yield c;
      }
    }
    const { openPropertyImport } = await import('./property-import.ts');
    const imp = await openPropertyImport(source());
    await expect(async () => {
      for await (const _ of imp.batches) void _;
    }).rejects.toMatchObject({ code: 'LINE_TOO_LONG', row: 3 });
    expect(pulled).toBeLessThan(30);
  });

  it('the corpus holds at least 20 files', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).length).toBeGreaterThanOrEqual(20);
  });
});
