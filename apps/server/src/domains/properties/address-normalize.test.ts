import { describe, expect, it } from 'vitest';
import {
  addressKey,
  addressKeyFromNormalized,
  normalizeAddressLine,
  normalizedLineOfKey,
} from './address-normalize.ts';

describe('normalizeAddressLine', () => {
  const collide: string[][] = [
    [
      '123 North Main Street, Apt. 4-B',
      '123 n main st #4b',
      '123 N. Main St. Unit 4B',
      '123 N MAIN ST APT #4-B',
      '123  North  MAIN st  suite 4b',
      '123 N Main Str # 4B',
    ],
    ['1200 SW 89th Street', '1200 S.W. 89 St', '1200 Southwest 89th St.', '1200 sw 89TH ST'],
    ['500 First Avenue', '500 1st Ave', '500 FIRST AV', '500 1st Avenue'],
    ['42 Country Club Boulevard', '42 Country Club Blvd.', '42 country club boul'],
    ['9 Pecan Lane', '9 PECAN LN', '9 pecan ln.'],
    ["12 O'Brien Court", '12 OBrien Ct', '12 O’Brien Ct'],
    ['77 Saint Paul Parkway', '77 St. Paul Pkwy', '77 St Paul Pky'],
    ['300 E Fourth Terrace', '300 East 4th Ter', '300 E 4 Terrace'],
    ['8 Northeast Redbud Circle', '8 NE Redbud Cir', '8 N.E. Redbud Circle'],
  ];
  for (const group of collide) {
    it(`collides: ${group[0]}`, () => {
      const keys = new Set(group.map(normalizeAddressLine));
      expect([...keys]).toHaveLength(1);
    });
  }

  const distinct: string[][] = [
    ['123 Main St', '124 Main St'],
    ['123 Main St', '123 Main Ave'],
    ['123 N Main St', '123 S Main St'],
    ['123 Main St #4B', '123 Main St #4C'],
    ['123 Main St #4B', '123 Main St'],
    ['1200 SW 89th St', '1200 SW 98th St'],
    ['1200 SW 89th St', '1200 NW 89th St'],
    ['10 Oak Ct', '10 Oak Cir'],
    ['55 Park Ln', '55 Parks Ln'],
  ];
  for (const [a, b] of distinct) {
    it(`keeps apart: ${a} / ${b}`, () => {
      expect(normalizeAddressLine(a!)).not.toBe(normalizeAddressLine(b!));
    });
  }

  it('gives the canonical form', () => {
    expect(normalizeAddressLine('123 North Main Street, Apt. 4-B')).toBe('123 N MAIN ST #4B');
    expect(normalizeAddressLine('1200 S.W. 89 St')).toBe('1200 SW 89TH ST');
  });
});

describe('addressKey', () => {
  it('uses zip5 when there is a zip (zip+4 and city spelling do not matter)', () => {
    expect(addressKey('1 Main Street', '73160-1234', 'Moore', 'OK')).toBe(
      addressKey('1 main st', '73160', 'MOORE CITY', null),
    );
    expect(addressKey('1 Main St', '73160', null, null)).not.toBe(addressKey('1 Main St', '73165', null, null));
  });
  it('uses city + state without a zip', () => {
    expect(addressKey('1 Main St', null, 'Oklahoma  City', 'ok')).toBe(
      addressKey('1 MAIN STREET', null, 'oklahoma city', 'OK'),
    );
    expect(addressKey('1 Main St', null, 'Moore', 'OK')).not.toBe(addressKey('1 Main St', null, 'Norman', 'OK'));
  });
});

describe('normalizedLineOfKey', () => {
  it('gives back the line a key was made from, with a ZIP or with a city and state', () => {
    const cases: [string, string | null, string | null, string | null][] = [
      ['123 N MAIN ST #4B', '73160', null, null],
      ['123 N MAIN ST', '73160-1234', 'Moore', 'OK'],
      ['9 PEÑA|X RD', null, 'Saint Louis', 'MO'],
      ['1 ELM', null, null, null],
      ['', null, 'Tulsa', 'OK'],
    ];
    for (const [line, zip, city, state] of cases) {
      expect(normalizedLineOfKey(addressKeyFromNormalized(line, zip, city, state), zip)).toBe(line);
    }
    expect(normalizedLineOfKey('k12', '73160')).toBe('k12');
    expect(normalizedLineOfKey('k12', null)).toBe('k12');
    expect(normalizedLineOfKey('|', null)).toBe('|');
  });
});
