import { describe, expect, it } from 'vitest';
import { detectMapping, normalizeHeader, resolveMapping } from './column-mapping.ts';
import { ImportError } from '../../lib/csv/errors.ts';

describe('column mapping', () => {
  it('recognizes common headers regardless of case, spacing and punctuation', () => {
    const header = [
      'Street Address',
      'CITY',
      'St',
      'Zip Code',
      'Latitude',
      'LNG',
      'Year Built',
      'Roof Age',
      'Roof-Material',
      'Assessed Value',
      'Sq. Ft.',
      'Owner Occupied?',
      'Prior Customer',
      'Phone #',
      'E-mail',
      'Parcel ID',
      'Notes',
    ];
    expect(detectMapping(header)).toEqual({
      address_line: 'Street Address',
      city: 'CITY',
      state: 'St',
      zip: 'Zip Code',
      lat: 'Latitude',
      lon: 'LNG',
      year_built: 'Year Built',
      roof_age_years: 'Roof Age',
      roof_material: 'Roof-Material',
      home_value_cents: 'Assessed Value',
      square_feet: 'Sq. Ft.',
      owner_occupied: 'Owner Occupied?',
      prior_customer: 'Prior Customer',
      phone: 'Phone #',
      email: 'E-mail',
      external_id: 'Parcel ID',
    });
    const m = resolveMapping(header);
    expect(m.attributeColumns.map((i) => header[i])).toEqual(['Notes']);
  });

  it('normalizes header spellings', () => {
    expect(normalizeHeader(' Postal_Code ')).toBe('postalcode');
    expect(normalizeHeader('address 1')).toBe('address1');
  });

  it('an explicit mapping wins, can switch a field off, and matches headers loosely', () => {
    const header = ['Situs', 'Zip', 'Value', 'Tax Value'];
    const m = resolveMapping(header, { address_line: 'situs', home_value_cents: 'Tax Value' });
    expect(m.mapping).toEqual({ address_line: 'Situs', zip: 'Zip', home_value_cents: 'Tax Value' });
    expect(m.attributeColumns.map((i) => header[i])).toEqual(['Value']);
    const off = resolveMapping(header, { address_line: 'Situs', zip: 'Zip', home_value_cents: null });
    expect(off.index.home_value_cents).toBe(-1);
  });

  it('a column taken explicitly is not also detected for another field', () => {
    const m = resolveMapping(['address', 'zip', 'value'], { square_feet: 'value' });
    expect(m.index.home_value_cents).toBe(-1);
    expect(m.mapping.square_feet).toBe('value');
  });

  it('names the missing column of a mapping', () => {
    try {
      resolveMapping(['address', 'zip'], { city: 'Town' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).code).toBe('MAPPING_COLUMN_NOT_FOUND');
      expect((err as ImportError).column).toBe('Town');
      expect((err as ImportError).message).toContain('"Town"');
    }
  });

  it('requires an address plus a zip or city and state', () => {
    expect(() => resolveMapping(['address', 'city'])).toThrow(/state/);
    expect(() => resolveMapping(['zip'])).toThrow(/address/);
    expect(resolveMapping(['address', 'city', 'state']).index.zip).toBe(-1);
  });
});
