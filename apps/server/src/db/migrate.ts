/**
 * Numbered SQL migrations (`migrations/NNNN_name.sql`), the same files on PGlite and server Postgres. Each runs in its
 * own transaction under an advisory lock, so concurrent starters apply each file once. An applied file whose text
 * changed is an error: ship a new migration instead of editing an old one.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { AppError } from '../errors.ts';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 727_001; // any constant shared by all StormOps processes

export interface MigrationFile {
  version: number;
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  version: number;
  name: string;
  applied_at: string | null;
  state: 'applied' | 'pending' | 'changed';
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        checksum: createHash('sha256').update(text).digest('hex'),
        sql: text,
      };
    }),
  );
}

async function ensureTable(db: Database): Promise<void> {
  await sql`create table if not exists schema_migration (
    version integer not null, name text not null, checksum text not null,
    applied_at timestamptz not null default now(),
    constraint schema_migration_pkey primary key (version))`.execute(db.owner);
}

export async function migrationStatus(db: Database, files?: MigrationFile[]): Promise<MigrationStatus[]> {
  await ensureTable(db);
  const all = files ?? (await readMigrations());
  const applied = await db.owner.selectFrom('schema_migration').selectAll().execute();
  const byVersion = new Map(applied.map((row) => [row.version, row]));
  return all.map((file) => {
    const row = byVersion.get(file.version);
    return {
      version: file.version,
      name: file.name,
      applied_at: row ? new Date(row.applied_at).toISOString() : null,
      state: !row ? 'pending' : row.checksum === file.checksum ? 'applied' : 'changed',
    };
  });
}

/** Applies pending migrations; returns the versions applied by this call (empty when already current). */
export async function migrate(db: Database, files?: MigrationFile[]): Promise<number[]> {
  await ensureTable(db);
  const all = files ?? (await readMigrations());
  const appliedNow: number[] = [];
  for (const file of all) {
    const done = await db.owner.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
      const row = await trx
        .selectFrom('schema_migration')
        .selectAll()
        .where('version', '=', file.version)
        .executeTakeFirst();
      if (row) {
        if (row.checksum !== file.checksum) {
          throw new AppError('MIGRATION_FAILED', `migration ${file.version}_${file.name} changed after it was applied`);
        }
        return false;
      }
      await sql.raw(file.sql).execute(trx);
      await trx
        .insertInto('schema_migration')
        .values({ version: file.version, name: file.name, checksum: file.checksum })
        .execute();
      return true;
    });
    if (done) appliedNow.push(file.version);
  }
  return appliedNow;
}

/** True when every migration file is applied unchanged. */
export async function isCurrent(db: Database): Promise<boolean> {
  return (await migrationStatus(db)).every((m) => m.state === 'applied');
}
