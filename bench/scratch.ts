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
 * Seeds a storm's properties in SQL as the owner, the way a first import leaves them (migration 0013): the storm's own
 * table, filled by `insert into <table> (columns) <select>`, then indexed and attached to `property`.
 */
export async function seedStormTable(
  query: (text: string, params?: unknown[]) => Promise<unknown>,
  s: { tenantId: string; stormId: string; columns: string; select: string; params?: unknown[] },
): Promise<void> {
  const t = (await query('select stormops_new_property_table($1, $2) as name', [s.tenantId, s.stormId])) as {
    rows: { name: string }[];
  };
  const name = t.rows[0]?.name;
  if (!name) throw new Error(`no table for storm ${s.stormId}`);
  await query(`insert into ${name} (${s.columns}) ${s.select}`, s.params);
  await query('select stormops_attach_property_table($1)', [s.stormId]);
}
