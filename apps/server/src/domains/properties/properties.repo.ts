/**
 * SQL for properties. Bulk statements run on a BulkTx (raw client, one tenant transaction). `property` is one table
 * keyed by tenant (0030). Every import COPYs into a temporary staging table (COPY is refused on a table under
 * row-level security) and moves rows into `property` by INSERT ... SELECT and UPDATE ... FROM, which row-level
 * security checks: a storm's first import chunk by chunk as it is read, a later one the whole file at once,
 * deduplicated against the storm's existing properties by address key.
 */
import type { Selectable } from 'kysely';
import { copyLine, stagedCopy, type BulkTx } from '../../db/bulk.ts';
import type { Trx } from '../../db/database.ts';
import type { PropertyTable } from '../../db/schema.ts';
import type { RowError } from '../../lib/csv/errors.ts';
import type { ColumnMapping } from './column-mapping.ts';
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
 * True when the storm holds properties already. The first import into a storm loads its rows without looking for
 * them (loadAll), a later one merges; the storm row is locked first (lockStorm), so no other import races it.
 */
export async function stormHasProperties(tx: BulkTx, stormId: string): Promise<boolean> {
  const rows = await tx.query<{ found: boolean }>(
    'select exists (select 1 from property where storm_id = $1) as found',
    [stormId],
  );
  return rows[0]?.found === true;
}

/** The statement that moves a staged chunk of a storm's first import into `property`, with its parameters. */
export interface StormLoad {
  fromStageSql: string;
  params: unknown[];
}

/**
 * A storm's first import (0030): each chunk is COPYed into the stage, moved into `property` by one INSERT ... SELECT
 * that row-level security checks, and the stage emptied for the next. Nothing to look up: the file is deduplicated
 * as it is read and the storm has no properties yet.
 */
export function beginLoad(ids: MergeIds): StormLoad {
  const cols = DATA_COLUMNS.join(', ');
  return {
    fromStageSql: `insert into property (tenant_id, storm_id, import_id, property_id, ${cols}, source_row)
      select $1::uuid, $2::uuid, $3::uuid, property_id, ${cols}, source_row from property_stage`,
    params: [ids.tenantId, ids.stormId, ids.importId],
  };
}

/**
 * PGlite's first import (embedded: one contractor, one connection): once the rows moved reach an eighth of what
 * `property` held before, drops the table's three indexes (dropKeys) and builds them again by one sort each at the end
 * (rebuildKeys), all in the import's transaction. PGlite maintained them row by row at about a tenth of the speed
 * (1M rows: 121 s). Small imports keep the indexes. Server Postgres never does this: it would lock every tenant out.
 */
export class PgliteKeyRebuild {
  private dropped = false;
  private constructor(
    private readonly owner: NonNullable<BulkTx['asOwner']>,
    private readonly held: number,
  ) {}

  static async start(tx: BulkTx): Promise<PgliteKeyRebuild | undefined> {
    const owner = tx.asOwner;
    if (!owner) return undefined;
    const held = Number((await owner<{ n: string }>('select count(*) as n from property'))[0]?.n ?? 0);
    return new PgliteKeyRebuild(owner, held);
  }

  /** Before moving a chunk, with the rows moved so far and this chunk's. */
  async beforeMove(movedWithChunk: number): Promise<void> {
    if (this.dropped || movedWithChunk * 8 < this.held) return;
    await this.owner('alter table property drop constraint property_pkey, drop constraint property_address_key');
    await this.owner('drop index property_storm_idx');
    this.dropped = true;
  }

  async finish(): Promise<void> {
    if (!this.dropped) return;
    await this.owner("set local maintenance_work_mem = '256MB'");
    await this.owner('alter table property add constraint property_pkey primary key (tenant_id, property_id)');
    await this.owner(
      'alter table property add constraint property_address_key unique (tenant_id, storm_id, address_key)',
    );
    await this.owner('create index property_storm_idx on property (tenant_id, storm_id, property_id)');
  }
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

/** Rows in the stage. */
export async function stagedRows(tx: BulkTx): Promise<number> {
  return Number((await tx.query<{ n: string }>('select count(*) as n from property_stage'))[0]?.n ?? 0);
}

/** Empties the stage for the next chunk of rows. */
export async function clearStage(tx: BulkTx): Promise<void> {
  await tx.query('truncate property_stage');
}

export async function lockStorm(tx: BulkTx, stormId: string): Promise<{ status: string } | undefined> {
  const rows = await tx.query<{ status: string }>('select status from storm where storm_id = $1 for update', [stormId]);
  return rows[0];
}

/** A page of a storm's properties in id order, after `after` when given. */
export async function propertyPage(
  trx: Trx,
  stormId: string,
  limit: number,
  after: string | undefined,
): Promise<Selectable<PropertyTable>[]> {
  let q = trx.selectFrom('property').selectAll().where('storm_id', '=', stormId).orderBy('property_id').limit(limit);
  if (after) q = q.where('property_id', '>', after);
  return q.execute();
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

/** Imports recorded for a storm, newest first (the last 100). */
export async function stormImports(trx: Trx, stormId: string) {
  return trx
    .selectFrom('property_import')
    .select(IMPORT_COLUMNS)
    .where('storm_id', '=', stormId)
    .orderBy('started_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(100)
    .execute();
}

/** The tenant's saved mapping of that name. */
export async function findMapping(trx: Trx, name: string): Promise<ColumnMapping | undefined> {
  const row = await trx.selectFrom('column_mapping').select('mapping').where('name', '=', name).executeTakeFirst();
  return row?.mapping as ColumnMapping | undefined;
}

/** Saves (or replaces) a named column mapping. */
export async function upsertMapping(trx: Trx, tenantId: string, name: string, mapping: ColumnMapping): Promise<void> {
  await trx
    .insertInto('column_mapping')
    .values({ tenant_id: tenantId, name, mapping: JSON.stringify(mapping) })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'name']).doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: new Date() }),
    )
    .execute();
}

/** A finished import as recorded: its counts, and the first id of its properties (every id it gave shares its prefix). */
export interface ImportRecord {
  tenantId: string;
  importId: string;
  stormId: string;
  sourceName: string | null;
  format: string | null;
  mapping: unknown;
  skipInvalid: boolean;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  invalid: number;
  elapsedMs: number;
  idPrefix: string;
}

/** Records a completed import (an API job's 'running' row is completed in place), with the rows it rejected. */
export async function recordImport(tx: BulkTx, r: ImportRecord, rejected: readonly RowError[]): Promise<void> {
  await tx.query(
    `insert into property_import (tenant_id, import_id, storm_id, status, source_name, format, mapping, skip_invalid,
       rows_read, inserted, updated, unchanged, duplicates, invalid, elapsed_ms, id_prefix, finished_at)
     values ($1, $2, $3, 'completed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
     on conflict (tenant_id, import_id) do update set status = 'completed', rows_read = excluded.rows_read, id_prefix = excluded.id_prefix,
       inserted = excluded.inserted, updated = excluded.updated, unchanged = excluded.unchanged,
       duplicates = excluded.duplicates, invalid = excluded.invalid, elapsed_ms = excluded.elapsed_ms, finished_at = now()`,
    [
      r.tenantId,
      r.importId,
      r.stormId,
      r.sourceName,
      r.format,
      JSON.stringify(r.mapping),
      r.skipInvalid,
      r.rowsRead,
      r.inserted,
      r.updated,
      r.unchanged,
      r.duplicates,
      r.invalid,
      r.elapsedMs,
      r.idPrefix,
    ],
  );
  if (rejected.length === 0) return;
  await stagedCopy(tx, {
    stage: 'import_error_stage',
    columns: 'seq integer, row_number integer, column_name text, value text, code text, reason text',
    rows: rejected.map((e, i) => copyLine([i + 1, e.row, e.column, e.value, e.code, e.reason])),
    insert: `insert into property_import_error (tenant_id, import_id, seq, row_number, column_name, value, code, reason)
      select $1::uuid, $2::uuid, seq, row_number, column_name, value, code, reason from import_error_stage`,
    params: [r.tenantId, r.importId],
  });
}
