/**
 * Stirling-series helpers that keep log-gamma differences accurate for large arguments, where subtracting
 * two ~1e10 log-gammas would leave only ~6 correct digits (chi-square with huge df, t with huge df).
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Below this argument the direct Lanczos log-gamma is used instead of the Stirling series. */
export const STIRLING_MIN = 10;

/**
 * Stirling remainder delta(x) = logGamma(x) - [(x - 1/2) log x - x + log(2 pi) / 2], for x >= 10 (error < 1e-16).
 *
 * @example
 * stirlingRemainder(10); // 0.008330563433362871
 */
export function stirlingRemainder(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  // Bernoulli-number series: 1/12, -1/360, 1/1260, -1/1680, 1/1188, -691/360360, 1/156
  return (
    r *
    (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))))
  );
}

/**
 * log(1 + r) - r without cancellation for small r (power series when |r| < 0.5).
 *
 * @example
 * log1pMinusX(1e-10); // -5e-21
 */
export function log1pMinusX(r: number): number {
  if (Math.abs(r) >= 0.5) return Math.log1p(r) - r;
  // -r^2/2 + r^3/3 - r^4/4 + ...
  let term = r;
  let sum = 0;
  for (let k = 2; k < 200; k++) {
    term *= -r;
    const add = term / k;
    sum += add;
    if (Math.abs(add) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * log Gamma(x) via Stirling with the remainder series, for x >= 10.
 *
 * @example
 * stirlingLogGamma(100); // 359.1342053695754
 */
export function stirlingLogGamma(x: number): number {
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingRemainder(x);
}

export { HALF_LOG_TWO_PI };
