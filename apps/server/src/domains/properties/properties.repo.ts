/**
 * SQL for properties. Bulk statements run on a BulkTx (raw client, one tenant transaction): rows are COPYed into a
 * temporary staging table and moved into `property` by one INSERT ... SELECT that row-level security checks and that
 * dedupes against the storm's existing properties by address key.
 */
import type { BulkTx } from '../../db/bulk.ts';
import type { Trx } from '../../db/database.ts';
import { PROPERTY_COPY_COLUMNS, propertyCopyLine } from './copy-rows.ts';
import type { ImportedProperty } from './property-row.ts';

const STAGE_TYPES: Record<(typeof PROPERTY_COPY_COLUMNS)[number], string> = {
  source_row: 'integer',
  address_line: 'text',
  city: 'text',
  state: 'text',
  zip: 'text',
  lat: 'double precision',
  lon: 'double precision',
  year_built: 'integer',
  roof_age_years: 'double precision',
  roof_material: 'text',
  home_value_cents: 'bigint',
  square_feet: 'integer',
  owner_occupied: 'boolean',
  prior_customer: 'boolean',
  phone: 'text',
  email: 'text',
  external_id: 'text',
  attributes: 'jsonb',
  address_normalized: 'text',
  address_key: 'text',
};

/** What an import writes about a property (every staged column but the source row); address_key is the dedupe key. */
const DATA_COLUMNS = PROPERTY_COPY_COLUMNS.filter((c) => c !== 'source_row');

export async function createStage(tx: BulkTx): Promise<void> {
  const cols = PROPERTY_COPY_COLUMNS.map((c) => `${c} ${STAGE_TYPES[c]}`).join(', ');
  await tx.query(`create temp table property_stage (${cols}) on commit drop`);
}

/** The importer's own COPY encoding (copy-rows.ts), in PROPERTY_COPY_COLUMNS order. */
export const stageLine = (p: ImportedProperty): string => propertyCopyLine(p);

export const STAGE_COPY = `COPY property_stage (${PROPERTY_COPY_COLUMNS.join(', ')}) FROM STDIN`;

/** Moves staged rows into the storm: new addresses inserted, changed ones updated, identical ones left alone. */
export async function mergeStage(
  tx: BulkTx,
  ids: { tenantId: string; stormId: string; importId: string },
): Promise<{ inserted: number; updated: number }> {
  const cols = DATA_COLUMNS.join(', ');
  const changing = DATA_COLUMNS.filter((c) => c !== 'address_key');
  const rows = await tx.query<{ inserted: string; updated: string }>(
    `with moved as (
       insert into property (tenant_id, storm_id, import_id, ${cols}, source_row)
       select $1::uuid, $2::uuid, $3::uuid, ${cols}, source_row from property_stage
       on conflict (tenant_id, storm_id, address_key) do update set
         ${changing.map((c) => `${c} = excluded.${c}`).join(', ')},
         import_id = excluded.import_id, source_row = excluded.source_row, updated_at = now()
       where (${changing.map((c) => `property.${c}`).join(', ')}) is distinct from (${changing.map((c) => `excluded.${c}`).join(', ')})
       returning (xmax = 0) as is_new
     )
     select count(*) filter (where is_new) as inserted, count(*) filter (where not is_new) as updated from moved`,
    [ids.tenantId, ids.stormId, ids.importId],
  );
  return { inserted: Number(rows[0]?.inserted ?? 0), updated: Number(rows[0]?.updated ?? 0) };
}

export async function lockStorm(tx: BulkTx, stormId: string): Promise<{ status: string } | undefined> {
  const rows = await tx.query<{ status: string }>('select status from storm where storm_id = $1 for update', [stormId]);
  return rows[0];
}

export async function countProperties(trx: Trx, stormId: string): Promise<number> {
  const row = await trx
    .selectFrom('property')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('storm_id', '=', stormId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasStormReports(tx: BulkTx, stormId: string): Promise<boolean> {
  const rows = await tx.query<{ found: boolean }>('select exists (select 1 from storm_report where storm_id = $1) as found', [stormId]);
  return rows[0]?.found === true;
}

/** An import record as the API shows it: every column but `seq`, which only orders imports started together. */
export const IMPORT_COLUMNS = [
  'tenant_id',
  'import_id',
  'storm_id',
  'status',
  'source_name',
  'format',
  'mapping',
  'skip_invalid',
  'rows_read',
  'inserted',
  'updated',
  'unchanged',
  'duplicates',
  'invalid',
  'elapsed_ms',
  'error',
  'started_at',
  'finished_at',
] as const;
