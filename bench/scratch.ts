/** A migrated scratch database on the benchmark's server Postgres, for benches that need one. */
import { openDatabase, type Database } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createScratchDatabase } from '../apps/server/test/databases.ts';
import type { BenchContext, BenchFigure } from './harness.ts';

/** Runs `fn` on a fresh migrated database (dropped afterwards); with no server Postgres, says so and returns nothing. */
export async function onScratchServer(
  ctx: BenchContext,
  fn: (db: Database, url: string) => Promise<BenchFigure[]>,
): Promise<BenchFigure[]> {
  if (!ctx.databaseUrl) {
    ctx.log('server Postgres: skipped (set STORMOPS_BENCH_DATABASE_URL)');
    return [];
  }
  const scratch = await createScratchDatabase(ctx.databaseUrl);
  const db = await openDatabase({ kind: 'postgres', url: scratch.url });
  try {
    await migrate(db);
    return await fn(db, scratch.url);
  } finally {
    await db.close();
    await scratch.drop();
  }
}

/**
 * Seeds a storm's properties in SQL as the owner, the way an import leaves them: `insert into property (columns)
 * <select>` (one table since migration 0030).
 */
export async function seedStormProperties(
  query: (text: string, params?: unknown[]) => Promise<unknown>,
  s: { columns: string; select: string; params?: unknown[] },
): Promise<void> {
  await query(`insert into property (${s.columns}) ${s.select}`, s.params);
}
