/**
 * Column mapping: which file column feeds which property field. Headers are recognized case-, spacing- and
 * punctuation-insensitively from a synonym table; an explicit mapping `{ field: headerName }` (a saved named mapping
 * is this plain object) overrides detection, and `{ field: null }` turns a field off. Unmapped columns become
 * `attributes`, never dropped.
 */
import { ImportError } from '../../lib/csv/errors.ts';

export const PROPERTY_FIELDS = [
  'address_line',
  'city',
  'state',
  'zip',
  'lat',
  'lon',
  'year_built',
  'roof_age_years',
  'roof_material',
  'home_value_cents',
  'square_feet',
  'owner_occupied',
  'prior_customer',
  'phone',
  'email',
  'external_id',
] as const;

export type PropertyField = (typeof PROPERTY_FIELDS)[number];

/** `{ field: headerName }`; null turns detection off for that field. */
export type ColumnMapping = Partial<Record<PropertyField, string | null>>;

/** Normalized header spellings (lowercase, letters and digits only) for each field, most specific first. */
export const HEADER_SYNONYMS: Readonly<Record<PropertyField, readonly string[]>> = {
  address_line: [
    'addressline',
    'addressline1',
    'address1',
    'address',
    'streetaddress',
    'street',
    'streetline',
    'addr',
    'addr1',
    'propertyaddress',
    'siteaddress',
    'situsaddress',
    'mailingaddress',
    'fulladdress',
  ],
  city: ['city', 'town', 'municipality', 'propertycity', 'sitecity', 'situscity'],
  state: ['state', 'st', 'statecode', 'stateprovince', 'province', 'propertystate', 'sitestate'],
  zip: ['zip', 'zipcode', 'zip5', 'postalcode', 'postcode', 'postal', 'propertyzip', 'sitezip', 'zipcode5'],
  lat: ['lat', 'latitude', 'y', 'latdeg', 'gpslat'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x', 'londeg', 'gpslon', 'gpslng'],
  year_built: ['yearbuilt', 'yrbuilt', 'builtyear', 'yearconstructed', 'constructionyear', 'built'],
  roof_age_years: ['roofage', 'roofageyears', 'roofageyrs', 'ageofroof', 'roofyears'],
  roof_material: ['roofmaterial', 'rooftype', 'roofcovering', 'roofcover', 'roofing', 'roof'],
  home_value_cents: [
    'homevalue',
    'value',
    'assessedvalue',
    'marketvalue',
    'propertyvalue',
    'appraisedvalue',
    'estimatedvalue',
    'homeval',
    'totalvalue',
    'avm',
  ],
  square_feet: [
    'squarefeet',
    'sqft',
    'livingarea',
    'squarefootage',
    'sqfeet',
    'livingsqft',
    'buildingsqft',
    'gla',
    'sf',
  ],
  owner_occupied: ['owneroccupied', 'owneroccupancy', 'ownerocc', 'owneroccupiedflag', 'occupiedbyowner', 'homestead'],
  prior_customer: [
    'priorcustomer',
    'previouscustomer',
    'pastcustomer',
    'existingcustomer',
    'repeatcustomer',
    'customer',
  ],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'cell', 'cellphone', 'homephone', 'ownerphone'],
  email: ['email', 'emailaddress', 'mail', 'owneremail'],
  external_id: ['externalid', 'parcelid', 'parcel', 'parcelnumber', 'apn', 'propertyid', 'id', 'accountid', 'recordid'],
};

/** Mapping resolved against one header: a column index per field (-1 when absent) and the attribute columns. */
export interface ResolvedMapping {
  /** The reader's header (for JSON Lines it may grow while reading: extra keys become attributes). */
  header: readonly string[];
  /** header.length when the mapping was resolved. */
  columnCount: number;
  index: Readonly<Record<PropertyField, number>>;
  /** Column indexes kept as attributes, in header order. */
  attributeColumns: readonly number[];
  /** The effective mapping, to show the user or save under a name. */
  mapping: Readonly<Partial<Record<PropertyField, string>>>;
}

export function normalizeHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Detects fields from header names alone. */
export function detectMapping(header: readonly string[]): Partial<Record<PropertyField, string>> {
  const byNorm = new Map<string, string>();
  for (const h of header) {
    const n = normalizeHeader(h);
    if (!byNorm.has(n)) byNorm.set(n, h);
  }
  const used = new Set<string>();
  const result: Partial<Record<PropertyField, string>> = {};
  for (const field of PROPERTY_FIELDS) {
    for (const synonym of HEADER_SYNONYMS[field]) {
      const h = byNorm.get(synonym);
      if (h !== undefined && !used.has(h)) {
        result[field] = h;
        used.add(h);
        break;
      }
    }
  }
  return result;
}

/**
 * Resolves detection plus an optional explicit mapping against a header. Throws `UNKNOWN_MAPPING_FIELD`,
 * `MAPPING_COLUMN_NOT_FOUND` (naming the column) or `MISSING_REQUIRED_COLUMN`.
 */
export function resolveMapping(header: readonly string[], explicit: ColumnMapping = {}): ResolvedMapping {
  const merged: Partial<Record<PropertyField, string | null>> = { ...detectMapping(header) };
  const explicitColumns = new Set<string>();
  for (const [field, column] of Object.entries(explicit)) {
    if (!(PROPERTY_FIELDS as readonly string[]).includes(field)) {
      throw new ImportError({
        code: 'UNKNOWN_MAPPING_FIELD',
        message: `the mapping names field "${field}", which is not a property field (${PROPERTY_FIELDS.join(', ')})`,
        column: field,
      });
    }
    if (typeof column === 'string') explicitColumns.add(column);
    merged[field as PropertyField] = column ?? null;
  }
  // A detected column taken explicitly by another field is no longer detected for its first field.
  for (const field of PROPERTY_FIELDS) {
    const column = merged[field];
    if (typeof column === 'string' && !(field in explicit) && explicitColumns.has(column)) merged[field] = null;
  }
  const index = {} as Record<PropertyField, number>;
  const mapping: Partial<Record<PropertyField, string>> = {};
  const mappedColumns = new Set<number>();
  for (const field of PROPERTY_FIELDS) {
    const column = merged[field];
    if (typeof column !== 'string') {
      index[field] = -1;
      continue;
    }
    const i = findColumn(header, column);
    if (i === -1) {
      throw new ImportError({
        code: 'MAPPING_COLUMN_NOT_FOUND',
        message: `the mapping sends column "${column}" to ${field}, but the file has no such column (columns: ${header.join(', ')})`,
        row: 1,
        column,
      });
    }
    index[field] = i;
    mapping[field] = header[i]!;
    mappedColumns.add(i);
  }
  assertRequired(index);
  const attributeColumns = header.map((_, i) => i).filter((i) => !mappedColumns.has(i));
  return { header, columnCount: header.length, index, attributeColumns, mapping };
}

function findColumn(header: readonly string[], column: string): number {
  const exact = header.indexOf(column);
  if (exact !== -1) return exact;
  const n = normalizeHeader(column);
  return header.findIndex((h) => normalizeHeader(h) === n);
}

function assertRequired(index: Record<PropertyField, number>): void {
  const missing: string[] = [];
  if (index.address_line === -1) missing.push('an address (street line) column');
  if (index.zip === -1 && (index.city === -1 || index.state === -1)) {
    missing.push(
      index.city === -1 && index.state === -1
        ? 'a zip column, or city and state columns'
        : `a zip column, or a ${index.city === -1 ? 'city' : 'state'} column beside the ${index.city === -1 ? 'state' : 'city'}`,
    );
  }
  if (missing.length > 0) {
    throw new ImportError({
      code: 'MISSING_REQUIRED_COLUMN',
      message: `the file needs ${missing.join(' and ')}; name them in the column mapping if the headers differ`,
      row: 1,
      column: index.address_line === -1 ? 'address_line' : 'zip',
    });
  }
}
