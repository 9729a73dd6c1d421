import { describe, expect, it } from 'vitest';
import { minimumDetectableEffect, powerTwoProportions, requiredSampleSize } from './power.ts';
import { twoProportionZTest } from './proportions.ts';
import { mulberry32, randomBinomial } from './random.ts';

describe('powerTwoProportions', () => {
  it("reproduces R's power.prop.test examples", () => {
    // R ?power.prop.test: power.prop.test(n = 50, p1 = .50, p2 = .75) => power = 0.7401659
    expect(powerTwoProportions({ controlRate: 0.5, treatRate: 0.75, nTreat: 50, nControl: 50 })).toBeCloseTo(
      0.7401659,
      7,
    );
    // Its formula evaluated with scipy 1.17.1 (norm.cdf / norm.isf): 0.7401659013313878
    expect(powerTwoProportions({ controlRate: 0.5, treatRate: 0.75, nTreat: 50, nControl: 50 })).toBeCloseTo(
      0.7401659013313878,
      12,
    );
  });

  it('is about alpha/2 at no effect and agrees with simulation of the z-test (seeded)', () => {
    expect(powerTwoProportions({ controlRate: 0.1, treatRate: 0.1, nTreat: 1000, nControl: 1000 })).toBeLessThan(0.03);
    const random = mulberry32(77);
    const [pC, pT, nT, nC] = [0.1, 0.13, 2000, 1000];
    let rejections = 0;
    const runs = 3000;
    for (let i = 0; i < runs; i++) {
      if (twoProportionZTest(randomBinomial(random, nT, pT), nT, randomBinomial(random, nC, pC), nC).pValue < 0.05)
        rejections++;
    }
    const predicted = powerTwoProportions({ controlRate: pC, treatRate: pT, nTreat: nT, nControl: nC });
    expect(Math.abs(rejections / runs - predicted)).toBeLessThan(0.03);
  });
});

describe('requiredSampleSize', () => {
  it("reproduces R's power.prop.test(p1 = .50, p2 = .75, power = .90): n = 76.7 per group", () => {
    // scipy 1.17.1 evaluation of the same closed form: 76.70692845177747 per group
    const r = requiredSampleSize({ controlRate: 0.5, treatRate: 0.75, power: 0.9 });
    expect(r.unroundedTotal / 2).toBeCloseTo(76.70692845177747, 9);
    expect(r).toMatchObject({ treat: 77, control: 77, total: 154 });
  });

  it('inverts the power function for unequal hold-outs', () => {
    const r = requiredSampleSize({ controlRate: 0.1, treatRate: 0.12, controlShare: 0.2, power: 0.8 });
    const n = r.unroundedTotal;
    expect(powerTwoProportions({ controlRate: 0.1, treatRate: 0.12, nTreat: 0.8 * n, nControl: 0.2 * n })).toBeCloseTo(
      0.8,
      10,
    );
    expect(r.control).toBeLessThan(r.treat);
  });

  it('validates inputs', () => {
    expect(() => requiredSampleSize({ controlRate: 0.1, treatRate: 0.1 })).toThrow(/treatRate/);
    expect(() => requiredSampleSize({ controlRate: 0.1, treatRate: 0.2, controlShare: 1 })).toThrow(/controlShare/);
    expect(() => powerTwoProportions({ controlRate: 0.1, treatRate: 0.2, nTreat: -5, nControl: 5 })).toThrow(/nTreat/);
  });
});

describe('minimumDetectableEffect', () => {
  it('is the effect at which power equals the target', () => {
    const mde = minimumDetectableEffect({ controlRate: 0.1, nTreat: 5000, nControl: 5000 });
    expect(powerTwoProportions({ controlRate: 0.1, treatRate: 0.1 + mde, nTreat: 5000, nControl: 5000 })).toBeCloseTo(
      0.8,
      10,
    );
    // consistent with the sample-size formula
    const n = requiredSampleSize({ controlRate: 0.1, treatRate: 0.1 + mde }).unroundedTotal;
    expect(n / 2).toBeCloseTo(5000, 5);
  });

  it('shrinks with more units and returns NaN when unreachable', () => {
    const small = minimumDetectableEffect({ controlRate: 0.1, nTreat: 500, nControl: 500 });
    const big = minimumDetectableEffect({ controlRate: 0.1, nTreat: 50000, nControl: 50000 });
    expect(big).toBeLessThan(small);
    expect(minimumDetectableEffect({ controlRate: 0.99, nTreat: 2, nControl: 2 })).toBeNaN();
  });
});
