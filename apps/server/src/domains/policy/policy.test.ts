import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx } from '../../../test/helpers.ts';
import { createStorm } from '../storms/storms.service.ts';
import { applyPolicy, configurePolicy, getPolicy, listPolicyRuns, maxTargets } from './policy.service.ts';
import { importInto, scoreStorm, scoredStorm } from './test-fixtures.ts';
import type { Database } from '../../db/database.ts';

async function arms(db: Database, tenantId: string, stormId: string) {
  return db.withTenant(tenantId, async (trx) => {
    const r = await sql<{ property_id: string; arm: string; stratum: string | null; uplift: number }>`
      select property_id, arm, stratum, uplift from assignment where storm_id = ${stormId} order by property_id`.execute(
      trx,
    );
    return r.rows;
  });
}

it('maxTargets keeps treat within capacity for any offset', () => {
  for (const h of [0.1, 0.2, 0.5, 0.9]) {
    for (const u of [0, 0.3, 0.999]) {
      for (const c of [1, 7, 100, 2400]) {
        const k = maxTargets(c, h, u);
        expect(k - Math.floor(k * h + u)).toBeLessThanOrEqual(c);
        expect(k + 1 - Math.floor((k + 1) * h + u)).toBeGreaterThan(c);
      }
    }
  }
});

describeEachDatabase('policy apply', (t) => {
  it('applies the moderate default: counts, shares, capacity and expected value; version 1 recorded', async () => {
    const { storm, ctx } = await scoredStorm(t().db, 1000, 11);
    const r = await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 5 });
    expect(r.policy_version).toBe(1);
    expect(r.treat + r.hold + r.excluded).toBe(1000);
    expect(r.treat + r.hold).toBeLessThanOrEqual(250); // top_share 0.25
    expect(r.hold).toBeGreaterThan(0);
    expect(Math.abs(r.hold - 0.2 * (r.treat + r.hold))).toBeLessThanOrEqual(1);
    expect(r.treat_pct).toBeCloseTo((100 * r.treat) / 1000, 1);
    expect(r.capacity).toBe(4 * 60 * 10);
    expect(r.capacity_used).toBe(r.treat);
    expect(r.expected_incremental_conversions).toBeGreaterThan(0);
    expect(r.expected_incremental_revenue_cents).toBe(Math.round(r.expected_incremental_revenue * 100));
    expect(r.contamination.hold_knocked).toBe(0);
    // About 200 on the knock list and 50 held out cannot detect a 10-pt lift: said before anyone knocks.
    expect(r.detectable_lift).toMatchObject({ base_rate_source: 'planning', underpowered: true });
    expect(r.warnings.join(' ')).toContain('smallest lift detectable at 80% power');
    const rows = await arms(t().db, storm.tenant_id, storm.storm_id);
    expect(rows).toHaveLength(r.treat + r.hold); // only the arms are rows; excluded is the complement
    const minTarget = Math.min(...rows.map((x) => x.uplift));
    const maxExcluded = await t().db.withTenant(storm.tenant_id, async (trx) =>
      Number(
        (
          await sql<{ m: number }>`select max(uplift) as m from property_score s where storm_id = ${storm.storm_id}
        and not exists (select 1 from assignment a where a.property_id = s.property_id)`.execute(trx)
        ).rows[0]!.m,
      ),
    );
    expect(minTarget).toBeGreaterThanOrEqual(maxExcluded); // the best are targeted
  });

  it('never changes arms on re-apply, and randomizes later properties on their own', async () => {
    const db = t().db;
    const a = await scoredStorm(db, 600, 21);
    await applyPolicy(a.ctx, { storm_id: a.storm.storm_id, seed: 99 });
    const armsA = await arms(db, a.tenant.tenantId, a.storm.storm_id);
    expect(armsA.filter((r) => r.arm === 'hold').length).toBeGreaterThan(0);
    const again = await applyPolicy(a.ctx, { storm_id: a.storm.storm_id, seed: 12345 });
    expect(again.newly_assigned).toBe(0);
    expect(await arms(db, a.tenant.tenantId, a.storm.storm_id)).toEqual(armsA);
    // Another design on a storm with arms is refused unless asked for as a new batch, which then has its own
    // number; the arms already written stay as they were.
    await expect(
      applyPolicy(a.ctx, { storm_id: a.storm.storm_id, seed: 12345, mode: 'aggressive' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('--new-batch') });
    expect(await arms(db, a.tenant.tenantId, a.storm.storm_id)).toEqual(armsA);
    const wider = await applyPolicy(a.ctx, {
      storm_id: a.storm.storm_id,
      seed: 12345,
      mode: 'aggressive',
      new_batch: true,
    });
    expect(wider).toMatchObject({ batch: 2, mode: 'aggressive' });
    expect(again.batch).toBe(1);
    expect(wider.newly_assigned).toBeGreaterThan(0);
    const widened = await arms(db, a.tenant.tenantId, a.storm.storm_id);
    const before = new Map(armsA.map((r) => [r.property_id, r.arm]));
    for (const r of widened) if (before.has(r.property_id)) expect(r.arm).toBe(before.get(r.property_id));
    const armsW = widened;
    // Later properties: imported and scored after the first apply, randomized among themselves.
    const uplift = await importInto(db, a.storm.storm_id, 900, 22);
    await scoreStorm(db, a.tenant.tenantId, a.storm.storm_id, (id) => uplift.get(id) ?? 0);
    const third = await applyPolicy(a.ctx, { storm_id: a.storm.storm_id, seed: 99, mode: 'aggressive' });
    expect(third.batch).toBe(2); // the same design: the current batch
    expect(third.newly_assigned).toBeGreaterThan(0);
    expect(third.newly_assigned).toBe(third.treat + third.hold - armsW.length);
    const after = await arms(db, a.tenant.tenantId, a.storm.storm_id);
    const old = new Map(armsA.map((r) => [r.property_id, r.arm]));
    for (const r of after) if (old.has(r.property_id)) expect(r.arm).toBe(old.get(r.property_id));
    const runs = await listPolicyRuns(a.ctx, { storm_id: a.storm.storm_id });
    expect(runs).toHaveLength(4);
  });

  it('same seed gives the same arms on a fresh copy of the same storm', async () => {
    const db = t().db;
    const tenant = await newTenant(db);
    const ctx = tenantCtx(db, tenant.tenantId);
    const s1 = await createStorm(ctx, { event_id: 'S1', name: 'one' });
    const up = await importInto(db, s1.storm_id, 500, 31);
    await scoreStorm(db, tenant.tenantId, s1.storm_id, (id) => up.get(id) ?? 0);
    const first = await applyPolicy(ctx, { storm_id: s1.storm_id, seed: 3, shadow: true });
    const second = await applyPolicy(ctx, { storm_id: s1.storm_id, seed: 3, shadow: true });
    expect({ ...second, run_id: '', created_at: '' }).toEqual({ ...first, run_id: '', created_at: '' });
    const other = await applyPolicy(ctx, { storm_id: s1.storm_id, seed: 4, shadow: true });
    expect(other.treat + other.hold).toBe(first.treat + first.hold);
    // Shadow writes no arms.
    expect(await arms(db, tenant.tenantId, s1.storm_id)).toHaveLength(0);
    const applied1 = await applyPolicy(ctx, { storm_id: s1.storm_id, seed: 3 });
    const rows1 = await arms(db, tenant.tenantId, s1.storm_id);
    await db.withTenant(tenant.tenantId, (trx) =>
      sql`delete from assignment where storm_id = ${s1.storm_id}`.execute(trx),
    );
    await applyPolicy(ctx, { storm_id: s1.storm_id, seed: 3 });
    expect(await arms(db, tenant.tenantId, s1.storm_id)).toEqual(rows1);
    await db.withTenant(tenant.tenantId, (trx) =>
      sql`delete from assignment where storm_id = ${s1.storm_id}`.execute(trx),
    );
    await applyPolicy(ctx, { storm_id: s1.storm_id, seed: 4 });
    const rows4 = await arms(db, tenant.tenantId, s1.storm_id);
    expect(rows4.map((r) => r.arm)).not.toEqual(rows1.map((r) => r.arm));
    expect(applied1.treat).toBe(first.treat);
  });

  it('respects crew capacity, breaks ties by property id, and balances hold within strata', async () => {
    const db = t().db;
    const tenant = await newTenant(db, 'enterprise');
    const ctx = tenantCtx(db, tenant.tenantId);
    const storm = await createStorm(ctx, { event_id: 'TIES', name: 'ties' });
    await importInto(db, storm.storm_id, 400, 41);
    await scoreStorm(db, tenant.tenantId, storm.storm_id, () => 0.1); // every score equal
    const cfg = await configurePolicy(ctx, {
      mode: 'custom',
      params: { crews: 1, doors_per_day: 10, days: 3, top_share: 1 },
    });
    expect(cfg.version).toBe(2);
    expect(cfg.capacity).toBe(30);
    expect((await configurePolicy(ctx, { mode: 'custom', params: { crews: 1 } })).version).toBe(2); // no change, no version
    const r = await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'custom', seed: 8 });
    expect(r.policy_version).toBe(2);
    expect(r.treat).toBeLessThanOrEqual(30);
    expect(r.treat).toBeGreaterThanOrEqual(29);
    const targeted = (await arms(db, tenant.tenantId, storm.storm_id)).map((x) => x.property_id).sort();
    const all = await db.withTenant(tenant.tenantId, async (trx) =>
      (
        await sql<{ property_id: string }>`select property_id from property where storm_id = ${storm.storm_id}`.execute(
          trx,
        )
      ).rows.map((x) => x.property_id),
    );
    expect(targeted).toEqual(all.sort().slice(0, targeted.length));
    expect((await getPolicy(ctx, { mode: 'custom', version: 1 })).params.crews).toBe(4);
  });

  it('balances hold within decile strata', async () => {
    const { storm, ctx, tenant } = await scoredStorm(t().db, 3000, 51);
    await configurePolicy(ctx, { mode: 'custom', params: { top_share: 1, min_uplift: -1, hold_share: 0.3 } });
    await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'custom', seed: 1 });
    const rows = (await arms(t().db, tenant.tenantId, storm.storm_id)).filter((x) => x.arm !== 'excluded');
    const byDecile = new Map<string, { n: number; hold: number }>();
    for (const r of rows) {
      const d = r.stratum!.slice(0, 3);
      const s = byDecile.get(d) ?? { n: 0, hold: 0 };
      s.n++;
      if (r.arm === 'hold') s.hold++;
      byDecile.set(d, s);
    }
    expect(byDecile.size).toBe(10);
    for (const s of byDecile.values()) expect(Math.abs(s.hold - 0.3 * s.n)).toBeLessThanOrEqual(12); // <= 1 per ZIP stratum
  });

  it('refuses a storm with no scores, naming how many and how to score; reports partly unscored ones', async () => {
    const db = t().db;
    const tenant = await newTenant(db);
    const ctx = tenantCtx(db, tenant.tenantId);
    const storm = await createStorm(ctx, { event_id: 'NOSCORE', name: 'n' });
    await importInto(db, storm.storm_id, 50, 61);
    await expect(applyPolicy(ctx, { storm_id: storm.storm_id })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/none of the 50 properties.*stormops model score/),
    });
    let i = 0;
    await scoreStorm(db, tenant.tenantId, storm.storm_id, () => (i++ % 2 ? 0.2 : Number.NaN)); // NaN rows dropped below
    await db.withTenant(tenant.tenantId, (trx) =>
      sql`delete from property_score where uplift = 'NaN'::float8`.execute(trx),
    );
    const r = await applyPolicy(ctx, { storm_id: storm.storm_id });
    expect(r.unscored).toBe(25);
    expect(r.warnings[0]).toMatch(/25 properties have no uplift score/);
    expect(r.treat + r.hold + r.excluded).toBe(25);
  });

  it('another tenant cannot apply to a storm it does not own', async () => {
    const { storm } = await scoredStorm(t().db, 20, 71);
    const other = await newTenant(t().db);
    await expect(applyPolicy(tenantCtx(t().db, other.tenantId), { storm_id: storm.storm_id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
