/** Input checks shared by the public functions. Each throws a RangeError that names the offending argument. */

/** Throws unless `value` is a finite number. */
export function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/** Throws unless `value` is a non-negative integer. */
export function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless `value` is a positive integer. */
export function assertPositiveCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

/** Throws unless `successes` and `trials` are counts with successes <= trials. */
export function assertSuccesses(successesName: string, successes: number, trialsName: string, trials: number): void {
  assertCount(trialsName, trials);
  assertCount(successesName, successes);
  if (successes > trials) {
    throw new RangeError(`${successesName} (${successes}) must not exceed ${trialsName} (${trials})`);
  }
}

/** Throws unless `value` lies strictly inside (0, 1). Used for alpha, shares, power and probabilities. */
export function assertOpenUnit(name: string, value: number): void {
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be in (0, 1), got ${value}`);
}

/** Throws unless `value` lies in [0, 1]. */
export function assertClosedUnit(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${value}`);
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
}

/** Throws unless `value` is a finite number >= 0. */
export function assertNonNegative(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
}
