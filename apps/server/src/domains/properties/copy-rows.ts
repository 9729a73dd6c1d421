/**
 * Postgres COPY text-format lines for imported properties, so the DB layer can stream a batch with
 * `COPY property_staging (...) FROM STDIN` without building parameter arrays. Pure string work.
 */
import type { ImportedProperty } from './property-row.ts';

/** Column order of `propertyCopyLine` (after any prefix columns the caller adds, e.g. tenant_id, import_id). */
export const PROPERTY_COPY_COLUMNS = [
  'source_row', 'address_line', 'city', 'state', 'zip', 'lat', 'lon', 'year_built', 'roof_age_years', 'roof_material',
  'home_value_cents', 'square_feet', 'owner_occupied', 'prior_customer', 'phone', 'email', 'external_id',
  'attributes', 'address_normalized', 'address_key',
] as const;

/** One COPY line (with trailing newline); `prefix` values come first, already-known constants such as ids. */
export function propertyCopyLine(p: ImportedProperty, prefix = ''): string {
  return (
    prefix +
    `${p.row}\t${text(p.address_line)}\t${opt(p.city)}\t${opt(p.state)}\t${opt(p.zip)}\t${num(p.lat)}\t${num(p.lon)}\t` +
    `${num(p.year_built)}\t${num(p.roof_age_years)}\t${opt(p.roof_material)}\t${num(p.home_value_cents)}\t` +
    `${num(p.square_feet)}\t${bool(p.owner_occupied)}\t${bool(p.prior_customer)}\t${opt(p.phone)}\t${opt(p.email)}\t` +
    `${opt(p.external_id)}\t${text(JSON.stringify(p.attributes))}\t${text(p.address_normalized)}\t${text(p.address_key)}\n`
  );
}

/** Prefix for constant leading columns, e.g. `copyPrefix([tenantId, importId])`. */
export function copyPrefix(values: readonly (string | number | null)[]): string {
  return values.map((v) => (v === null ? '\\N' : typeof v === 'number' ? String(v) : text(v))).join('\t') + (values.length ? '\t' : '');
}

const SPECIAL = /[\\\t\n\r]/;

/** Escapes a value for COPY text format (backslash, tab, newline, carriage return). */
export function text(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function opt(value: string | null): string {
  return value === null ? '\\N' : text(value);
}

function num(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

function bool(value: boolean | null): string {
  return value === null ? '\\N' : value ? 't' : 'f';
}
