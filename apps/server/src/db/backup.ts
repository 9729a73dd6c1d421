/** Backups: write one with the database's own tool, then record it where the health check can see its age. */
import type { Database } from './database.ts';

export async function recordBackup(
  db: Database,
  path: string,
): Promise<{ location: string; bytes: number; database: string; completed_at: string }> {
  const bytes = await db.backupTo(path);
  const row = await db.withPlatform((trx) =>
    trx
      .insertInto('backup_log')
      .values({ database_kind: db.kind, location: path, bytes })
      .returning('completed_at')
      .executeTakeFirstOrThrow(),
  );
  return { location: path, bytes, database: db.kind, completed_at: new Date(row.completed_at).toISOString() };
}
