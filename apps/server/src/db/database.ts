/**
 * The one database module. Opens embedded PGlite (default; a data folder, locked against a second process) or server
 * Postgres (DATABASE_URL). All application work runs in one of two transaction kinds, never as the table owner:
 * - `withTenant(tenantId, fn)`: role `stormops_tenant`, `app.tenant_id` set for this transaction only; row-level
 *   security confines every statement to that tenant;
 * - `withPlatform(fn)`: role `stormops_platform`, for platform-wide work (provisioning, billing runs, resolving ids).
 */
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { spawn } from 'node:child_process';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { Mutex } from './mutex.ts';
import { pgliteBulk, postgresBulk, type BulkRunner, type BulkTx } from './bulk.ts';
import type { DB } from './schema.ts';

export type Trx = Transaction<DB>;
/** A raw query on one connection (backups' table checksums). */
export type RawQuery = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;
type BackupTo = Database['backupTo'];

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** The owner connection: migrations and tests only. Application code uses withTenant/withPlatform. */
  readonly owner: Kysely<DB>;
  withTenant<T>(tenantId: string, fn: (trx: Trx) => Promise<T>): Promise<T>;
  withPlatform<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** A tenant transaction on the raw client, for COPY-based bulk work (see bulk.ts). Same role and context. */
  withTenantBulk<T>(tenantId: string, fn: (tx: BulkTx) => Promise<T>): Promise<T>;
  /**
   * Writes a full backup of the database to `path` (PGlite: a gzipped data-folder dump; server: pg_dump -Fc) and runs
   * `inSnapshot` on a connection that sees exactly the data backed up (PGlite: under the connection's lock; server: in
   * the repeatable-read transaction whose exported snapshot pg_dump uses). See backup.ts.
   */
  backupTo<T>(path: string, inSnapshot: (query: RawQuery) => Promise<T>): Promise<{ bytes: number; seen: T }>;
  /** Server Postgres: the URL it was opened with (backups run pg_dump/pg_restore against it). */
  readonly url: string | undefined;
  /** Throws DATABASE_UNAVAILABLE unless a trivial query answers. */
  ping(): Promise<void>;
  /**
   * Refreshes the planner's statistics of tables a bulk write just changed (owner rights). PGlite runs no autovacuum:
   * without this, a storm's first report planned its joins for one-row tables and took 5-6 s on 5,000 homes instead
   * of 0.3 s (bench/pilot.bench.ts). Server Postgres would catch up within a minute; it gets the same call.
   */
  analyze(tables: readonly StatsTable[]): Promise<void>;
  close(): Promise<void>;
}

/** Tables whose statistics bulk writes refresh (a closed list: names go into SQL). */
export type StatsTable = 'property' | 'property_score' | 'assignment' | 'knock' | 'outcome';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `template`: a PGlite data-folder dump to start from (tests load a migrated one instead of running initdb). */
export type DatabaseTarget = Config['database'] | { kind: 'pglite-memory'; template?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  switch (target.kind) {
    case 'postgres': {
      const pool = makePool(target.url);
      return wrap(
        'postgres',
        new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
        postgresBulk(pool),
        (path, inSnapshot) => pgDumpSnapshot(pool, target.url, path, inSnapshot),
        undefined,
        target.url,
      );
    }
    case 'pglite':
      return openPGlite(target.dataDir);
    case 'pglite-memory':
      return openPGlite(undefined, target.template);
  }
}

function makePool(url: string): pg.Pool {
  // Every session in UTC, as PGlite always is: a date-only '2026-02-10' is midnight UTC, and ::date or date_trunc of a
  // timestamptz fall on UTC days, whatever TimeZone the server or database is configured with.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c TimeZone=UTC' });
  // A connection can die at any moment (server restart, pg_terminate_backend, network): pg emits 'error' on its
  // client, and an 'error' event with no listener kills the process. The pool listens only while a client is idle,
  // so every client gets its own listener for its whole life, checked out or not. The query in flight fails with
  // the error (a read is retried once, see http/read-retry.ts), and the dead client leaves the pool on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

async function openPGlite(dataDir: string | undefined, template?: Blob): Promise<Database> {
  const lock: DataDirLock | undefined = dataDir ? lockDataDir(dataDir) : undefined;
  try {
    if (dataDir) await makePrivate(dataDir);
    const { PGlite } = await import('@electric-sql/pglite');
    // The Postgres files live in a sub-folder, so the data folder can also hold the lock and local secrets.
    // wal_level=minimal: embedded Postgres feeds no replica, and with it a table filled in the transaction that created
    // it (a temporary staging table) writes no WAL.
    const startParams = [...PGlite.defaultStartParams, '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'];
    const pglite = await PGlite.create({
      startParams,
      ...(dataDir ? { dataDir: join(dataDir, 'pgdata') } : template ? { loadDataDir: template } : {}),
    });
    if (dataDir) await chmodTree(dataDir); // initdb's files
    const mutex = new Mutex();
    const dump: BackupTo = async (path, inSnapshot) => {
      const release = await mutex.lock();
      try {
        // Holding the connection's lock: no transaction runs between the checksums and the dump.
        const seen = await inSnapshot((text) => pglite.query<Record<string, unknown>>(text));
        const blob = await pglite.dumpDataDir('gzip');
        await writeFile(path, Buffer.from(await blob.arrayBuffer()));
        return { bytes: blob.size, seen };
      } finally {
        release();
      }
    };
    return wrap(
      'pglite',
      new Kysely<DB>({ dialect: new PGliteDialect(pglite, mutex) }),
      pgliteBulk(pglite, mutex),
      dump,
      async () => {
        await pglite.close();
        // Files Postgres made while open (new tables) are private already by their 0700 folders; make them 0600 too.
        if (dataDir) await chmodTree(dataDir).catch(() => {});
        lock?.release();
      },
    );
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * The data folder holds every tenant's data: 0700 folders and 0600 files whatever the umask the process started with.
 * PGlite writes its files 0666 whatever the umask, so the umask is tightened for the life of an embedded process (it
 * owns the folder alone: the lock, secrets, uploads) and the tree is made private at open (after initdb) and at close.
 */
async function makePrivate(dataDir: string): Promise<void> {
  process.umask(0o077);
  await chmodTree(dataDir);
}

async function chmodTree(path: string): Promise<void> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  await chmod(path, 0o700);
  for (const e of entries) {
    const child = join(path, e.name);
    if (e.isDirectory()) await chmodTree(child);
    else if (e.isFile()) await chmod(child, 0o600);
  }
}

const TENANT_SETUP = "select set_config('role', 'stormops_tenant', true), set_config('app.tenant_id', $1, true)";

/**
 * pg_dump of the server database in custom format (restore with pg_restore), from the snapshot of a repeatable-read
 * transaction in which `inSnapshot` also runs, so its checksums describe exactly what the dump holds.
 */
async function pgDumpSnapshot<T>(
  pool: pg.Pool,
  url: string,
  path: string,
  inSnapshot: (query: RawQuery) => Promise<T>,
): Promise<{ bytes: number; seen: T }> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snap = await client.query<{ id: string }>('select pg_export_snapshot() as id');
    const seen = await inSnapshot((text) => client.query<Record<string, unknown>>(text));
    const bytes = await pgDump(url, path, snap.rows[0]?.id);
    await client.query('commit');
    return { bytes, seen };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

function pgDump(url: string, path: string, snapshot: string | undefined): Promise<number> {
  const args = ['--format=custom', `--file=${path}`, ...(snapshot ? [`--snapshot=${snapshot}`] : []), url];
  return new Promise((ok, fail) => {
    const child = spawn('pg_dump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) =>
      fail(
        new AppError(
          'DATABASE_UNAVAILABLE',
          `pg_dump could not run (${e.message}): install the PostgreSQL client tools`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? stat(path).then((s) => ok(s.size), fail)
        : fail(new AppError('DATABASE_UNAVAILABLE', `pg_dump failed: ${err.trim()}`)),
    );
  });
}

function wrap(
  kind: Database['kind'],
  owner: Kysely<DB>,
  bulk: BulkRunner,
  backupTo: BackupTo,
  onClose?: () => Promise<void>,
  url?: string,
): Database {
  return {
    kind,
    owner,
    url,
    backupTo,
    withTenantBulk(tenantId, fn) {
      if (!isUuid(tenantId)) throw new AppError('VALIDATION', `tenant id ${JSON.stringify(tenantId)} is not a UUID`);
      return bulk(TENANT_SETUP, [tenantId], fn);
    },
    withTenant(tenantId, fn) {
      if (!isUuid(tenantId)) throw new AppError('VALIDATION', `tenant id ${JSON.stringify(tenantId)} is not a UUID`);
      return owner.transaction().execute(async (trx) => {
        await sql`select set_config('role', 'stormops_tenant', true), set_config('app.tenant_id', ${tenantId}, true)`.execute(
          trx,
        );
        return fn(trx);
      });
    },
    withPlatform(fn) {
      return owner.transaction().execute(async (trx) => {
        await sql`select set_config('role', 'stormops_platform', true)`.execute(trx);
        return fn(trx);
      });
    },
    async analyze(tables) {
      await sql.raw(`analyze ${tables.join(', ')}`).execute(owner);
    },
    async ping() {
      try {
        await sql`select 1`.execute(owner);
      } catch (err) {
        throw new AppError('DATABASE_UNAVAILABLE', `database unreachable: ${(err as Error).message}`);
      }
    },
    async close() {
      await owner.destroy();
      await onClose?.();
    },
  };
}
