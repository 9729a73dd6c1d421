import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareQuantile, chiSquareQuantileUpper, chiSquareSf } from './chi-square.ts';
import { normalCdf, normalQuantile, normalQuantileUpper, normalSf } from './normal.ts';
import { studentTCdf, studentTQuantile, studentTSf } from './student-t.ts';

/** Relative closeness for tiny tails, where toBeCloseTo's absolute digits mean nothing. */
function expectRelative(actual: number, expected: number, tolerance = 1e-10): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(tolerance);
}

// Golden values: R 4.x (`pnorm`, `qnorm`, `pt`, `qt`, `pchisq`, `qchisq`), each reproduced here with
// scipy 1.17.1 (`scipy.stats.norm/t/chi2` .cdf/.sf/.ppf/.isf) and, for the far tails, mpmath at 30 digits.
describe('normal', () => {
  it('matches R pnorm in the body', () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14); // pnorm(1)
    expect(normalCdf(-1.96)).toBeCloseTo(0.02499789514822043, 14); // pnorm(-1.96)
    expect(normalSf(2)).toBeCloseTo(0.02275013194817921, 14); // pnorm(2, lower.tail = FALSE)
    expect(normalCdf(0)).toBe(0.5);
  });

  it('keeps full relative precision far into the tails', () => {
    expectRelative(normalSf(10), 7.619853024160527e-24); // pnorm(-10)
    expectRelative(normalSf(30), 4.906713927148187e-198); // pnorm(-30)
    expectRelative(normalCdf(-37), 5.725571222524e-300, 1e-9); // pnorm(-37)
    expectRelative(normalSf(5), 2.866515718791939e-7); // pnorm(-5)
  });

  it('matches R qnorm, including tiny tails', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13); // qnorm(0.975)
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 13); // qnorm(0.3)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12); // qnorm(1e-10)
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.0470962993612, 11); // qnorm(1e-300)
    expect(normalQuantileUpper(0.025)).toBeCloseTo(1.959963984540054, 13);
  });

  it('round-trips and is symmetric', () => {
    for (const z of [-8, -3.3, -1, -0.01, 0.4, 2.5, 7]) {
      // Invert through the smaller tail: 1 - 1e-12 has only ~4 significant digits left.
      expect(z < 0 ? normalQuantile(normalCdf(z)) : normalQuantileUpper(normalSf(z))).toBeCloseTo(z, 11);
      expect(normalCdf(z) + normalSf(z)).toBeCloseTo(1, 15);
      expect(normalCdf(-z)).toBe(normalSf(z));
    }
  });
});

describe('Student t', () => {
  it('matches R pt', () => {
    expect(studentTCdf(2, 5)).toBeCloseTo(0.9490302605850708, 13); // pt(2, 5)
    expect(studentTCdf(-3, 10)).toBeCloseTo(0.006671827511284785, 14); // pt(-3, 10)
    expectRelative(studentTSf(10, 30), 2.287625704114809e-11, 1e-9); // pt(10, 30, lower.tail = FALSE)
    expectRelative(studentTCdf(-40, 4.5), 3.224782606460499e-7, 1e-10); // pt(-40, 4.5)
    expectRelative(studentTSf(1e5, 2.5), 2.2747519231756224e-13, 1e-10); // pt(1e5, 2.5, lower.tail = FALSE)
  });

  it('matches the closed forms for df = 1 (Cauchy) and df = 2', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 15);
    for (const t of [0.5, 3, 1e3, 1e10]) {
      expectRelative(studentTSf(t, 1), Math.atan(1 / t) / Math.PI, 1e-12);
      const s = Math.sqrt(2 + t * t);
      expectRelative(studentTSf(t, 2), 1 / (s * (s + t)), 1e-12); // 1/2 - t / (2 sqrt(2 + t^2))
    }
  });

  it('matches R qt', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.70620473617471, 10); // qt(0.975, 1)
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749462, 11); // qt(0.975, 2)
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.570581835636315, 12); // qt(0.975, 5)
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 12); // qt(0.975, 10)
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272456301238, 12); // qt(0.975, 30)
    expect(studentTQuantile(0.999, 17.776)).toBeCloseTo(3.617994795078663, 11); // qt(0.999, 17.776)
    expectRelative(studentTQuantile(1e-10, 3), -2225.769284683093, 1e-11); // qt(1e-10, 3)
  });

  it('round-trips and tends to the normal', () => {
    for (const df of [1.5, 4, 37.2, 1e4]) {
      for (const t of [-6, -1.2, 0.3, 2.9]) {
        expect(studentTQuantile(studentTCdf(t, df), df)).toBeCloseTo(t, 8);
        expect(studentTCdf(t, df) + studentTSf(t, df)).toBeCloseTo(1, 15);
      }
    }
    expect(studentTCdf(1.5, 1e13)).toBeCloseTo(normalCdf(1.5), 12);
  });

  it('stays accurate for very large df (Welch on big campaigns)', () => {
    // mpmath 40 digits: betainc(df/2, 1/2, 0, df/(df+t^2), regularized=True) / 2
    expectRelative(studentTCdf(-3, 1e5), 0.00135023044203236, 1e-11);
    expectRelative(studentTCdf(-10, 1e5), 7.816507650103639e-24, 1e-11);
    expectRelative(studentTCdf(-3, 1e7), 0.0013499013555185806, 1e-9);
    expectRelative(studentTCdf(-1.7, 1e9), 0.044565462914029685, 1e-12);
    expectRelative(studentTCdf(-10, 1e11), 7.619853218449144e-24, 1e-11);
    // R: qt(0.975, 1e9) ~ qnorm(0.975) + (z^3 + z) / (4 df) (Cornish-Fisher)
    const z = 1.959963984540054;
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(z + (z ** 3 + z) / 4e9, 12);
  });

  it('reports unrepresentable quantiles as infinite', () => {
    expect(studentTQuantile(1e-300, 0.5)).toBe(-Infinity);
  });

  it('validates df', () => {
    expect(() => studentTCdf(1, 0)).toThrow(/df/);
  });
});

describe('chi-square', () => {
  it('matches R pchisq / qchisq', () => {
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 14); // pchisq(qchisq(.95, 1), 1)
    expect(chiSquareSf(30, 10)).toBeCloseTo(0.000856641210775301, 15); // pchisq(30, 10, lower.tail = FALSE)
    expectRelative(chiSquareSf(500, 100), 1.720121005369523e-54, 1e-10); // pchisq(500, 100, lower.tail = FALSE)
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841458820694124, 12); // qchisq(0.95, 1)
    expect(chiSquareQuantile(0.95, 2)).toBeCloseTo(5.991464547107979, 12); // qchisq(0.95, 2)
    expect(chiSquareQuantile(0.95, 10)).toBeCloseTo(18.30703805327515, 11); // qchisq(0.95, 10)
    expect(chiSquareQuantile(0.001, 5)).toBeCloseTo(0.2102126026292192, 12); // qchisq(0.001, 5)
    expect(chiSquareQuantileUpper(1e-10, 7)).toBeCloseTo(60.89519536467025, 10); // qchisq(1e-10, 7, lower = FALSE)
  });

  it('stays accurate for huge df (Stirling-form prefactor)', () => {
    // mpmath 40 digits: gammainc(5e7, 5e7 + 15000, inf, regularized=True)
    expectRelative(chiSquareSf(1e8 + 3e4, 1e8), 0.01695436406512482, 1e-11);
  });

  it('df = 2 is exponential: huge statistics keep relative precision', () => {
    expectRelative(chiSquareSf(1000, 2), Math.exp(-500), 1e-12); // 7.124576406741474e-218
    expect(chiSquareQuantile(0.5, 2)).toBeCloseTo(2 * Math.LN2, 13);
  });

  it('df = 1 is the square of a normal', () => {
    for (const z of [0.3, 1.96, 4, 12, 25]) {
      expectRelative(chiSquareSf(z * z, 1), 2 * normalSf(z), 1e-11);
    }
    expect(chiSquareQuantileUpper(1e-200, 1)).toBeCloseTo(normalQuantileUpper(5e-201) ** 2, 8);
  });

  it('round-trips', () => {
    for (const df of [0.5, 1, 3, 17.5, 400]) {
      for (const p of [1e-6, 0.05, 0.5, 0.9, 0.999]) {
        expect(chiSquareCdf(chiSquareQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
    }
  });
});
