import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { exportWalkList, logKnock, logKnocks, planTerritories } from './crew.service.ts';
import { applyPolicy, getContamination } from './policy.service.ts';
import { routeKm, splitTerritories, walkingOrder, type Door } from './territories.ts';
import { scoredStorm } from './test-fixtures.ts';

function grid(n: number): Door[] {
  const doors: Door[] = [];
  for (let i = 0; i < n; i++)
    doors.push({
      property_id: `p${String(i).padStart(5, '0')}`,
      lat: 35 + ((i * 7919) % 97) / 1000,
      lon: -97 + ((i * 104729) % 89) / 1000,
    });
  return doors;
}

it('bisection gives k territories of near-equal size, deterministically, each compact', () => {
  const doors = grid(1001);
  const t = splitTerritories(doors, 6);
  expect(t).toHaveLength(6);
  const sizes = t.map((g) => g.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(1001);
  expect(splitTerritories(doors.slice().reverse(), 6)).toEqual(t);
  // Compact: each territory's bounding box is far smaller than the whole area.
  const area = (g: Door[]) =>
    (Math.max(...g.map((d) => d.lat)) - Math.min(...g.map((d) => d.lat))) *
    (Math.max(...g.map((d) => d.lon)) - Math.min(...g.map((d) => d.lon)));
  for (const g of t) expect(area(g)).toBeLessThan(area(doors) / 3);
});

it('walking order visits every door once and is much shorter than an arbitrary order', () => {
  const doors = grid(500);
  const route = walkingOrder(doors);
  expect(new Set(route.map((d) => d.property_id)).size).toBe(500);
  expect(routeKm(route)).toBeLessThan(routeKm(doors) / 3);
  expect(walkingOrder(doors)).toEqual(route);
});

describeEachDatabase('crew work and contamination', (t) => {
  async function appliedStorm() {
    const s = await scoredStorm(t().db, 400, 101);
    return { s, applied: await applyPolicy(s.ctx, { storm_id: s.storm.storm_id, seed: 2 }) };
  }

  it('plans territories and exports CSV and GeoJSON walk lists in walking order', async () => {
    const { s, applied } = await appliedStorm();
    const plan = await planTerritories(s.ctx, { storm_id: s.storm.storm_id, canvassers: ['ann', 'bob', 'cy'] });
    expect(plan.territories.map((x) => x.doors).reduce((a, b) => a + b, 0)).toBe(applied.treat);
    const csv = (await exportWalkList(s.ctx, { storm_id: s.storm.storm_id, territory: 2, format: 'csv' })) as string;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('territory,canvasser,walk_seq,property_id,address,city,zip,lat,lon');
    expect(lines.slice(1).map((l) => Number(l.split(',')[2]))).toEqual(lines.slice(1).map((_, i) => i + 1));
    expect(lines[1]).toContain(',bob,');
    const geo = (await exportWalkList(s.ctx, { storm_id: s.storm.storm_id, format: 'geojson' })) as {
      features: unknown[];
    };
    expect(geo.features).toHaveLength(applied.treat);
  });

  it('flags knocks on hold properties as contamination, replays a knock by its key, refuses an unknown property', async () => {
    const { s, applied } = await appliedStorm();
    const [treatId, holdId] = await t().db.withTenant(s.tenant.tenantId, async (trx) => {
      const r = await sql<{
        arm: string;
        property_id: string;
      }>`select distinct on (arm) arm, property_id from assignment
        where storm_id = ${s.storm.storm_id} and arm in ('treat', 'hold') order by arm, property_id`.execute(trx);
      return [r.rows.find((x) => x.arm === 'treat')!.property_id, r.rows.find((x) => x.arm === 'hold')!.property_id];
    });
    const ok = await logKnock(s.ctx, {
      storm_id: s.storm.storm_id,
      property_id: treatId!,
      canvasser: 'ann',
      result: 'inspection_booked',
    });
    expect(ok).toMatchObject({ contaminated: false, warning: null, arm: 'treat' });
    const bad = await logKnock(s.ctx, {
      storm_id: s.storm.storm_id,
      property_id: holdId!,
      canvasser: 'bob',
      result: 'no_answer',
      idempotency_key: 'kn-1',
    });
    expect(bad.contaminated).toBe(true);
    expect(bad.warning).toMatch(/hold \(control\) group/);
    expect(bad.contamination).toMatchObject({ hold_knocked: 1, property_ids: [holdId] });
    const replay = await logKnock(s.ctx, {
      storm_id: s.storm.storm_id,
      property_id: holdId!,
      canvasser: 'bob',
      result: 'no_answer',
      idempotency_key: 'kn-1',
    });
    expect(replay.knock_id).toBe(bad.knock_id);
    await logKnocks(s.ctx, {
      storm_id: s.storm.storm_id,
      knocks: [
        { property_id: holdId!, canvasser: 'bob', result: 'not_interested', knocked_at: new Date().toISOString() },
      ],
    });
    const c = await getContamination(s.ctx, { storm_id: s.storm.storm_id });
    expect(c).toMatchObject({ hold_knocked: 1, contamination_knocks: 2 });
    expect(c.contamination_rate).toBeCloseTo(1 / applied.hold, 6);
    const again = await applyPolicy(s.ctx, { storm_id: s.storm.storm_id, seed: 2 });
    expect(again.contamination.hold_knocked).toBe(1);
    await expect(
      logKnock(s.ctx, {
        storm_id: s.storm.storm_id,
        property_id: '00000000-0000-4000-8000-000000000000',
        canvasser: 'x',
        result: 'signed',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
