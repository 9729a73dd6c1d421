/**
 * Jobs belong to a process: a second API process starting on the same database (or any process' periodic sweep)
 * marks interrupted only the running imports whose owner stopped beating, never a live process' import. Before:
 * start-up marked every running import interrupted while its process went on to finish it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { markInterruptedImports } from '../src/domains/properties/import-jobs.service.ts';
import { createStorm } from '../src/domains/storms/storms.service.ts';
import { JobRegistry } from '../src/jobs/job-registry.ts';
import { startJobHeartbeat } from '../src/jobs/job-heartbeat.ts';
import { describeEachDatabase } from './databases.ts';
import { newTenant, operator } from './helpers.ts';

describeEachDatabase('job ownership', (t) => {
  async function runningImport(tenantId: string, stormId: string, owner: string | null, beatSecondsAgo: number) {
    const id = randomUUID();
    await t().db.withTenant(tenantId, (trx) =>
      sql`insert into property_import (tenant_id, import_id, storm_id, status, owner_id, heartbeat_at)
          values (${tenantId}, ${id}, ${stormId}, 'running', ${owner},
                  case when ${owner}::text is null then null else now() - make_interval(secs => ${beatSecondsAgo}) end)`.execute(
        trx,
      ),
    );
    return id;
  }
  async function statusOf(tenantId: string, id: string) {
    return t().db.withTenant(tenantId, async (trx) => {
      const r = await trx.selectFrom('property_import').select('status').where('import_id', '=', id).executeTakeFirst();
      return r?.status;
    });
  }

  it('marks interrupted only imports whose owner stopped beating; the heartbeat keeps a live one running', async () => {
    const { tenantId } = await newTenant(t().db);
    const storm = await createStorm(operator(t().db), {
      tenant_id: tenantId,
      event_id: `JOBS_${randomUUID()}`,
      name: 'Jobs',
    });
    const live = await runningImport(tenantId, storm.storm_id, 'other-host:1:live', 5);
    const dead = await runningImport(tenantId, storm.storm_id, 'other-host:2:dead', 300);
    const legacy = await runningImport(tenantId, storm.storm_id, null, 0);

    // A second process starting now: the sweep of start-up on server Postgres.
    await markInterruptedImports(t().db, { staleAfterMs: 60_000 });
    expect(await statusOf(tenantId, live)).toBe('running');
    expect(await statusOf(tenantId, dead)).toBe('interrupted');
    expect(await statusOf(tenantId, legacy)).toBe('interrupted');

    // This process' own import, its heartbeat two minutes old: a beat renews it, the sweep leaves it alone.
    const jobs = new JobRegistry();
    let finish = () => {};
    jobs.start('job', null, () => new Promise<void>((r) => (finish = r)));
    const mine = await runningImport(tenantId, storm.storm_id, jobs.ownerId, 120);
    const beat = startJobHeartbeat(t().db, jobs, { everyMs: 3_600_000, staleAfterMs: 60_000 });
    await beat.tick();
    beat.stop();
    expect(await statusOf(tenantId, mine)).toBe('running');
    expect(await statusOf(tenantId, live)).toBe('running');
    const fresh = await t().db.withTenant(tenantId, (trx) =>
      sql<{ age: number }>`select extract(epoch from now() - heartbeat_at)::float8 as age
                           from property_import where import_id = ${mine}`.execute(trx),
    );
    expect(fresh.rows[0]!.age).toBeLessThan(30);
    finish();
    await jobs.drain();
  });
});
