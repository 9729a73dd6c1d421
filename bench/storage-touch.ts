/**
 * One API-like process touching many storms, so its memory is its own: `tsx bench/storage-touch.ts URL STORMS_FILE`.
 * STORMS_FILE holds one `tenant_id storm_id` a line; each storm's first page of properties is read through the
 * service, one after another on one pooled connection. Prints one JSON line: the process's RSS and the Postgres
 * backend's (VmRSS and RssAnon from /proc: anonymous memory is the backend's own, the rest mostly shared buffers).
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { listProperties } from '../apps/server/src/domains/properties/properties.service.ts';

const [url, file] = process.argv.slice(2) as [string, string];
const storms = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(' ') as [string, string]);
const db = await openDatabase({ kind: 'postgres', url });
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
for (const [tenantId, stormId] of storms) {
  await listProperties(
    { db, principal: { kind: 'tenant', tenantId, userId: '00000000-0000-4000-8000-000000000000', role: 'admin' } },
    { storm_id: stormId, limit: 20 },
  );
}
const ms = performance.now() - t0;
const pid = await db.withTenant(storms[0]![0], async (trx) => {
  const r = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  return r.rows[0]!.pid;
});
const status = readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
await db.close();
process.stdout.write(
  JSON.stringify({
    storms: storms.length,
    ms,
    api_rss_mb: process.memoryUsage().rss / 2 ** 20,
    api_rss_before_mb: rssBefore / 2 ** 20,
    backend_rss_mb: kb('VmRSS') / 1024,
    backend_anon_mb: kb('RssAnon') / 1024,
  }) + '\n',
);
