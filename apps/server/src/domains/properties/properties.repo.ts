/**
 * SQL for properties. Bulk statements run on a BulkTx (raw client, one tenant transaction). `property` has a table
 * per storm (0013): a storm's first import COPYs into its new table, which is then indexed and attached; a later one
 * COPYs into a temporary staging table and merges into `property` by UPDATE ... FROM and INSERT ... SELECT, which
 * row-level security checks, deduplicating against the storm's existing properties by address key.
 */
import type { BulkTx } from '../../db/bulk.ts';
import type { Trx } from '../../db/database.ts';
import { PROPERTY_COPY_COLUMNS } from './copy-rows.ts';

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
  address_key: 'text',
};

/** What an import writes about a property (every staged column but the source row); address_key is the dedupe key. */
const DATA_COLUMNS = PROPERTY_COPY_COLUMNS.filter((c) => c !== 'source_row');

/** The stage: each row's new property id (used if the address is new), then the importer's columns. */
export async function createStage(tx: BulkTx): Promise<void> {
  const cols = PROPERTY_COPY_COLUMNS.map((c) => `${c} ${STAGE_TYPES[c]}`).join(', ');
  await tx.query(`create temp table property_stage (property_id uuid, ${cols}) on commit drop`);
}

/** Chunks of ChunkPacker (import-chunks.ts): binary COPY, the id first, then PROPERTY_COPY_COLUMNS. */
export const STAGE_COPY = `COPY property_stage (property_id, ${PROPERTY_COPY_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`;

/**
 * True when the storm has its property table, that is, once an import into it has committed (0013). The first import
 * into a storm loads a new table instead (beginLoad); the storm row is locked first, so no other import races it.
 */
export async function stormHasTable(tx: BulkTx, stormId: string): Promise<boolean> {
  const rows = await tx.query<{ found: boolean }>(
    'select to_regclass(stormops_property_partition($1)) is not null as found',
    [stormId],
  );
  return rows[0]?.found === true;
}

/** A storm's table being filled by its first import: its COPY, or the INSERT that moves the stage into it. */
export interface StormLoad {
  copySql: string;
  fromStageSql: string;
}

/**
 * Creates the storm's own table for its first import: no index, no row-level security, so rows go in at the cost of
 * the heap alone; tenant, storm and import come from the table's defaults and a check constraint pins the tenant and
 * the storm. Same binary rows as the stage (ChunkPacker).
 */
export async function beginLoad(tx: BulkTx, ids: MergeIds): Promise<StormLoad> {
  const rows = await tx.query<{ name: string }>('select stormops_begin_property_load($1, $2) as name', [
    ids.stormId,
    ids.importId,
  ]);
  const name = rows[0]?.name;
  if (!name || !/^property_[0-9a-f]{32}$/.test(name))
    throw new Error(`no property table was created for storm ${ids.stormId}`);
  const cols = `property_id, ${PROPERTY_COPY_COLUMNS.join(', ')}`;
  return {
    // FREEZE: the table was created in this transaction, so its rows can be written frozen and marked all-visible,
    // which later reads need not do to every page. 2.4 s instead of 3.0 s for a million rows on server Postgres.
    copySql: `COPY ${name} (${cols}) FROM STDIN (FORMAT binary, FREEZE)`,
    fromStageSql: `insert into ${name} (${cols}) select ${cols} from property_stage`,
  };
}

/** Indexes the loaded table (a sort per index instead of one insert per row) and attaches it to `property`. */
export async function finishLoad(tx: BulkTx, stormId: string): Promise<void> {
  await tx.query('select stormops_finish_property_load($1)', [stormId]);
}

export interface MergeIds {
  tenantId: string;
  stormId: string;
  importId: string;
}

/** Inserts the staged rows whose address the storm does not have yet as new properties; returns how many. */
export async function insertStaged(tx: BulkTx, ids: MergeIds): Promise<number> {
  const cols = DATA_COLUMNS.join(', ');
  return tx.command(
    `insert into property (tenant_id, storm_id, import_id, property_id, ${cols}, source_row)
     select $1::uuid, $2::uuid, $3::uuid, property_id, ${cols}, source_row from property_stage s
     where not exists (select 1 from property p where p.tenant_id = $1 and p.storm_id = $2 and p.address_key = s.address_key)`,
    [ids.tenantId, ids.stormId, ids.importId],
  );
}

/** Updates the storm's properties whose staged row differs and returns how many; identical ones are left alone. */
export async function updateStaged(tx: BulkTx, ids: MergeIds): Promise<number> {
  const changing = DATA_COLUMNS.filter((c) => c !== 'address_key');
  return tx.command(
    `update property p set ${changing.map((c) => `${c} = s.${c}`).join(', ')},
       import_id = $3::uuid, source_row = s.source_row, updated_at = now()
     from property_stage s
     where p.tenant_id = $1 and p.storm_id = $2 and p.address_key = s.address_key
       and (${changing.map((c) => `p.${c}`).join(', ')}) is distinct from (${changing.map((c) => `s.${c}`).join(', ')})`,
    [ids.tenantId, ids.stormId, ids.importId],
  );
}

/** Empties the stage for the next chunk of rows. */
export async function clearStage(tx: BulkTx): Promise<void> {
  await tx.query('truncate property_stage');
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
  const rows = await tx.query<{ found: boolean }>(
    'select exists (select 1 from storm_report where storm_id = $1) as found',
    [stormId],
  );
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
