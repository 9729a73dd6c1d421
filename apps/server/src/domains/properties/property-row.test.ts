import { describe, expect, it } from 'vitest';
import { resolveMapping } from './column-mapping.ts';
import { parseBoolean, parseMoneyCents, parsePhone, parseZip } from './field-parsers.ts';
import type { RowError } from '../../lib/csv/errors.ts';
import { validatePropertyRow } from './property-row.ts';
import { toRoofMaterial } from './roof-material.ts';
import { toStateCode } from './us-states.ts';

const header = [
  'address',
  'city',
  'state',
  'zip',
  'lat',
  'lon',
  'year_built',
  'roof_age',
  'roof_material',
  'home_value',
  'sqft',
  'owner_occupied',
  'prior_customer',
  'phone',
  'email',
  'parcel_id',
  'notes',
];
const mapping = resolveMapping(header);
const ctx = { currentYear: 2025 };

describe('validatePropertyRow', () => {
  it('builds a typed PropertyInput with a dedupe key and attributes', () => {
    const errors: RowError[] = [];
    const p = validatePropertyRow(
      [
        ' 1200 S.W. 89th Street ',
        'Oklahoma City',
        'ok',
        '73159-1234',
        '35.3811',
        '-97.5502',
        '1984',
        '12',
        'Architectural Shingles',
        '$185,000.50',
        '1,850',
        'Yes',
        'n',
        '(405) 555-0123',
        'Pat@Example.com',
        'P-77',
        'corner lot',
      ],
      2,
      mapping,
      errors,
      ctx,
    );
    expect(errors).toEqual([]);
    expect(p).toMatchObject({
      row: 2,
      address_line: '1200 S.W. 89th Street',
      city: 'Oklahoma City',
      state: 'OK',
      zip: '73159-1234',
      lat: 35.3811,
      lon: -97.5502,
      year_built: 1984,
      roof_age_years: 12,
      roof_material: 'asphalt_shingle',
      home_value_cents: 18_500_050,
      square_feet: 1850,
      owner_occupied: true,
      prior_customer: false,
      phone: '+14055550123',
      email: 'pat@example.com',
      external_id: 'P-77',
      attributes: { notes: 'corner lot' },
      address_normalized: '1200 SW 89TH ST',
      address_key: '1200 SW 89TH ST|73159',
    });
  });

  it('reports every problem of a row with its column and value', () => {
    const errors: RowError[] = [];
    const p = validatePropertyRow(
      [
        '',
        'Moore',
        'Oklahoma',
        '7316',
        '95',
        '-97.5',
        '1799',
        '-1',
        'metal',
        '-5',
        '12',
        'maybe',
        'x',
        '12',
        'nope',
        '',
        '',
      ],
      9,
      mapping,
      errors,
      ctx,
    );
    expect(p).toBeNull();
    expect(errors.map((e) => [e.code, e.column, e.value])).toEqual([
      ['REQUIRED', 'address', ''],
      ['OUT_OF_RANGE', 'lat', '95'],
      ['OUT_OF_RANGE', 'year_built', '1799'],
      ['OUT_OF_RANGE', 'roof_age', '-1'],
      ['INVALID_MONEY', 'home_value', '-5'],
      ['OUT_OF_RANGE', 'sqft', '12'],
      ['INVALID_BOOLEAN', 'owner_occupied', 'maybe'],
      ['INVALID_BOOLEAN', 'prior_customer', 'x'],
      ['INVALID_PHONE', 'phone', '12'],
      ['INVALID_EMAIL', 'email', 'nope'],
    ]);
    expect(errors.every((e) => e.row === 9)).toBe(true);
  });

  it('needs a zip or city + state in each row', () => {
    const m = resolveMapping(['address', 'city', 'state', 'zip']);
    const errors: RowError[] = [];
    expect(validatePropertyRow(['1 Main St', 'Moore', '', ''], 3, m, errors, ctx)).toBeNull();
    expect(errors[0]).toMatchObject({ code: 'REQUIRED', column: 'zip' });
    expect(validatePropertyRow(['1 Main St', 'Moore', 'OK', ''], 4, m, [], ctx)?.address_key).toBe(
      '1 MAIN ST|MOORE|OK',
    );
  });
});

describe('field parsers', () => {
  it('money to integer cents', () => {
    expect(parseMoneyCents('$350,000')).toBe(35_000_000);
    expect(parseMoneyCents('350000.00')).toBe(35_000_000);
    expect(parseMoneyCents('350000.5')).toBe(35_000_050);
    expect(parseMoneyCents('0.015')).toBe(2);
    expect(parseMoneyCents('USD 1,200')).toBe(120_000);
    expect(parseMoneyCents('1.2.3')).toBeNaN();
    expect(parseMoneyCents('$')).toBeNaN();
    expect(parseMoneyCents('-5')).toBeNaN();
  });
  it('booleans', () => {
    for (const t of ['true', 'TRUE', 'yes', 'Y', '1', 't']) expect(parseBoolean(t)).toBe(true);
    for (const f of ['false', 'No', 'n', '0', 'F']) expect(parseBoolean(f)).toBe(false);
    expect(parseBoolean('maybe')).toBeNull();
  });
  it('zips', () => {
    expect(parseZip('73160')).toBe('73160');
    expect(parseZip('731601234')).toBe('73160-1234');
    expect(parseZip('73160-1234')).toBe('73160-1234');
    expect(parseZip('2134')).toBe('02134');
    expect(parseZip('7316')).toBe('07316');
    expect(parseZip('731600')).toBeNull();
    expect(parseZip('ABCDE')).toBeNull();
  });
  it('phones', () => {
    expect(parsePhone('405.555.0123')).toBe('+14055550123');
    expect(parsePhone('1 (405) 555-0123')).toBe('+14055550123');
    expect(parsePhone('405-555-0123 x12')).toBe('+14055550123');
    expect(parsePhone('555-0123')).toBeNull();
  });
  it('states and roof materials', () => {
    expect(toStateCode('oklahoma')).toBe('OK');
    expect(toStateCode(' tx ')).toBe('TX');
    expect(toStateCode('XX')).toBeNull();
    expect(toRoofMaterial('3-tab composition')).toBe('asphalt_shingle');
    expect(toRoofMaterial('Standing seam metal')).toBe('metal');
    expect(toRoofMaterial('Concrete Tile')).toBe('tile');
    expect(toRoofMaterial('cedar shakes')).toBe('wood_shake');
    expect(toRoofMaterial('TPO')).toBe('flat_membrane');
    expect(toRoofMaterial('slate')).toBe('slate');
    expect(toRoofMaterial('flat_membrane')).toBe('flat_membrane');
    expect(toRoofMaterial('thatch')).toBe('other');
  });
});
