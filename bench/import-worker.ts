/**
 * One import in its own process, so its peak RSS is its own: `tsx bench/import-worker.ts <pglite|postgres> FILE [URL]`.
 * Prints one JSON line: the import summary, the raw-COPY time of the same file (postgres), the peak RSS and the
 * process's CPU during the import (microseconds).
 */
import { createReadStream } from 'node:fs';
import { from as copyFrom } from 'pg-copy-streams';
import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { PLATFORM } from '../apps/server/src/domains/auth/principal.ts';
import { importProperties } from '../apps/server/src/domains/properties/properties.service.ts';
import { createStorm } from '../apps/server/src/domains/storms/storms.service.ts';
import { provisionTenant } from '../apps/server/src/domains/tenants/tenants.service.ts';
import { PROPERTIES_CSV_HEADER } from '../apps/server/src/domains/demo/properties-csv.ts';

const [mode, file, url] = process.argv.slice(2) as ['pglite' | 'postgres', string, string | undefined];

/** The floor: the same bytes COPYed as CSV into a bare table of text columns, no validation, no indexes. */
async function rawCopyMs(connection: string): Promise<number> {
  const client = new pg.Client({ connectionString: connection });
  await client.connect();
  const cols = PROPERTIES_CSV_HEADER.split(',')
    .map((c) => `"${c}" text`)
    .join(', ');
  await client.query(`create table bare_copy (${cols})`);
  const t0 = performance.now();
  await pipeline(
    createReadStream(file),
    client.query(copyFrom(`COPY bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)`)),
  );
  const ms = performance.now() - t0;
  await client.query('drop table bare_copy');
  await client.end();
  return ms;
}

const db = await openDatabase(
  mode === 'postgres' ? { kind: 'postgres', url: url as string } : { kind: 'pglite-memory' },
);
await migrate(db);
const ctx = { db, principal: PLATFORM };
const tenant = await provisionTenant(ctx, {
  org_name: `Bench ${Date.now()}`,
  tier: 'enterprise',
  admin_email: 'b@bench.example',
});
const storm = await createStorm(ctx, { tenant_id: tenant.tenant_id, event_id: 'BENCH', name: 'bench' });
const raw = mode === 'postgres' ? await rawCopyMs(url as string) : undefined;
const cpu0 = process.cpuUsage();
const summary = await importProperties(ctx, {
  storm_id: storm.storm_id,
  source: createReadStream(file, { highWaterMark: 1 << 20 }),
  source_name: 'bench.csv',
});
await db.close();
process.stdout.write(
  JSON.stringify({
    summary: { ...summary, errors: summary.errors.length },
    raw_copy_ms: raw,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    cpu: process.cpuUsage(cpu0),
  }) + '\n',
);
