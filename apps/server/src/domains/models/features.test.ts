import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../db/copy-binary.ts';
import { scoringRead, toDataset, type FeatureSpec } from './features.ts';

/** Property rows as the database holds them: typed columns, and file columns in attributes. */
const rows = [
  {
    max_hail_in: 1.75,
    home_value_cents: 31_000_000,
    owner_occupied: true,
    roof_material: 'metal',
    attributes: { last_contact_days: '007', crew: 'A' },
  },
  {
    max_hail_in: null,
    home_value_cents: null,
    owner_occupied: null,
    roof_material: null,
    attributes: { max_hail_in: '2.5', home_value_cents: '1e7', owner_occupied: '1', roof_material: 'tile', crew: '12' },
  },
  {
    max_hail_in: null,
    home_value_cents: null,
    owner_occupied: false,
    roof_material: 'slate',
    attributes: { last_contact_days: '', crew: '' },
  },
  {
    max_hail_in: 0.1 + 0.2,
    home_value_cents: 1,
    owner_occupied: null,
    roof_material: '',
    attributes: { owner_occupied: 'yes', last_contact_days: 'n/a' },
  },
];

const specs: FeatureSpec[] = [
  { name: 'max_hail_in', kind: 'numeric' },
  { name: 'home_value', kind: 'numeric' },
  { name: 'owner_occupied', kind: 'numeric' },
  { name: 'roof_material', kind: 'categorical', categories: ['metal', 'tile'] },
  { name: 'last_contact_days', kind: 'numeric' },
  { name: 'crew', kind: 'categorical', categories: ['12', 'A'] },
];

/** What Postgres sends for scoringRead's select list (casts, coalesce and ->> done by hand). */
function asColumns(): ColumnBatch {
  const attr = (r: (typeof rows)[number], k: string) => (r.attributes as Record<string, string | undefined>)[k] ?? null;
  const f8 = (get: (r: (typeof rows)[number]) => number | boolean | null) =>
    Float64Array.from(rows, (r) => {
      const v = get(r);
      return v === null ? NaN : Number(v);
    });
  const text = (get: (r: (typeof rows)[number]) => string | null) => rows.map(get);
  return {
    length: rows.length,
    columns: [
      f8((r) => r.max_hail_in),
      text((r) => attr(r, 'max_hail_in')),
      f8((r) => r.home_value_cents),
      text((r) => attr(r, 'home_value_cents')),
      f8((r) => r.owner_occupied),
      text((r) => attr(r, 'owner_occupied')),
      text((r) => r.roof_material),
      text((r) => attr(r, 'last_contact_days')),
      text((r) => attr(r, 'crew')),
    ],
  };
}

describe('scoring features from typed columns', () => {
  it('selects one typed column per value, with the attributes fallback beside each numeric field', () => {
    const read = scoringRead(specs);
    expect(read.columns.map((c) => c.type)).toEqual([
      'float8',
      'text',
      'float8',
      'text',
      'float8',
      'text',
      'text',
      'text',
      'text',
    ]);
    expect(read.columns[4]?.sql).toBe('owner_occupied::int::float8');
  });

  it('gives exactly the values toDataset gives for the same rows, fallbacks and edge cases included', () => {
    const fromColumns = scoringRead(specs).dataset(asColumns(), 0);
    const fromRows = toDataset(rows, specs);
    expect(fromColumns.features.map((f) => [f.name, f.kind, Array.from(f.values)])).toEqual(
      fromRows.features.map((f) => [f.name, f.kind, Array.from(f.values)]),
    );
  });
});
