import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { analyzeCsvFile, analyzeCsvStream } from './analyze.service.ts';
import type { AnalyzeInput } from './analyze.schema.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const HILLSTROM = `${DATA}hillstrom.csv`;
const WOMENS = { arm_col: 'segment', treat: 'Womens E-Mail', control: 'No E-Mail', outcome: 'visit' };

const bytes = (text: string) => [new TextEncoder().encode(text)];
const analyzeText = (text: string, input: Partial<AnalyzeInput> = {}) =>
  analyzeCsvStream(null, bytes(text), {
    arm_col: 'arm',
    treat: 'T',
    control: 'C',
    outcome: 'y',
    file_name: 'test.csv',
    ...input,
  });

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe.skipIf(!DATA)('analyze: the Hillstrom experiment', () => {
  it('Womens E-Mail vs No E-Mail visits: published counts, lift and Welch on spend', async () => {
    const r = await analyzeCsvFile(null, HILLSTROM, { ...WOMENS, value: 'spend' });
    expect([r.treat.n, r.control.n, r.treat.conversions, r.control.conversions]).toEqual([21387, 21306, 3238, 2262]);
    expect(r.lift.absolute).toBeCloseTo(0.0452331066, 9);
    expect(r.lift.p_value).toBeCloseTo(3.1824e-44, 47);
    expect(r.srm.flagged).toBe(false);
    expect(r.ignored_rows).toBe(21307);
    expect(r.ignored_arm_values).toEqual({ 'Mens E-Mail': 21307 });
    // scipy 1.17.1: stats.ttest_ind(womens_spend, no_email_spend, equal_var=False)
    expect(r.value!.treat_mean).toBeCloseTo(1.077201571, 9);
    expect(r.value!.control_mean).toBeCloseTo(0.6527893551, 9);
    expect(r.value!.p_value).toBeCloseTo(0.0011293971, 9);
    expect(r.value!.diff_ci[0]).toBeCloseTo(0.1689567899, 8);
    expect(r.value!.diff_ci[1]).toBeCloseTo(0.679867642, 8);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['treat', 'control', 'lift', 'srm', 'value']));
  });

  it('lift by segment (zip_code): counts, z-test p-values and Holm-adjusted p-values as scipy gives them', async () => {
    const r = await analyzeCsvFile(null, HILLSTROM, { ...WOMENS, by: 'zip_code' });
    expect(r.segment_rule).toEqual({ by: 'zip_code', min_per_arm: 30 });
    expect(
      r.segments!.map((s) => [s.value, s.treat.n, s.treat.conversions, s.control.n, s.control.conversions]),
    ).toEqual([
      ['Rural', 3181, 581, 3139, 482],
      ['Surburban', 9650, 1427, 9625, 953],
      ['Urban', 8556, 1230, 8542, 827],
    ]);
    // scipy 1.17.1: 2 * stats.norm.sf(|z|) of the pooled two-proportion z, then Holm's step-down by hand.
    const [rural, suburban, urban] = r.segments!.map((s) => s.lift!);
    expect(rural!.p_value).toBeCloseTo(0.0019892020093237083, 15);
    expect(rural!.p_value_adjusted).toBeCloseTo(0.0019892020093237083, 15);
    expect(suburban!.p_value_adjusted / 1.8993593412429482e-24).toBeCloseTo(1, 9);
    expect(urban!.p_value_adjusted / 7.8824260149869e-21).toBeCloseTo(1, 9);
    expect(rural!.absolute).toBeCloseTo(581 / 3181 - 482 / 3139, 12);
    // The segments add up to the whole.
    expect(r.segments!.reduce((n, s) => n + s.treat.n + s.control.n, 0)).toBe(r.treat.n + r.control.n);
  });

  it('segments below the minimum size are listed without a lift, and an id-like column is refused', async () => {
    const rows = ['arm,y,grp'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 2 ? 'T' : 'C'},${i % 3 === 0 ? 1 : 0},${i < 180 ? 'big' : 'small'}`);
    const r = await analyzeText(rows.join('\n'), { by: 'grp' });
    expect(r.segments!.find((s) => s.value === 'small')).toMatchObject({ treat: { n: 10 }, lift: null });
    expect(r.segments!.find((s) => s.value === 'big')!.lift).not.toBeNull();
    const ids = ['arm,y,id', ...Array.from({ length: 300 }, (_, i) => `${i % 2 ? 'T' : 'C'},0,${i}`)];
    const e = await failure(analyzeText(ids.join('\n'), { by: 'id' }));
    expect(e.message).toContain('more than 200 distinct values');
  });
});

describe('analyze: reading', () => {
  it('BOM, CRLF, semicolons, quoted arm values, and 0/1 true/false yes/no outcomes', async () => {
    const csv = '\uFEFFarm;y;v\r\n"T";true;10\r\n"T";yes;5\r\n T ;0;0\r\n"C";no;0\r\nC;1.0;2.5\r\nC;FALSE;0\r\n';
    const r = await analyzeText(csv, { value: 'v' });
    expect(r.treat).toEqual({ n: 3, conversions: 2, rate: 2 / 3 });
    expect(r.control).toEqual({ n: 3, conversions: 1, rate: 1 / 3 });
    expect(r.value!.treat_mean).toBe(5);
    expect(r.value!.control_mean).toBeCloseTo(2.5 / 3, 12);
  });

  it('chunk boundaries anywhere (7-byte chunks, mid-field and mid-CRLF) change nothing', async () => {
    const text =
      'arm,y,v\r\n' +
      Array.from({ length: 500 }, (_, i) => `${i % 3 ? 'T' : 'C'},${i % 5 === 0 ? 1 : 0},${i}.5\r\n`).join('');
    const all = new TextEncoder().encode(text);
    const chunks = Array.from({ length: Math.ceil(all.length / 7) }, (_, i) => all.subarray(i * 7, i * 7 + 7));
    const whole = await analyzeText(text, { value: 'v' });
    const split = await analyzeCsvStream(null, chunks, {
      arm_col: 'arm',
      treat: 'T',
      control: 'C',
      outcome: 'y',
      value: 'v',
      file_name: 'test.csv',
    });
    expect(split).toEqual(whole);
    expect(whole.treat.n + whole.control.n).toBe(500);
  });

  it('column names match case-insensitively when not exact', async () => {
    const r = await analyzeText('ARM,Y\nT,1\nT,0\nC,0\nC,0\n');
    expect(r.columns).toEqual({ arm: 'ARM', outcome: 'Y', value: null });
  });
});

describe('analyze: bad input names the file, row and column', () => {
  it('a missing column lists the columns there are', async () => {
    const e = await failure(analyzeText('arm,y\nT,1\nC,0\n', { outcome: 'visit' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('test.csv: column "visit" (--outcome) not found; the columns are: arm, y');
  });

  it('an outcome that is not 0/1', async () => {
    const e = await failure(analyzeText('arm,y\nT,1\nC,2\n'));
    expect(e.message).toMatch(/^test\.csv, row 3, column "y": outcome "2" is not 0\/1/);
    expect(e.details).toMatchObject({ file: 'test.csv', row: 3, column: 'y', value: '2' });
  });

  it('a value that is not a number (thousands separators refused)', async () => {
    const e = await failure(analyzeText('arm,y,v\nT,1,10\nC,0,"1,200"\n', { value: 'v' }));
    expect(e.message).toMatch(/row 3, column "v": value "1,200" is not a number/);
    const empty = await failure(analyzeText('arm,y,v\nT,1,\nC,0,1\n', { value: 'v' }));
    expect(empty.message).toMatch(/row 2, column "v": value "" is not a number \(write 0 for units without a value\)/);
  });

  it('an arm with no rows names the values seen; rows of other arms are only counted', async () => {
    const e = await failure(analyzeText('arm,y\nT,1\nX,abc\nc,0\n'));
    expect(e.message).toMatch(/no rows with arm = "C" \(control\); values seen: "X", "c"/);
    const ok = await analyzeText('arm,y\nT,1\nT,0\nX,not-checked\nC,0\nC,1\n');
    expect(ok.ignored_rows).toBe(1);
  });

  it('structural CSV problems keep their row', async () => {
    const e = await failure(analyzeText('arm,y\nT,1\nC,0,9\n'));
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ file: 'test.csv', row: 3 });
  });

  it('a file that does not exist, and treat equal to control', async () => {
    expect((await failure(analyzeCsvFile(null, '/nonexistent/x.csv', WOMENS))).message).toMatch(
      /\/nonexistent\/x\.csv: cannot read/,
    );
    expect((await failure(analyzeText('arm,y\nT,1\n', { control: 'T' }))).message).toMatch(
      /control: treat and control must differ/,
    );
  });

  it('compares values far from zero as scipy does (values near 1e8, a difference of 0.03)', async () => {
    // scipy 1.17.1 ttest_ind(t, c, equal_var=False) on the same values: p 0.0008435339661927914.
    const phi = 0.6180339887498949;
    const frac = (x: number): number => x - Math.floor(x);
    const lines = ['arm,y,v'];
    for (let i = 1; i <= 2000; i++) {
      lines.push(`C,0,${1e8 + frac(i * phi)}`, `T,0,${1e8 + 0.03 + frac(i * phi + 0.25)}`);
    }
    const r = await analyzeText(lines.join('\n'), { value: 'v' });
    expect(r.value?.p_value).toBeCloseTo(0.0008435339661927914, 6);
    expect(r.value?.diff).toBeCloseTo(0.030500009655952454, 6);
  });

  it('value comparison needs two rows per arm', async () => {
    const e = await failure(analyzeText('arm,y,v\nT,1,1\nT,0,2\nC,0,3\n', { value: 'v' }));
    expect(e.message).toMatch(/control arm needs at least 2 rows/);
  });
});
