import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convectiveDay, parseSpcReports } from './spc-parser.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const read = (name: string): string => readFileSync(`${DATA}spc/${name}`, 'utf8');
const haveData = DATA !== '';

describe.skipIf(!haveData)('parseSpcReports on the real May 2013 files', () => {
  // Counts are data lines (wc -l minus the header), checked by hand against the files.
  const counts: [string, number][] = [
    ['130520_rpts_hail.csv', 99],
    ['130520_rpts_wind.csv', 145],
    ['130520_rpts_torn.csv', 18],
    ['130524_rpts_hail.csv', 36],
    ['130530_rpts_hail.csv', 19],
    ['130531_rpts_hail.csv', 75],
    ['130531_rpts_wind.csv', 100],
  ];
  for (const [file, n] of counts) {
    it(`${file}: ${n} reports, no errors, every office extracted`, () => {
      const { reports, errors } = parseSpcReports(read(file), { fileName: file });
      expect(errors).toEqual([]);
      expect(reports).toHaveLength(n);
      expect(reports.every((r) => r.office !== null && /^[A-Z]{3}$/.test(r.office))).toBe(true);
    });
  }

  it('hail: size in inches, the convective day, office and comments', () => {
    const { reports } = parseSpcReports(read('130520_rpts_hail.csv'), { fileName: '130520_rpts_hail.csv' });
    const yukon = reports.find((r) => r.location === 'YUKON')!;
    expect(yukon).toMatchObject({
      kind: 'hail',
      magnitude: 3.25,
      county: 'CANADIAN',
      state: 'OK',
      lat: 35.51,
      lon: -97.75,
      office: 'OUN',
      comments: '',
    });
    expect(yukon.occurredAt.toISOString()).toBe('2013-05-20T19:27:00.000Z');
    // 0000-1159 belongs to the next UTC date: 28 of the 99 rows
    const zephyr = reports.find((r) => r.location === '2 E ZEPHYR')!;
    expect(zephyr.occurredAt.toISOString()).toBe('2013-05-21T00:10:00.000Z');
    expect(zephyr.comments).toBe('PUBLIC REPORTED VIA FACEBOOK...GOLF BALL SIZE HAIL 2 MILES EAST OF ZEPHYR.');
    expect(reports.filter((r) => r.occurredAt.getUTCDate() === 21)).toHaveLength(28);
    expect(reports.at(-1)?.occurredAt.toISOString()).toBe('2013-05-21T03:08:00.000Z');
    expect(Math.max(...reports.map((r) => r.magnitude!))).toBe(4.25);
  });

  it('tornado: UNK scale is null, unquoted commas stay in the comment', () => {
    const { reports } = parseSpcReports(read('130520_rpts_torn.csv'), { fileName: '130520_rpts_torn.csv' });
    const newcastle = reports[0]!;
    expect(newcastle).toMatchObject({ kind: 'tornado', magnitude: null, location: 'NEWCASTLE', office: 'OUN' });
    expect(newcastle.comments).toContain('THRU NEWCASTLE,MOORE,AND SOUTH OKC.');
    expect(newcastle.occurredAt.toISOString()).toBe('2013-05-20T19:56:00.000Z');
  });

  it('wind: knots or null for UNK', () => {
    const { reports } = parseSpcReports(read('130520_rpts_wind.csv'), { fileName: '130520_rpts_wind.csv' });
    expect(reports.filter((r) => r.magnitude === null)).toHaveLength(110);
    const may31 = parseSpcReports(read('130531_rpts_wind.csv'), { fileName: '130531_rpts_wind.csv' }).reports;
    const mountAyr = may31.find((r) => r.location === 'MOUNT AYR')!;
    expect(mountAyr).toMatchObject({
      magnitude: 65,
      office: 'LOT',
      comments: 'NUMEROUS BRANCHES DOWN,POWER POLES LEANING.',
    });
  });

  it('the combined three-section YYMMDD_rpts.csv form', () => {
    const combined = read('130520_rpts_torn.csv') + read('130520_rpts_wind.csv') + read('130520_rpts_hail.csv');
    const { reports, errors } = parseSpcReports(combined, { fileName: '130520_rpts.csv' });
    expect(errors).toEqual([]);
    expect(reports.filter((r) => r.kind === 'tornado')).toHaveLength(18);
    expect(reports.filter((r) => r.kind === 'wind')).toHaveLength(145);
    expect(reports.filter((r) => r.kind === 'hail')).toHaveLength(99);
  });
});

describe('parseSpcReports: bad rows and dates', () => {
  it('names file and row of each bad row and keeps the good ones', () => {
    const text =
      'Time,Size,Location,County,State,Lat,Lon,Comments\n1900,175,A,B,OK,35,-97,(OUN)\n2500,175,A,B,OK,35,-97,(OUN)\n1900,big,A,B,OK,35,-97,(OUN)\n1900,100,A,B,OK,135,-97,(OUN)\n1900,100,A,B\n';
    const { reports, errors } = parseSpcReports(text, { date: '2013-05-20', fileName: 'x.csv' });
    expect(reports).toHaveLength(1);
    expect(errors.map((e) => [e.file, e.row, e.column])).toEqual([
      ['x.csv', 3, 'Time'],
      ['x.csv', 4, 'Size'],
      ['x.csv', 5, 'Lat'],
      ['x.csv', 6, 'Time'],
    ]);
  });

  it('takes the date from an argument or the file name, and refuses to guess', () => {
    expect(convectiveDay({ fileName: '/data/130531_rpts_hail.csv' }).toISOString()).toBe('2013-05-31T00:00:00.000Z');
    expect(convectiveDay({ date: '2024-04-26' }).toISOString()).toBe('2024-04-26T00:00:00.000Z');
    expect(() => convectiveDay({ fileName: 'hail.csv' })).toThrow(/convective day/);
    const { reports } = parseSpcReports(
      'Time,Speed,Location,County,State,Lat,Lon,Comments\n1159,65,A,B,OK,35,-97,no office\n',
      { date: '2013-12-31' },
    );
    expect(reports[0]!.occurredAt.toISOString()).toBe('2014-01-01T11:59:00.000Z');
    expect(reports[0]!.office).toBeNull();
  });
});
