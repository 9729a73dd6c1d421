/**
 * "The storm's latest applied run" is read by the pilot report and data health, and runs are
 * listed newest first. Two applies can share created_at (now() is the transaction's start; PGlite's clock has
 * millisecond resolution): the latest must still be the one applied last.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx, underBothPlans } from '../../../test/helpers.ts';
import { intendedHoldShare } from '../observability/data-health.repo.ts';
import { appliedRun } from '../pilot/pilot.repo.ts';
import { createStorm } from '../storms/storms.service.ts';
import { DEFAULT_PARAMS, type PolicyMode } from './policy.schema.ts';
import { insertRun, listRuns } from './policy.repo.ts';
import { resolveConfig } from './policy.service.ts';

describeEachDatabase('latest applied policy run', (t) => {
  it('is the run applied last when runs share a timestamp', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const stormId = (await createStorm(tenantCtx(db, tenantId), { eventId: 'RUNS_1', name: 'runs' })).storm_id;
    const modes: PolicyMode[] = ['conservative', 'aggressive', 'moderate'];
    const runIds = modes.map(() => crypto.randomUUID());
    // One transaction: now() is constant inside it, so every run gets the same created_at.
    await db.withTenant(tenantId, async (trx) => {
      for (const [i, mode] of modes.entries()) {
        await resolveConfig(trx, tenantId, mode);
        const shadow = i === modes.length - 1; // a shadow run after them is never the applied one
        await insertRun(trx, {
          tenantId,
          runId: runIds[i]!,
          stormId,
          mode,
          version: 1,
          seed: i,
          shadow,
          params: DEFAULT_PARAMS[mode],
          result: {},
          batch: i + 1,
        });
      }
    });
    const last = 'aggressive';
    const read = await underBothPlans(db, tenantId, async (trx) => ({
      applied: (await appliedRun(trx, stormId))?.mode,
      hold: await intendedHoldShare(trx, stormId),
      listed: (await listRuns(trx, stormId, 10)).map((r) => r.run_id),
    }));
    const expected = {
      applied: last,
      hold: null, // the share homes were assigned under: these runs assigned none
      listed: [...runIds].reverse(),
    };
    expect(read).toEqual({ index: expected, scan: expected });
    const same = await db.withTenant(tenantId, (trx) =>
      sql<{ n: string }>`select count(distinct created_at) as n from policy_run where storm_id = ${stormId}`.execute(
        trx,
      ),
    );
    expect(Number(same.rows[0]?.n)).toBe(1);
  });
});
