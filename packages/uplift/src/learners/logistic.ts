/**
 * L2-regularized logistic regression fitted by IRLS (Newton) on standardized features. Categorical
 * features are one-hot encoded; missing numeric values are imputed with the training mean (0 after
 * standardization). The intercept is not penalized.
 */
import { asColumns, oneHotColumns, schemaOf, type Dataset, type FeatureSchema } from '../data/dataset.ts';
import { assertBinary, type NumArray } from '../validate.ts';

/** Fitting options. */
export interface LogisticParams {
  /** L2 penalty on standardized coefficients (sum of squares times l2 / 2 added to the negative log-likelihood). */
  l2: number;
  maxIter: number;
  /** Stop when the largest coefficient change is below this. */
  tol: number;
}

export const LOGISTIC_DEFAULTS: Readonly<LogisticParams> = Object.freeze({ l2: 1, maxIter: 50, tol: 1e-8 });

/** JSON form of a logistic model. */
export interface LogisticJSON {
  kind: 'logistic';
  schema: FeatureSchema[];
  mean: number[];
  scale: number[];
  intercept: number;
  coef: number[];
}

/** A fitted logistic regression; `coef` are on the standardized design columns. */
export class LogisticModel {
  constructor(
    readonly schema: FeatureSchema[],
    readonly mean: Float64Array,
    readonly scale: Float64Array,
    readonly intercept: number,
    readonly coef: Float64Array,
  ) {}

  /** P(y = 1 | x). */
  predict(X: Dataset | ArrayLike<number>[]): Float64Array {
    const { cols, n } = asColumns(X, this.schema);
    const design = oneHotColumns(cols, this.schema);
    const z = new Float64Array(n).fill(this.intercept);
    for (let j = 0; j < design.length; j++) {
      const c = design[j]!;
      const w = this.coef[j]! / this.scale[j]!;
      const m = this.mean[j]!;
      for (let i = 0; i < n; i++) {
        const x = c[i]!;
        z[i] = z[i]! + (x === x ? (x - m) * w : 0);
      }
    }
    for (let i = 0; i < n; i++) z[i] = 1 / (1 + Math.exp(-z[i]!));
    return z;
  }

  toJSON(): LogisticJSON {
    return {
      kind: 'logistic',
      schema: this.schema,
      mean: Array.from(this.mean),
      scale: Array.from(this.scale),
      intercept: this.intercept,
      coef: Array.from(this.coef),
    };
  }

  static fromJSON(j: LogisticJSON): LogisticModel {
    if (j.kind !== 'logistic') throw new TypeError(`expected kind 'logistic', got ${String(j.kind)}`);
    return new LogisticModel(
      j.schema,
      Float64Array.from(j.mean),
      Float64Array.from(j.scale),
      j.intercept,
      Float64Array.from(j.coef),
    );
  }
}

/**
 * Fits a logistic regression of binary `y` on `ds` (optionally only on `rows`).
 *
 * @example
 * const propensity = fitLogistic(ds, treatment, { l2: 1 }).predict(ds);
 */
export function fitLogistic(
  ds: Dataset,
  y: NumArray,
  params: Partial<LogisticParams> = {},
  rows?: Int32Array,
): LogisticModel {
  const p = { ...LOGISTIC_DEFAULTS, ...params };
  if (y.length !== ds.nRows) throw new RangeError(`y has length ${y.length} but ds has ${ds.nRows} rows`);
  if (!(p.l2 >= 0)) throw new RangeError(`l2 must be >= 0, got ${p.l2}`);
  const schema = schemaOf(ds);
  const idx = rows ?? Int32Array.from({ length: ds.nRows }, (_, i) => i);
  const yy = Float64Array.from(idx, (r) => y[r]!);
  assertBinary('y', yy);
  const design = oneHotColumns(
    ds.features.map((f) => f.values),
    schema,
  ).map((c) => Float64Array.from(idx, (r) => c[r]!));
  const { mean, scale } = standardize(design);
  const beta = irls(design, yy, p);
  return new LogisticModel(schema, mean, scale, beta[0]!, beta.subarray(1));
}

/** Standardizes columns in place (NaN -> 0 after centering); returns the means and scales used. */
function standardize(cols: Float64Array[]): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(cols.length);
  const scale = new Float64Array(cols.length);
  cols.forEach((c, j) => {
    let s = 0;
    let k = 0;
    for (let i = 0; i < c.length; i++) {
      if (c[i] !== c[i]) continue;
      s += c[i]!;
      k++;
    }
    const m = k ? s / k : 0;
    let v = 0;
    for (let i = 0; i < c.length; i++) if (c[i] === c[i]) v += (c[i]! - m) ** 2;
    const sd = k > 1 ? Math.sqrt(v / k) : 0;
    mean[j] = m;
    scale[j] = sd > 0 ? sd : 1;
    for (let i = 0; i < c.length; i++) c[i] = c[i] === c[i] ? (c[i]! - m) / scale[j]! : 0;
  });
  return { mean, scale };
}

/** Newton-Raphson on the penalized log-likelihood; returns [intercept, coef...]. */
function irls(cols: Float64Array[], y: Float64Array, p: LogisticParams): Float64Array {
  const n = y.length;
  const d = cols.length + 1;
  const col = (j: number, i: number): number => (j === 0 ? 1 : cols[j - 1]![i]!);
  const beta = new Float64Array(d);
  const z = new Float64Array(n);
  for (let iter = 0; iter < p.maxIter; iter++) {
    const grad = new Float64Array(d);
    const hess = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += beta[j]! * col(j, i);
      z[i] = s;
    }
    for (let j = 0; j < d; j++) {
      let gj = j > 0 ? p.l2 * beta[j]! : 0;
      for (let i = 0; i < n; i++) gj += (1 / (1 + Math.exp(-z[i]!)) - y[i]!) * col(j, i);
      grad[j] = gj;
    }
    const w = z.map((v) => {
      const pr = 1 / (1 + Math.exp(-v));
      return Math.max(pr * (1 - pr), 1e-12);
    });
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        let s = a === b && a > 0 ? p.l2 : 0;
        for (let i = 0; i < n; i++) s += w[i]! * col(a, i) * col(b, i);
        hess[a * d + b] = s;
        hess[b * d + a] = s;
      }
    }
    const step = choleskySolve(hess, grad, d);
    let maxStep = 0;
    for (let j = 0; j < d; j++) {
      beta[j] = beta[j]! - step[j]!;
      maxStep = Math.max(maxStep, Math.abs(step[j]!));
    }
    if (maxStep < p.tol) break;
  }
  return beta;
}

/** Solves A x = b for symmetric positive-definite A (a small ridge is added if the factorization fails). */
export function choleskySolve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) L[i * d + i] = Math.sqrt(Math.max(s, 1e-12));
      else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  return x;
}
