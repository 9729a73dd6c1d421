import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeTwoArms, type ArmCounts } from './analyze.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const HILLSTROM = `${DATA}hillstrom.csv`;

/**
 * Sums visit and spend per arm. history_segment is sometimes quoted with a comma inside ("6) $750 - $1,000"),
 * so we read the last four fields (segment, visit, conversion, spend), which never contain commas.
 */
function hillstromArms(): Map<string, ArmCounts & { valueSum: number; valueSumSq: number }> {
  const lines = readFileSync(HILLSTROM, 'utf8').split('\n');
  const arms = new Map<string, ArmCounts & { valueSum: number; valueSumSq: number }>();
  for (let i = 1; i < lines.length; i++) {
    const fields = (lines[i] ?? '').trim().split(',');
    if (fields.length < 12) continue;
    const k = fields.length;
    const segment = fields[k - 4] ?? '';
    const visit = Number(fields[k - 3]);
    const spend = Number(fields[k - 1]);
    const arm = arms.get(segment) ?? { n: 0, conversions: 0, valueSum: 0, valueSumSq: 0 };
    arm.n += 1;
    arm.conversions += visit;
    arm.valueSum += spend;
    arm.valueSumSq += spend * spend;
    arms.set(segment, arm);
  }
  return arms;
}

describe.skipIf(!DATA)(
  'analyzeTwoArms on Hillstrom (Womens E-Mail vs No E-Mail, outcome = visit, value = spend)',
  () => {
    // Without the data the suite is skipped; placeholder arms keep its collection from failing.
    const placeholder = { n: 2, conversions: 1, valueSum: 0, valueSumSq: 0 };
    const arms = DATA
      ? hillstromArms()
      : new Map([
          ['Womens E-Mail', placeholder],
          ['No E-Mail', placeholder],
        ]);
    const treat = arms.get('Womens E-Mail');
    const control = arms.get('No E-Mail');
    if (!treat || !control) throw new Error('Hillstrom arms not found');
    const result = analyzeTwoArms(treat, control);

    it('reads the published arm sizes and deterministic counts', () => {
      // data/README.md: arm sizes 21,307 / 21,387 / 21,306 (Mens / Womens / No E-Mail). Counts computed with
      // Python's csv module over the same file: visits 3238 and 2262; spend sums 23038.11 and 13908.33.
      expect(arms.get('Mens E-Mail')?.n).toBe(21307);
      expect(result.treat).toEqual({ n: 21387, conversions: 3238, rate: 3238 / 21387 });
      expect(result.control).toEqual({ n: 21306, conversions: 2262, rate: 2262 / 21306 });
      expect(treat.valueSum).toBeCloseTo(23038.11, 6);
      expect(control.valueSum).toBeCloseTo(13908.33, 6);
    });

    it('matches the published rates (15.14% vs 10.62%, lift 4.52 points; spend $1.077 vs $0.653)', () => {
      // Published MineThatData figures, to the precision they are quoted:
      expect(result.treat.rate).toBeCloseTo(0.1514, 4);
      expect(result.control.rate).toBeCloseTo(0.1062, 4);
      expect(result.lift.absolute).toBeCloseTo(0.0452, 4);
      expect(result.value?.treat_mean).toBeCloseTo(1.077, 3);
      expect(result.value?.control_mean).toBeCloseTo(0.653, 3);
      // Exact ratios of the counts above:
      expect(result.treat.rate).toBeCloseTo(0.151400383410483, 12);
      expect(result.control.rate).toBeCloseTo(0.10616727682343002, 12);
      expect(result.lift.absolute).toBeCloseTo(0.045233106587052985, 12);
      expect(result.lift.relative).toBeCloseTo(0.151400383410483 / 0.10616727682343002 - 1, 12);
      expect(result.value?.treat_mean).toBeCloseTo(1.0772015710478329, 10);
      expect(result.value?.control_mean).toBeCloseTo(0.6527893551112363, 10);
    });

    it('matches scipy for the intervals and tests', () => {
      // Newcombe method 10 from scipy 1.17.1 Wilson limits: (0.03889409535998814, 0.05157434296221361)
      expect(result.lift.absolute_ci[0]).toBeCloseTo(0.03889409535998814, 10);
      expect(result.lift.absolute_ci[1]).toBeCloseTo(0.05157434296221361, 10);
      // scipy chi2_contingency(correction=False) p = 3.1824031593347586e-44
      expect(Math.abs(result.lift.p_value / 3.1824031593347586e-44 - 1)).toBeLessThan(1e-9);
      // scipy ttest_ind_from_stats(..., equal_var=False): p 0.0011293971023632525; df 40064.88440653067;
      // CI from scipy.stats.t.ppf(0.975, df): (0.16895678988377866, 0.6798676419894145)
      expect(result.value?.diff).toBeCloseTo(0.4244122159365966, 10);
      expect(result.value?.p_value).toBeCloseTo(0.0011293971023632525, 10);
      expect(result.value?.diff_ci[0]).toBeCloseTo(0.16895678988377866, 8);
      expect(result.value?.diff_ci[1]).toBeCloseTo(0.6798676419894145, 8);
    });

    it('does not flag SRM against an even split (scipy chisquare p = 0.6950444648439206)', () => {
      expect(result.srm).toEqual({
        p_value: expect.closeTo(0.6950444648439206, 10) as number,
        flagged: false,
        expected_control_share: 0.5,
      });
    });

    it('serializes to the documented JSON shape', () => {
      const json = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(['treat', 'control', 'lift', 'srm', 'value']);
      expect(Object.keys(json['lift'] as object)).toEqual([
        'absolute',
        'absolute_ci',
        'relative',
        'relative_ci',
        'p_value',
      ]);
    });
  },
);

describe('analyzeTwoArms edge cases', () => {
  it('omits value when sums are absent and relative lift when control has no conversions', () => {
    const r = analyzeTwoArms({ n: 40, conversions: 3 }, { n: 10, conversions: 0 }, { controlShare: 0.2 });
    expect(r.value).toBeUndefined();
    expect(r.lift.relative).toBeNull();
    expect(r.lift.relative_ci).toBeNull();
    expect(r.srm.flagged).toBe(false);
    expect(r.srm.expected_control_share).toBe(0.2);
  });

  it('honours alpha', () => {
    const wide = analyzeTwoArms({ n: 500, conversions: 80 }, { n: 500, conversions: 60 }, { alpha: 0.01 });
    const narrow = analyzeTwoArms({ n: 500, conversions: 80 }, { n: 500, conversions: 60 });
    expect(wide.lift.absolute_ci[0]).toBeLessThan(narrow.lift.absolute_ci[0]);
    expect(wide.lift.p_value).toBe(narrow.lift.p_value);
  });

  it('validates inputs with named RangeErrors', () => {
    expect(() => analyzeTwoArms({ n: 5, conversions: 6 }, { n: 5, conversions: 1 })).toThrow(/treat.conversions/);
    expect(() => analyzeTwoArms({ n: -1, conversions: 0 }, { n: 5, conversions: 1 })).toThrow(/treat.n/);
    expect(() => analyzeTwoArms({ n: 5, conversions: 1 }, { n: 0, conversions: 0 })).toThrow(/control.n/);
    expect(() => analyzeTwoArms({ n: 5, conversions: 1 }, { n: 5, conversions: 1 }, { alpha: 1 })).toThrow(/alpha/);
    expect(() => analyzeTwoArms({ n: 5, conversions: 1, valueSum: 3 }, { n: 5, conversions: 1 })).toThrow(/valueSumSq/);
    expect(() =>
      analyzeTwoArms({ n: 5, conversions: 1 }, { n: 1, conversions: 1, valueSum: 3, valueSumSq: 9 }),
    ).toThrow(/control.n must be at least 2/);
  });
});
