/** Argument checks shared by the public API; each error names the offending argument. */

/** Any indexable numeric column: `Float64Array`, `Uint8Array`, `number[]`... */
export type NumArray = ArrayLike<number>;

export function assertSameLength(arrays: Record<string, NumArray>): number {
  let n = -1;
  let first = '';
  for (const [name, a] of Object.entries(arrays)) {
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
      throw new TypeError(`${name} must be an array-like of numbers`);
    }
    if (n < 0) {
      n = a.length;
      first = name;
    } else if (a.length !== n) {
      throw new RangeError(`${name} has length ${a.length} but ${first} has length ${n}`);
    }
  }
  return n;
}

export function assertBinary(name: string, a: NumArray): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== 0 && v !== 1) throw new RangeError(`${name} must be binary (0/1); ${name}[${i}] = ${String(v)}`);
  }
}

/** Treatment must be 0/1 with both arms present; returns the count of treated rows. */
export function assertTwoArms(name: string, treatment: NumArray): number {
  assertBinary(name, treatment);
  let nT = 0;
  for (let i = 0; i < treatment.length; i++) nT += treatment[i]!;
  if (nT === 0 || nT === treatment.length) {
    throw new RangeError(`${name} must contain both arms (0 and 1); got a single arm`);
  }
  return nT;
}

export function assertPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
}
