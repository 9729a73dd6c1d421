import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  auc,
  causalmlAuuc,
  causalmlQini,
  perfectQiniCurve,
  perfectUpliftCurve,
  qiniAucScore,
  qiniCurve,
  skliftOrder,
  upliftAtK,
  upliftAucScore,
  upliftByPercentile,
  upliftCalibration,
  upliftCurve,
  weightedAverageUplift,
} from './index.ts';

/*
 * Golden example with ties. Row:   0    1    2    3    4    5    6    7
 *                          y       1    0    1    1    0    0    1    0
 *                          t       1    1    0    1    0    1    0    0
 *                          score  .9   .5   .5   .7   .5   .2   .2   .1
 * sklift order = argsort(mergesort)[::-1]: 0.9(0) 0.7(3) 0.5(4,2,1) 0.2(6,5) 0.1(7): ties by DEScending index.
 * Sorted (y,t): (1,1)(1,1)(0,0)(1,0)(0,1)(1,0)(0,1)(0,0). Tie-group ends at positions 0,1,4,6,7:
 *   pos 0: n=1 nT=1 yT=1 nC=0 yC=0
 *   pos 1: n=2 nT=2 yT=2 nC=0 yC=0
 *   pos 4: n=5 nT=3 yT=2 nC=2 yC=1
 *   pos 6: n=7 nT=4 yT=2 nC=3 yC=2
 *   pos 7: n=8 nT=4 yT=2 nC=4 yC=2
 */
const y = [1, 0, 1, 1, 0, 0, 1, 0];
const t = [1, 1, 0, 1, 0, 1, 0, 0];
const s = [0.9, 0.5, 0.5, 0.7, 0.5, 0.2, 0.2, 0.1];

describe('sklift order', () => {
  it('reverses a stable ascending sort: ties by descending index, NaN first', () => {
    expect(Array.from(skliftOrder(s))).toEqual([0, 3, 4, 2, 1, 6, 5, 7]);
    expect(Array.from(skliftOrder([1, NaN, 2, NaN]))).toEqual([3, 1, 2, 0]);
  });
});

describe('curves (golden, ties)', () => {
  it('uplift curve = (yT/nT - yC/nC) * n', () => {
    // 1*1=1; (2/2-0)*2=2; (2/3-1/2)*5=5/6; (2/4-2/3)*7=-7/6; (2/4-2/4)*8=0; (0,0) prepended
    const c = upliftCurve(y, s, t);
    expect(Array.from(c.x)).toEqual([0, 1, 2, 5, 7, 8]);
    expect(Array.from(c.y)).toEqual([0, 1, 2, (2 / 3 - 1 / 2) * 5, (2 / 4 - 2 / 3) * 7, 0]);
  });
  it('qini curve = yT - yC * nT / nC', () => {
    // 1; 2; 2-1*3/2=0.5; 2-2*4/3=-2/3; 2-2*4/4=0
    const c = qiniCurve(y, s, t);
    expect(Array.from(c.x)).toEqual([0, 1, 2, 5, 7, 8]);
    expect(c.y[3]).toBe(0.5);
    expect(c.y[4]).toBeCloseTo(-2 / 3, 12);
  });
  it('perfect uplift curve', () => {
    // control responders (1,0)=rows 2,6 -> 2; treated non-responders (0,1)=rows 1,5 -> 2; 2>2 false, so
    // score = 2*(y==t) + t = [3,1,0,3,2,1,0,2]; order 3,0 | 7,4 | 5,1 | 6,2; ends at n=2,4,6,8:
    // (2/2)*2=2; (2/2-0/2)*4=4; (2/4-0/2)*6=3; (2/4-2/4)*8=0
    const c = perfectUpliftCurve(y, t);
    expect(Array.from(c.x)).toEqual([0, 2, 4, 6, 8]);
    expect(Array.from(c.y)).toEqual([0, 2, 4, 3, 0]);
  });
  it('perfect qini curve (negative effect)', () => {
    // score = y*t - y*(1-t) = [1,0,-1,1,0,0,-1,0]; groups 3,0 | 7,5,4,1 | 6,2; ends n=2,6,8:
    // 2-0=2; 2-0*4/2=2; 2-2*4/4=0
    const c = perfectQiniCurve(y, t);
    expect(Array.from(c.x)).toEqual([0, 2, 6, 8]);
    expect(Array.from(c.y)).toEqual([0, 2, 2, 0]);
  });
});

describe('perfect qini without negative effects', () => {
  it('is the polyline (0,0) -> (q,q) -> (n,q) with q = yT - nT * yC / nC', () => {
    // y = [1,1,0,0], t = [1,1,0,0]: yT = 2, nT = 2, yC = 0, nC = 2 -> q = 2 - 2*0/2 = 2
    const c = perfectQiniCurve([1, 1, 0, 0], [1, 1, 0, 0], false);
    expect(Array.from(c.x)).toEqual([0, 2, 4]);
    expect(Array.from(c.y)).toEqual([0, 2, 2]);
  });
});

describe('normalized areas (golden)', () => {
  it('uplift_auc_score = 16/3 / 18 = 8/27', () => {
    // auc(actual) = 1*(0+1)/2 + 1*(1+2)/2 + 3*(2+5/6)/2 + 2*(5/6-7/6)/2 + 1*(-7/6+0)/2
    //             = 0.5 + 1.5 + 4.25 - 1/3 - 7/12 = 16/3
    // auc(perfect) = 2*2/2 + 2*6/2 + 2*7/2 + 2*3/2 = 18; random line ends at (8, 0): area 0
    expect(upliftAucScore(y, s, t)).toBeCloseTo(8 / 27, 12);
    // NumPy gives 0.29629629629629634 (summation order matters in the last bits)
    expect(upliftAucScore(y, s, t)).toBe(0.29629629629629634);
  });
  it('qini_auc_score = 5.25 / 12 = 0.4375', () => {
    // auc(actual) = 0.5 + 1.5 + 3*(2+0.5)/2 + 2*(0.5-2/3)/2 + 1*(-2/3)/2 = 5.75 - 1/6 - 1/3 = 5.25
    // auc(perfect) = 2*2/2 + 4*4/2 + 2*2/2 = 12
    expect(qiniAucScore(y, s, t)).toBeCloseTo(0.4375, 12);
    expect(qiniAucScore(y, s, t)).toBe(0.43750000000000006); // NumPy's bits
  });
  it('auc is the trapezoid rule', () => {
    expect(auc([0, 1, 2], [0, 1, 1])).toBe(1.5);
  });
});

describe('uplift_at_k (golden)', () => {
  it('overall, k=0.5 -> int(8*0.5)=4 rows: (1,1)(1,1)(0,0)(1,0) -> 2/2 - 1/2 = 0.5', () => {
    // A stable DEScending sort would cut rows 0,3,1,2 instead and give 2/3 - 1/1 = -1/3.
    expect(upliftAtK(y, s, t, 'overall', 0.5)).toBe(0.5);
  });
  it('overall, k=3 rows: rows 0,3,4 -> 2/2 - 0/1 = 1', () => {
    expect(upliftAtK(y, s, t, 'overall', 3)).toBe(1);
  });
  it('by_group, k=0.5 -> 2 per arm: treated 0,3 -> 1; control 4,2 -> 0.5; uplift 0.5', () => {
    expect(upliftAtK(y, s, t, 'by_group', 0.5)).toBe(0.5);
  });
  it('rejects bad input naming the argument', () => {
    expect(() => upliftAtK(y, s, t, 'overall', 1.5)).toThrow(/k=1.5/);
    expect(() => upliftAtK(y, s, t, 'overall', 8)).toThrow(RangeError);
    expect(() => upliftAtK(y, s.slice(1), t, 'overall', 0.3)).toThrow(/uplift has length 7/);
    expect(() => upliftAtK(y, s, [1, 1, 1, 1, 1, 1, 1, 1], 'overall', 0.3)).toThrow(/both arms/);
    expect(() => upliftAtK([2, 0, 1, 1, 0, 0, 1, 0], s, t, 'overall', 0.3)).toThrow(/yTrue must be binary/);
  });
});

describe('uplift_by_percentile and weighted_average_uplift (golden)', () => {
  it('bins=2 overall: [0,3,4,2] and [1,6,5,7]', () => {
    // bin 0: treated rows 0,3 -> 2/2 = 1; control rows 4,2 -> 1/2; var_C = 0.5*0.5/2 = 0.125
    // bin 1: treated rows 1,5 -> 0/2 = 0; control rows 6,7 -> 1/2; uplift -0.5
    const tab = upliftByPercentile(y, s, t, 'overall', 2);
    expect(tab.percentile).toEqual(['0-50', '50-100']);
    expect(Array.from(tab.nTreatment)).toEqual([2, 2]);
    expect(Array.from(tab.nControl)).toEqual([2, 2]);
    expect(Array.from(tab.uplift)).toEqual([0.5, -0.5]);
    expect(Array.from(tab.stdControl)).toEqual([Math.sqrt(0.125), Math.sqrt(0.125)]);
    expect(Array.from(tab.stdTreatment)).toEqual([0, 0]);
    expect(tab.stdUplift[0]).toBeCloseTo(0.35355, 5);
  });
  it('total row: whole-sample rates, std columns summed as sklift does', () => {
    // treated rows 0,1,3,5 -> 2/4 = 0.5; control rows 2,4,6,7 -> 2/4 = 0.5; uplift 0
    const tab = upliftByPercentile(y, s, t, 'overall', 2, true);
    expect(tab.percentile).toEqual(['0-50', '50-100', 'total']);
    expect(tab.nTreatment[2]).toBe(4);
    expect(tab.uplift[2]).toBe(0);
    expect(tab.stdControl[2]).toBe(2 * Math.sqrt(0.125));
  });
  it('bins=2 by_group: treated order 0,3,1,5 and control order 4,2,6,7 are split separately', () => {
    // treated [0,3]->1, [1,5]->0; control [4,2]->0.5, [6,7]->0.5
    const tab = upliftByPercentile(y, s, t, 'by_group', 2);
    expect(Array.from(tab.uplift)).toEqual([0.5, -0.5]);
  });
  it('weighted average uplift, bins=3 (sizes 3,3,2): (2*1 + 1*(-1) + 1*0) / 4 = 0.25', () => {
    // bins [0,3,4]: T 0,3 -> 1, C 4 -> 0; [2,1,6]: T 1 -> 0, C 2,6 -> 1; [5,7]: T 5 -> 0, C 7 -> 0
    expect(weightedAverageUplift(y, s, t, 'overall', 3)).toBe(0.25);
  });
});

describe('against NumPy on 1,000 random rows with many ties (scores rounded to 0.01)', () => {
  const rows = readFileSync(new URL('../../test-fixtures/random-1000.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  const Y = rows.map((r) => r[0]!);
  const T = rows.map((r) => r[1]!);
  const S = rows.map((r) => r[2]!);
  it('matches the reference values bit for bit (test-fixtures/sklift_reference.py)', () => {
    expect(upliftAucScore(Y, S, T)).toBe(0.025317792131596416);
    expect(qiniAucScore(Y, S, T)).toBe(0.01824324068492093);
    const q = qiniCurve(Y, S, T);
    expect(auc(q.x, q.y)).toBe(-5201.296078388758);
  });
});

describe('causalml-style scores and calibration', () => {
  it('perfect ranking beats reversed ranking', () => {
    const yy = [1, 1, 0, 0, 1, 0, 0, 0];
    const tt = [1, 1, 1, 1, 0, 0, 0, 0];
    const good = [8, 7, 2, 1, 0, 6, 5, 4];
    expect(causalmlAuuc(yy, good, tt)).toBeGreaterThan(
      causalmlAuuc(
        yy,
        good.map((v) => -v),
        tt,
      ),
    );
    expect(causalmlQini(yy, good, tt)).toBeGreaterThan(0);
  });
  it('causalml gain curve on a tiny case', () => {
    // order 0,1,2,3 (scores 4,3,2,1); t=1,0,1,0; y=1,0,0,0
    // lift: i=1 undefined (no control) -> interpolated; i=2: 1/1-0/1 = 1; i=3: 1/2-0 = 0.5; i=4: 0.5
    // lift = [0, 0.5, 1, 0.5, 0.5]; gain = lift*i = [0, 0.5, 2, 1.5, 2]; /|2| -> [0,.25,1,.75,1]; mean = 3/5
    expect(causalmlAuuc([1, 0, 0, 0], [4, 3, 2, 1], [1, 0, 1, 0])).toBeCloseTo(0.6, 12);
  });
  it('calibration compares mean prediction with observed uplift per bin', () => {
    // 2 bins of 4 in sklift order [0,3,4,2] / [1,6,5,7]; predicted means (.9+.7+.5+.5)/4=.65, (.5+.2+.2+.1)/4=.25
    const cal = upliftCalibration(y, s, t, 2);
    expect(cal.predicted[0]).toBeCloseTo(0.65, 12);
    expect(cal.predicted[1]).toBeCloseTo(0.25, 12);
    expect(Array.from(cal.observed)).toEqual([0.5, -0.5]);
    // weighted |pred-obs|: (4*0.15 + 4*0.75)/8 = 0.45
    expect(cal.meanAbsError).toBeCloseTo(0.45, 12);
  });
});
