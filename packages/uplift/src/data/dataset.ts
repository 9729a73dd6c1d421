/**
 * Column-major feature tables. Numeric columns are `Float64Array`s; categorical columns hold integer codes
 * (0..categories.length-1) as doubles with their category list; NaN means missing in both. Columns made here
 * live in shared memory, so the uplift threads read them without a copy.
 */
import { sharedF64 } from '../parallel/pool.ts';
import type { NumArray } from '../validate.ts';

/** One feature column. */
export interface Feature {
  name: string;
  kind: 'numeric' | 'categorical';
  values: Float64Array;
  /** Category labels, index = code; present for categorical features. */
  categories?: string[];
}

/** A column-major table of `nRows` rows. */
export interface Dataset {
  nRows: number;
  features: Feature[];
}

/** Per-feature schema, kept in models so they can validate and one-hot encode at prediction time. */
export interface FeatureSchema {
  name: string;
  kind: 'numeric' | 'categorical';
  nCategories: number;
}

/**
 * Builds a dataset from columns, checking lengths and categorical codes.
 *
 * @example
 * const ds = createDataset([
 *   numericFeature('age', [30, 41]),
 *   categoricalFeature('roof', ['shingle', 'metal'], ['metal', 'shingle']),
 * ]);
 */
export function createDataset(features: Feature[]): Dataset {
  if (!Array.isArray(features) || features.length === 0) throw new RangeError('features must be a non-empty array');
  const nRows = features[0]!.values.length;
  for (const f of features) {
    if (!(f.values instanceof Float64Array)) throw new TypeError(`feature ${f.name}: values must be a Float64Array`);
    if (f.values.length !== nRows) {
      throw new RangeError(`feature ${f.name} has ${f.values.length} rows but ${features[0]!.name} has ${nRows}`);
    }
    if (f.kind === 'categorical') checkCodes(f);
  }
  return { nRows, features };
}

function checkCodes(f: Feature): void {
  const k = f.categories?.length ?? 0;
  if (k === 0) throw new TypeError(`categorical feature ${f.name} needs a non-empty categories list`);
  for (let i = 0; i < f.values.length; i++) {
    const v = f.values[i]!;
    if (v === v && !(Number.isInteger(v) && v >= 0 && v < k)) {
      throw new RangeError(`feature ${f.name}: code ${v} at row ${i} is not in 0..${k - 1}`);
    }
  }
}

/**
 * A numeric feature (copies `values` into a Float64Array; null/undefined become NaN).
 *
 * @example
 * numericFeature('history', [142.44, 329.08]);
 */
export function numericFeature(name: string, values: ArrayLike<number | null | undefined>): Feature {
  const v = sharedF64(values.length);
  for (let i = 0; i < v.length; i++) v[i] = values[i] ?? NaN;
  return { name, kind: 'numeric', values: v };
}

/**
 * A categorical feature from string labels; `categories` fixes the code order (default: sorted distinct
 * labels). Labels outside the list, null and undefined become missing (NaN).
 *
 * @example
 * categoricalFeature('channel', ['Web', 'Phone', 'Web']); // codes [1, 0, 1], categories ['Phone', 'Web']
 */
export function categoricalFeature(
  name: string,
  labels: ArrayLike<string | null | undefined>,
  categories?: string[],
): Feature {
  const cats = categories ?? [...new Set(Array.from(labels).filter((l): l is string => l != null))].sort();
  const code = new Map(cats.map((c, i) => [c, i]));
  const v = sharedF64(labels.length);
  for (let i = 0; i < v.length; i++) {
    const l = labels[i];
    v[i] = l == null ? NaN : (code.get(l) ?? NaN);
  }
  return { name, kind: 'categorical', values: v, categories: cats };
}

/** Schema of a dataset (names, kinds, category counts). */
export function schemaOf(ds: Dataset): FeatureSchema[] {
  return ds.features.map((f) => ({ name: f.name, kind: f.kind, nCategories: f.categories?.length ?? 0 }));
}

/**
 * Rows `rows` of a dataset, as a new dataset.
 *
 * @example
 * const train = selectRows(ds, split.train);
 */
export function selectRows(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const features = ds.features.map((f) => {
    const v = sharedF64(rows.length);
    for (let i = 0; i < rows.length; i++) v[i] = f.values[rows[i]!]!;
    return { ...f, values: v };
  });
  return { nRows: rows.length, features };
}

/** Values of an array at `rows`, as a Float64Array. */
export function take(a: NumArray, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]!]!;
  return out;
}

/**
 * Column arrays (what `predictUplift` also accepts) for a dataset; categorical codes stay codes.
 */
export function columnsOf(ds: Dataset): Float64Array[] {
  return ds.features.map((f) => f.values);
}

/** A dataset given for prediction must have the training features, in order, with the same kinds. */
function checkSchema(ds: Dataset, schema: FeatureSchema[]): void {
  schema.forEach((s, j) => {
    const f = ds.features[j];
    if (!f) return;
    if (f.name !== s.name || f.kind !== s.kind) {
      throw new TypeError(`X feature ${j} is ${f.kind} '${f.name}' but the model was trained on ${s.kind} '${s.name}'`);
    }
  });
}

/** Accepts a dataset or plain column arrays (checked against the training schema when given), returning columns and the row count. */
export function asColumns(
  X: Dataset | ArrayLike<number>[],
  expected: number | FeatureSchema[],
): { cols: Float64Array[]; n: number } {
  const nFeatures = typeof expected === 'number' ? expected : expected.length;
  if (typeof expected !== 'number' && 'features' in X) checkSchema(X, expected);
  // Float64Array columns keep the prediction loops monomorphic; other array-likes are copied once.
  const cols =
    'features' in X
      ? X.features.map((f) => f.values)
      : X.map((c) => (c instanceof Float64Array ? c : Float64Array.from(c)));
  if (cols.length !== nFeatures)
    throw new RangeError(`X has ${cols.length} features but the model expects ${nFeatures}`);
  const n = cols.length > 0 ? cols[0]!.length : 0;
  for (let j = 1; j < cols.length; j++) {
    if (cols[j]!.length !== n) throw new RangeError(`X column ${j} has ${cols[j]!.length} rows, column 0 has ${n}`);
  }
  return { cols, n };
}

/**
 * Design matrix for linear models: numeric columns as-is, categorical columns one-hot (one indicator per
 * category, all zero when missing). Missing numeric values are left NaN for the caller to impute.
 *
 * @example
 * const cols = oneHotColumns(columnsOf(ds), schemaOf(ds));
 */
export function oneHotColumns(cols: ArrayLike<number>[], schema: FeatureSchema[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < schema.length; j++) {
    const c = cols[j]!;
    const s = schema[j]!;
    if (s.kind === 'numeric') {
      out.push(c instanceof Float64Array ? c : Float64Array.from(c));
      continue;
    }
    for (let k = 0; k < s.nCategories; k++) {
      const ind = new Float64Array(c.length);
      for (let i = 0; i < c.length; i++) ind[i] = c[i] === k ? 1 : 0;
      out.push(ind);
    }
  }
  return out;
}
