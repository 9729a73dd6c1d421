/**
 * Backups that restore: `create` writes one file (manifest + the database's own dump, backup-file.ts) and records it;
 * `verify` checks the payload's SHA-256, restores it into a scratch database (in-memory PGlite, or a scratch database
 * on the server) and compares every table's row count and checksum with the manifest; `restore` loads it into an
 * empty data folder or an empty server database and checks the same. Each backend keeps its own native dump (PGlite's
 * data-folder tarball, pg_dump's custom format): both carry the whole database (roles' grants, row-level security,
 * functions) without a second description of the schema to keep in step with the migrations.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import {
  appliedMigrations,
  checkPayload,
  differences,
  readManifest,
  sha256OfFile,
  tableSums,
  writeBackupFile,
  type Manifest,
  type TableSum,
} from './backup-file.ts';
import type { Database, RawQuery } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { ensureRoles, pgRestore, requireEmpty, withClient, withScratchDatabase } from './pg-tools.ts';

export interface BackupView {
  backup_id: string;
  location: string;
  bytes: number;
  database: 'pglite' | 'postgres';
  completed_at: string;
  sha256: string;
  tables: number;
  rows: number;
  /** When a restore of it was verified (null with --no-verify). */
  verified_at: string | null;
}

export interface VerifyView {
  backup_id: string;
  database: 'pglite' | 'postgres';
  created_at: string;
  sha256: string;
  tables: number;
  rows: number;
  restore_ms: number;
  verified: true;
}

/** Writes a backup of `db` to `path`, verifies it unless told not to, and records it in backup_log. */
export async function createBackup(db: Database, path: string, opts: { verify?: boolean } = {}): Promise<BackupView> {
  const payload = `${path}.${process.pid}.payload`;
  try {
    const { seen } = await db.backupTo(payload, async (q) => ({
      tables: await tableSums(q),
      migrations: await appliedMigrations(q),
    }));
    const manifest: Manifest = {
      format: 1,
      backup_id: randomUUID(),
      database_kind: db.kind,
      created_at: new Date().toISOString(),
      payload_bytes: (await stat(payload)).size,
      payload_sha256: await sha256OfFile(payload),
      migrations: seen.migrations,
      tables: seen.tables,
    };
    const bytes = await writeBackupFile(path, manifest, payload);
    await db.withPlatform((trx) =>
      trx
        .insertInto('backup_log')
        .values({
          backup_id: manifest.backup_id,
          database_kind: db.kind,
          location: path,
          bytes,
          sha256: manifest.payload_sha256,
        })
        .execute(),
    );
    const verified = opts.verify === false ? null : await verifyBackup(path, { serverUrl: db.url });
    const verifiedAt = verified ? await markVerified(db, manifest.backup_id) : null;
    return {
      backup_id: manifest.backup_id,
      location: path,
      bytes,
      database: db.kind,
      completed_at: manifest.created_at,
      sha256: manifest.payload_sha256,
      ...counts(manifest.tables),
      verified_at: verifiedAt,
    };
  } finally {
    await rm(payload, { force: true });
  }
}

/** Records a successful verification of backup `backupId` (a no-op when the backup came from another database). */
export async function markVerified(db: Database, backupId: string): Promise<string | null> {
  const row = await db.withPlatform((trx) =>
    trx
      .updateTable('backup_log')
      .set({ verified_at: sql<Date>`now()` })
      .where('backup_id', '=', backupId)
      .returning('verified_at')
      .executeTakeFirst(),
  );
  return row?.verified_at ? new Date(row.verified_at).toISOString() : null;
}

/**
 * Checks a backup file end to end. `serverUrl` (a server Postgres backup only): where a scratch database may be
 * created and dropped.
 */
export async function verifyBackup(path: string, opts: { serverUrl?: string | undefined } = {}): Promise<VerifyView> {
  const started = performance.now();
  const { manifest, payloadStart } = await readManifest(path);
  await checkPayload(path, manifest, payloadStart);
  let got: Record<string, TableSum>;
  if (manifest.database_kind === 'pglite') {
    got = await withRestoredPGlite(path, payloadStart, undefined, tableSums);
  } else {
    if (!opts.serverUrl)
      throw new AppError(
        'VALIDATION',
        'verifying a server Postgres backup restores it into a scratch database: set DATABASE_URL to a server where it may create one',
      );
    got = await withScratchDatabase(opts.serverUrl, async (url) => {
      await pgRestore(url, path, payloadStart);
      return sumsAt(url);
    });
  }
  compare(path, manifest, got);
  return {
    backup_id: manifest.backup_id,
    database: manifest.database_kind,
    created_at: manifest.created_at,
    sha256: manifest.payload_sha256,
    ...counts(manifest.tables),
    restore_ms: Math.round(performance.now() - started),
    verified: true,
  };
}

/** Restores a backup into the configured database, which must be empty (a new data folder, or a database with no tables). */
export async function restoreBackup(
  path: string,
  target: Config['database'],
): Promise<VerifyView & { restored_into: string }> {
  const started = performance.now();
  const { manifest, payloadStart } = await readManifest(path);
  if (manifest.database_kind !== target.kind)
    throw new AppError(
      'VALIDATION',
      manifest.database_kind === 'pglite'
        ? 'this is an embedded (PGlite) backup: restore it into a data folder (unset DATABASE_URL, set STORMOPS_DATA_DIR)'
        : 'this is a server Postgres backup: restore it into an empty server database (set DATABASE_URL)',
    );
  await checkPayload(path, manifest, payloadStart);
  let got: Record<string, TableSum>;
  let into: string;
  if (target.kind === 'pglite') {
    into = target.dataDir;
    const pgdata = join(target.dataDir, 'pgdata');
    if (existsSync(pgdata) && readdirSync(pgdata).length > 0)
      throw new AppError(
        'CONFLICT',
        `data folder ${target.dataDir} already holds a database: restore into a new folder`,
      );
    await mkdir(target.dataDir, { recursive: true });
    const lock = lockDataDir(target.dataDir);
    try {
      got = await withRestoredPGlite(path, payloadStart, pgdata, tableSums);
    } finally {
      lock.release();
    }
  } else {
    into = new URL(target.url).pathname.slice(1);
    await requireEmpty(target.url);
    await withClient(target.url, ensureRoles);
    await pgRestore(target.url, path, payloadStart);
    got = await sumsAt(target.url);
  }
  compare(path, manifest, got);
  return {
    backup_id: manifest.backup_id,
    database: manifest.database_kind,
    created_at: manifest.created_at,
    sha256: manifest.payload_sha256,
    ...counts(manifest.tables),
    restore_ms: Math.round(performance.now() - started),
    verified: true,
    restored_into: into,
  };
}

function compare(path: string, manifest: Manifest, got: Record<string, TableSum>): void {
  const bad = differences(manifest.tables, got);
  if (bad.length)
    throw new AppError(
      'VALIDATION',
      `backup ${path}: the restored data differs from the manifest in ${bad.length} table(s)`,
      {
        tables: bad
          .slice(0, 50)
          .map((t) => ({ table: t, expected: manifest.tables[t] ?? null, restored: got[t] ?? null })),
      },
    );
}

function counts(tables: Record<string, TableSum>): { tables: number; rows: number } {
  const all = Object.values(tables);
  return { tables: all.length, rows: all.reduce((s, t) => s + t.rows, 0) };
}

/** Loads a PGlite payload into memory (verify) or into `pgdata` (restore), runs `fn`, closes. */
async function withRestoredPGlite<T>(
  path: string,
  start: number,
  pgdata: string | undefined,
  fn: (q: RawQuery) => Promise<T>,
): Promise<T> {
  const { PGlite } = await import('@electric-sql/pglite');
  const blob = new Blob([(await readFile(path)).subarray(start)]);
  const pglite = await PGlite.create({ loadDataDir: blob, ...(pgdata ? { dataDir: pgdata } : {}) });
  try {
    return await fn((text) => pglite.query<Record<string, unknown>>(text));
  } finally {
    await pglite.close();
  }
}

function sumsAt(url: string): Promise<Record<string, TableSum>> {
  return withClient(url, (c) => tableSums((text) => c.query<Record<string, unknown>>(text)));
}

export interface BackupStatus {
  last_backup_at: string | null;
  last_verified_backup_at: string | null;
  /** Age of the newest verified backup, in hours (null without one). */
  age_hours: number | null;
  /** The playbook's pre-pilot check: a verified backup less than 24 h old. */
  ok: boolean;
}

export const BACKUP_MAX_AGE_HOURS = 24;

/** The newest backup and the newest verified one (readiness details, metrics). */
export async function backupStatus(db: Database, now: Date = new Date()): Promise<BackupStatus> {
  const r = await db.withPlatform((trx) =>
    sql<{ last: Date | null; verified: Date | null }>`select max(completed_at) as last,
      max(completed_at) filter (where verified_at is not null) as verified from backup_log`.execute(trx),
  );
  const last = r.rows[0]?.last ?? null;
  const verified = r.rows[0]?.verified ?? null;
  const age = verified ? (now.getTime() - new Date(verified).getTime()) / 3_600_000 : null;
  return {
    last_backup_at: last ? new Date(last).toISOString() : null,
    last_verified_backup_at: verified ? new Date(verified).toISOString() : null,
    age_hours: age === null ? null : Math.round(age * 100) / 100,
    ok: age !== null && age <= BACKUP_MAX_AGE_HOURS,
  };
}
