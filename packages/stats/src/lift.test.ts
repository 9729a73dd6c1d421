import { describe, expect, it } from 'vitest';
import { normalQuantileUpper } from './distributions/normal.ts';
import { absoluteLift, proportionVarianceOfMean, relativeLiftDelta, relativeLiftFieller } from './lift.ts';
import { mulberry32, randomBinomial } from './random.ts';

const Z = 1.959963984540054; // R: qnorm(0.975)

describe('absoluteLift', () => {
  it('is the Wald interval', () => {
    const r = absoluteLift({ mean: 1.2, varianceOfMean: 0.01 }, { mean: 1, varianceOfMean: 0.01 });
    expect(r.estimate).toBeCloseTo(0.2, 14);
    expect(r.upper - r.estimate).toBeCloseTo(Z * Math.sqrt(0.02), 12);
  });
});

describe('relativeLiftDelta', () => {
  it('matches the delta-method formula worked by hand', () => {
    // T = 0.12, C = 0.10, Var T = 1e-4, Var C = 4e-5:
    // Var(T/C) = 1e-4 / 0.01 + 1.44 * 4e-5 / 0.01 = 0.01 + 0.00576 = 0.01576
    const r = relativeLiftDelta({ mean: 0.12, varianceOfMean: 1e-4 }, { mean: 0.1, varianceOfMean: 4e-5 });
    expect(r.estimate).toBeCloseTo(0.2, 14);
    expect(r.upper - r.estimate).toBeCloseTo(Z * Math.sqrt(0.01576), 12);
    expect(r.estimate - r.lower).toBeCloseTo(Z * Math.sqrt(0.01576), 12);
  });

  it('covers the true relative lift about 95% of the time (seeded simulation)', () => {
    const random = mulberry32(99);
    const [pT, pC, n] = [0.15, 0.1, 3000];
    let covered = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const xT = randomBinomial(random, n, pT);
      const xC = randomBinomial(random, n, pC);
      const ci = relativeLiftDelta(
        { mean: xT / n, varianceOfMean: proportionVarianceOfMean(xT, n) },
        { mean: xC / n, varianceOfMean: proportionVarianceOfMean(xC, n) },
      );
      if (ci.lower <= pT / pC - 1 && pT / pC - 1 <= ci.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it('rejects a zero control mean', () => {
    expect(() => relativeLiftDelta({ mean: 1, varianceOfMean: 1 }, { mean: 0, varianceOfMean: 1 })).toThrow(
      /control.mean/,
    );
  });
});

describe('relativeLiftFieller', () => {
  it('endpoints solve the Fieller quadratic (T - rho C)^2 = z^2 (Var T + rho^2 Var C)', () => {
    const treat = { mean: 12, varianceOfMean: 1 };
    const control = { mean: 10, varianceOfMean: 1 };
    const r = relativeLiftFieller(treat, control);
    for (const end of [r.lower, r.upper]) {
      const rho = end + 1;
      expect((12 - rho * 10) ** 2).toBeCloseTo(Z * Z * (1 + rho * rho), 10);
    }
    expect(r.upper - r.estimate).toBeGreaterThan(r.estimate - r.lower); // skewed right, unlike the delta method
  });

  it('agrees with the delta method when the control is precise', () => {
    const treat = { mean: 0.1514, varianceOfMean: 6.0e-6 };
    const control = { mean: 0.1062, varianceOfMean: 4.4e-6 };
    const f = relativeLiftFieller(treat, control);
    const d = relativeLiftDelta(treat, control);
    expect(f.lower).toBeCloseTo(d.lower, 2);
    expect(f.upper).toBeCloseTo(d.upper, 2);
  });

  it('is unbounded when the control mean is not significantly non-zero', () => {
    const r = relativeLiftFieller({ mean: 1, varianceOfMean: 1 }, { mean: 1, varianceOfMean: 1 });
    expect(r.lower).toBe(-Infinity);
    expect(r.upper).toBe(Infinity);
    expect(normalQuantileUpper(0.025)).toBeCloseTo(Z, 13);
  });
});
