import { describe, expect, it } from 'vitest';
import { resolveMapping } from './column-mapping.ts';
import { COPY_ROW_FIELDS, PROPERTY_COPY_COLUMNS, PropertyFieldWriter, ROW_HEAD_BYTES } from './copy-rows.ts';
import { validatePropertyRow } from './property-row.ts';

/** Splits one binary COPY row into its fields' bytes (null for -1), past the head and the id room the packer fills. */
function fields(buf: Buffer, count: number): (Buffer | null)[] {
  expect(buf.readInt16BE(0)).toBe(COPY_ROW_FIELDS);
  expect(buf.readInt32BE(2)).toBe(16);
  const out: (Buffer | null)[] = [];
  let at = ROW_HEAD_BYTES;
  for (let i = 0; i < count; i++) {
    const n = buf.readInt32BE(at);
    at += 4;
    out.push(n === -1 ? null : buf.subarray(at, (at += n)));
  }
  expect(at).toBe(buf.length);
  return out;
}

describe('binary COPY fields of a property', () => {
  const m = resolveMapping(['address', 'city', 'state', 'zip', 'lat', 'lon', 'home value', 'owner occupied', 'notes']);

  it('writes each column in its binary form, null as -1, in PROPERTY_COPY_COLUMNS order', () => {
    const p = validatePropertyRow(
      ['1 Main St', 'Tulsa', 'OK', '74101', '36.15', '-95.99', '$999,999,999.99', 'no', 'tab\there "ü"'],
      7,
      m,
      [],
      {
        currentYear: 2025,
      },
    )!;
    const w = new PropertyFieldWriter(16); // grows as it goes
    w.write(p);
    const f = fields(w.buf.subarray(0, w.used), PROPERTY_COPY_COLUMNS.length);
    const col = (name: (typeof PROPERTY_COPY_COLUMNS)[number]) => f[PROPERTY_COPY_COLUMNS.indexOf(name)];
    expect(col('source_row')?.readInt32BE(0)).toBe(7);
    expect(col('address_line')?.toString()).toBe('1 Main St');
    expect(col('lat')?.readDoubleBE(0)).toBe(36.15);
    expect(col('lon')?.readDoubleBE(0)).toBe(-95.99);
    expect(col('home_value_cents')?.readBigInt64BE(0)).toBe(99_999_999_999n);
    expect(col('owner_occupied')).toEqual(Buffer.from([0]));
    expect(col('year_built')).toBeNull();
    expect(col('phone')).toBeNull();
    const json = col('attributes') as Buffer;
    expect(json[0]).toBe(1);
    expect(JSON.parse(json.subarray(1).toString('utf8'))).toEqual({ notes: 'tab\there "ü"' });
    expect(col('address_key')?.toString()).toBe(p.address_key);
  });

  it('writes non-ASCII and long text as UTF-8, and refuses a number its column cannot hold', () => {
    const w = new PropertyFieldWriter(8);
    const street = `${'9'.repeat(70)} Calle Peñasco ✓`;
    const p = validatePropertyRow([street, 'Española', 'NM', '87532', '', '', '', '', ''], 2, m, [], {
      currentYear: 2025,
    })!;
    w.write(p);
    const f = fields(w.buf.subarray(0, w.used), PROPERTY_COPY_COLUMNS.length);
    expect(f[1]?.toString('utf8')).toBe(street);
    expect(f[2]?.toString('utf8')).toBe('Española');
    expect(() => new PropertyFieldWriter(64).write({ ...p, square_feet: 1.5 })).toThrow('square_feet');
    expect(() => new PropertyFieldWriter(64).write({ ...p, home_value_cents: 2 ** 60 })).toThrow('home_value_cents');
  });
});
