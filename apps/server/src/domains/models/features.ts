/**
 * The features an uplift model sees, taken the same way from a property row in the database and from a property
 * file used for training (both pass through the property importer's mapping and validation). A feature is a known
 * property field, or any numeric or label column the contractor's file carried (kept in `attributes`).
 */
import { createDataset, numericFeature, type Dataset, type Feature } from '@stormops/uplift';
import type { ColumnBatch, ColumnType } from '../../db/copy-binary.ts';
import { AppError } from '../../errors.ts';

/** What the model stores: names, kinds and (for labels) the category list, so scoring codes labels the same way. */
export interface FeatureSpec {
  name: string;
  kind: 'numeric' | 'categorical';
  categories?: string[];
}

/** Anything property-shaped: an imported row or a database row (attributes may be absent). */
export interface PropertyLike {
  [field: string]: unknown;
  attributes?: Record<string, unknown> | null;
}

/** Fields every property may have, and how each becomes a number. */
const NUMERIC: Record<string, (p: PropertyLike) => number> = {
  max_hail_in: (p) => num(field(p, 'max_hail_in')),
  nearest_hail_mi: (p) => num(field(p, 'nearest_hail_mi')),
  hail_reports_within: (p) => num(field(p, 'hail_reports_within')),
  max_wind_kt: (p) => num(field(p, 'max_wind_kt')),
  roof_age_years: (p) => num(field(p, 'roof_age_years')),
  year_built: (p) => num(field(p, 'year_built')),
  home_value: (p) => num(field(p, 'home_value_cents')) / 100,
  square_feet: (p) => num(field(p, 'square_feet')),
  owner_occupied: (p) => bool(field(p, 'owner_occupied')),
  prior_customer: (p) => bool(field(p, 'prior_customer')),
  lat: (p) => num(field(p, 'lat')),
  lon: (p) => num(field(p, 'lon')),
};
const CATEGORICAL: Record<string, (p: PropertyLike) => string | null> = {
  roof_material: (p) => (typeof p['roof_material'] === 'string' ? p['roof_material'] : null),
};

/** Used when training is not told which features to use; those missing from the data are dropped. */
export const DEFAULT_FEATURES = [
  'max_hail_in',
  'nearest_hail_mi',
  'hail_reports_within',
  'max_wind_kt',
  'roof_age_years',
  'year_built',
  'home_value',
  'square_feet',
  'owner_occupied',
  'prior_customer',
  'roof_material',
  'last_contact_days',
] as const;

/** A property field, or the same-named column a file carried (e.g. max_hail_in in a past campaign's export). */
function field(p: PropertyLike, name: string): unknown {
  const v = p[name];
  return v === undefined || v === null ? p.attributes?.[name] : v;
}

function num(v: unknown): number {
  if (v === null || v === undefined || v === '') return NaN;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : NaN;
}

function bool(v: unknown): number {
  if (v === true || v === 'true' || v === '1') return 1;
  if (v === false || v === 'false' || v === '0') return 0;
  return NaN;
}

/** Reads one feature of one row as a number, or as a label for categorical features. */
function rawValue(p: PropertyLike, name: string): number | string | null {
  const numeric = NUMERIC[name];
  if (numeric) return numeric(p);
  const cat = CATEGORICAL[name];
  if (cat) return cat(p);
  const v = field(p, name);
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : String(v);
}

/** Decides each feature's kind and categories from training rows; drops features with no values at all. */
export function inferSpecs(rows: readonly object[], names: readonly string[]): FeatureSpec[] {
  const specs: FeatureSpec[] = [];
  for (const name of names) {
    let seen = 0;
    let label = CATEGORICAL[name] !== undefined;
    const categories = new Set<string>();
    for (const row of rows) {
      const v = rawValue(row as PropertyLike, name);
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
      seen++;
      if (typeof v === 'string') {
        label = true;
        categories.add(v);
      } else if (label) categories.add(String(v));
    }
    if (seen === 0) continue;
    specs.push(label ? { name, kind: 'categorical', categories: [...categories].sort() } : { name, kind: 'numeric' });
  }
  if (specs.length === 0)
    throw new AppError('VALIDATION', `none of the features ${names.join(', ')} has any value in the training data`);
  return specs;
}

/** Builds the column-major dataset for rows under fixed specs (unknown labels become missing). */
export function toDataset(rows: readonly object[], specs: readonly FeatureSpec[]): Dataset {
  const features: Feature[] = specs.map((spec) => {
    if (spec.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const v = rawValue(rows[i] as PropertyLike, spec.name);
        values[i] = typeof v === 'number' ? v : NaN;
      }
      return numericFeature(spec.name, values);
    }
    const categories = spec.categories ?? [];
    const index = new Map(categories.map((c, i) => [c, i]));
    const codes = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = rawValue(rows[i] as PropertyLike, spec.name);
      codes[i] = v === null ? NaN : (index.get(String(v)) ?? NaN);
    }
    return {
      name: spec.name,
      kind: 'categorical',
      values: codes,
      categories: categories.length ? categories : ['(none)'],
    };
  });
  return createDataset(features);
}

/** How scoring reads a model's features straight from the property table, as typed columns (see `scoringRead`). */
export interface ScoringRead {
  columns: { sql: string; type: ColumnType }[];
  /** The dataset of a batch whose columns from `at` on are this read's `columns`. */
  dataset(batch: ColumnBatch, at: number): Dataset;
}

const BOOLEAN_FIELDS = new Set(['owner_occupied', 'prior_customer']);

/**
 * The columns scoring selects for these features and how each becomes the value `toDataset` would give the same
 * property: a numeric field comes as float8 (exact, no text round trip) with the same-named `attributes` value as
 * text beside it for when the column is null (as `field` does for training rows); labels and file columns come as
 * text. A million rows never have their whole attributes JSON parsed.
 */
export function scoringRead(specs: readonly FeatureSpec[]): ScoringRead {
  const literal = (name: string) => `'${name.replace(/'/g, "''")}'`;
  const readers = specs.map((spec) => {
    if (NUMERIC[spec.name]) {
      const column = spec.name === 'home_value' ? 'home_value_cents' : spec.name;
      const flag = BOOLEAN_FIELDS.has(column);
      const scale = column === 'home_value_cents' ? 100 : 1;
      const columns = [
        { sql: `${column}${flag ? '::int' : ''}::float8`, type: 'float8' as const },
        // Read only where the column is null: a jsonb lookup per row and feature is most of the scan's cost.
        { sql: `case when ${column} is null then attributes->>${literal(column)} end`, type: 'text' as const },
      ];
      const value = (native: number, text: string | null) =>
        (Number.isNaN(native) ? (flag ? bool(text) : num(text)) : native) / scale;
      return {
        spec,
        columns,
        numeric: (b: ColumnBatch, at: number, i: number) =>
          value((b.columns[at] as Float64Array)[i]!, (b.columns[at + 1] as (string | null)[])[i]!),
      };
    }
    // A known label is the column alone, as CATEGORICAL reads it; a file's own column is in attributes.
    const sql = CATEGORICAL[spec.name] ? `${spec.name}::text` : `attributes->>${literal(spec.name)}`;
    const raw = CATEGORICAL[spec.name] ? (t: string | null) => t : (t: string | null) => rawText(t);
    return {
      spec,
      columns: [{ sql, type: 'text' as const }],
      label: (b: ColumnBatch, at: number, i: number) => raw((b.columns[at] as (string | null)[])[i]!),
    };
  });
  const columns = readers.flatMap((r) => r.columns);
  return {
    columns,
    dataset(batch, at) {
      let offset = at;
      const features: Feature[] = readers.map((r) => {
        const here = offset;
        offset += r.columns.length;
        const values = new Float64Array(batch.length);
        if (r.spec.kind === 'numeric') {
          for (let i = 0; i < batch.length; i++) {
            const v = r.numeric ? r.numeric(batch, here, i) : r.label(batch, here, i);
            values[i] = typeof v === 'number' ? v : NaN;
          }
          return numericFeature(r.spec.name, values);
        }
        const categories = r.spec.categories ?? [];
        const index = new Map(categories.map((c, k) => [c, k]));
        for (let i = 0; i < batch.length; i++) {
          const v = r.numeric ? r.numeric(batch, here, i) : r.label(batch, here, i);
          values[i] = v === null ? NaN : (index.get(String(v)) ?? NaN);
        }
        return {
          name: r.spec.name,
          kind: 'categorical',
          values,
          categories: categories.length ? categories : ['(none)'],
        };
      });
      return createDataset(features);
    },
  };
}

/** A file column's value as `rawValue` reads it: empty is missing, a finite number is a number, else the label. */
function rawText(t: string | null): number | string | null {
  if (t === null || t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
