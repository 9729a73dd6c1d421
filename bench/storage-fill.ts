/**
 * Builds the big database of `npm run bench storage` once, in a database of your own, for experiments on the first
 * import that should not pay the fill each time: `createdb -h HOST -U postgres bench_NAME`, then
 * `npx tsx bench/storage-fill.ts postgres://postgres@HOST:5432/bench_NAME` (migrates, then fills it with the same
 * STORMOPS_STORAGE_* shape as the bench: 2 minutes for 100,899 storms / 10M properties on the 2-core machine), then
 * `node --max-semi-space-size=32 --import tsx bench/import-worker.ts postgres FILE URL` for one import beside a raw
 * COPY. bench/first-import-experiments.sql holds the SQL-only measurements of docs/scaling.md.
 */
import { sql } from 'kysely';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { fill } from './storage.bench.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: tsx bench/storage-fill.ts POSTGRES_URL (a database of your own, created empty)');
const db = await openDatabase({ kind: 'postgres', url });
try {
  await migrate(db);
  const t0 = performance.now();
  await fill(db, (m) => console.log(m));
  const c = (
    await sql<{ storms: number; properties: number }>`select (select count(*)::int from storm) as storms,
      (select count(*)::int from property) as properties`.execute(db.owner)
  ).rows[0];
  console.log(`${JSON.stringify(c)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  await db.close();
}
