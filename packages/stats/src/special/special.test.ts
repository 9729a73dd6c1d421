import { describe, expect, it } from 'vitest';
import { incompleteBeta, logBeta } from './beta.ts';
import { incompleteGamma, logGamma } from './gamma.ts';
import { log1pMinusX, stirlingLogGamma, stirlingRemainder } from './stirling.ts';

// Golden values: R `lgamma()`, `pgamma()`, `pbeta()`; cross-checked with scipy 1.17.1 (scipy.special.gammaln,
// gammainc, gammaincc, betainc) and mpmath at 30 digits. Closed forms where noted.
describe('logGamma', () => {
  it('matches exact values', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12); // Gamma(1/2) = sqrt(pi)
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12); // 9!
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 9); // R: lgamma(100)
    expect(logGamma(1e-5)).toBeCloseTo(11.512919692895826, 9); // R: lgamma(1e-5)
  });

  it('rejects non-positive arguments', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('incompleteGamma', () => {
  it('a = 1 is the exponential distribution', () => {
    for (const x of [0.01, 0.5, 2, 30, 700]) {
      const { lower, upper } = incompleteGamma(1, x);
      expect(upper / Math.exp(-x)).toBeCloseTo(1, 12);
      expect(lower).toBeCloseTo(-Math.expm1(-x), 14);
    }
  });

  it('matches R pgamma, both tails', () => {
    // R: pgamma(3, shape = 2.5); scipy.special.gammainc(2.5, 3) = 0.6937810815867212
    const t = incompleteGamma(2.5, 3);
    expect(t.lower).toBeCloseTo(0.6937810815867212, 12);
    expect(t.lower + t.upper).toBeCloseTo(1, 15);
    // R: pgamma(5000, 5000) = 0.5018806340338174 (mpmath); Lanczos error grows with a, so 11 decimals.
    expect(incompleteGamma(5000, 5000).lower).toBeCloseTo(0.50188063403382, 11);
  });
});

describe('incompleteBeta', () => {
  it('matches closed forms', () => {
    expect(incompleteBeta(0.5, 2, 2).lower).toBeCloseTo(0.5, 15);
    expect(incompleteBeta(0.3, 1, 1).lower).toBeCloseTo(0.3, 14); // uniform
    // I_x(a, 1) = x^a
    expect(incompleteBeta(0.2, 3.5, 1).lower).toBeCloseTo(Math.pow(0.2, 3.5), 15);
    // I_x(1, b) = 1 - (1 - x)^b, upper tail returned directly
    expect(incompleteBeta(0.9, 1, 40).upper / Math.pow(0.1, 40)).toBeCloseTo(1, 12);
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
  });

  it('matches R pbeta', () => {
    // R: pbeta(0.4, 2.5, 4); scipy.special.betainc(2.5, 4, 0.4) = 0.5558019215511945
    const t = incompleteBeta(0.4, 2.5, 4);
    expect(t.lower).toBeCloseTo(0.5558019215511945, 12);
    expect(t.lower + t.upper).toBeCloseTo(1, 15);
  });

  it('validates arguments', () => {
    expect(() => incompleteBeta(1.5, 1, 1)).toThrow(/x must be/);
    expect(() => incompleteBeta(0.5, -1, 1)).toThrow(/a must be/);
  });
});

describe('Stirling helpers', () => {
  it('match mpmath', () => {
    // mpmath: loggamma(10) - ((10 - 0.5) log 10 - 10 + log(2 pi) / 2) = 0.00833056343336287125...
    expect(stirlingRemainder(10)).toBeCloseTo(0.008330563433362871, 16);
    expect(stirlingLogGamma(100)).toBeCloseTo(359.1342053695754, 11); // R: lgamma(100)
    expect(log1pMinusX(1e-10)).toBeCloseTo(-5e-21, 30);
    expect(log1pMinusX(1e-10) / -5e-21).toBeCloseTo(1, 9);
    expect(log1pMinusX(0.3)).toBeCloseTo(Math.log1p(0.3) - 0.3, 15);
    expect(log1pMinusX(-0.4)).toBeCloseTo(Math.log1p(-0.4) + 0.4, 15);
  });

  it('logBeta keeps precision for huge arguments', () => {
    // mpmath: log(beta(5e10, 0.5)) and log(beta(1e6, 2e6))
    expect(logBeta(5e10, 0.5)).toBeCloseTo(-11.745279478260079, 12);
    expect(logBeta(1e6, 2e6)).toBeCloseTo(-1909548.290968533, 8);
  });
});
