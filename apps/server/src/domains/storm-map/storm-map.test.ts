/**
 * The storm map's data: the binary points decode to every located property with its uplift and arm, the counts match
 * the policy, the points follow a change at once, and another tenant gets 404 over real HTTP.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx } from '../../../test/helpers.ts';
import { buildApp } from '../../http/app.ts';
import { HAIL_CSV } from '../demo/okc-2013-05-20.ts';
import { applyPolicy } from '../policy/policy.service.ts';
import { scoredStorm } from '../policy/test-fixtures.ts';
import { importStormReports } from '../storm-reports/storm-reports.service.ts';
import { createStorm } from '../storms/storms.service.ts';
import { byteLength, HEADER_BYTES, NULL_UPLIFT, UPLIFT_SCALE } from './map-points.format.ts';
import { getStormMap, getStormMapPoints } from './storm-map.service.ts';

/** An independent reader of the documented layout (DataView, element by element), not the web app's. */
function decode(buf: Uint8Array) {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = String.fromCharCode(...buf.subarray(0, 4));
  const n = v.getUint32(4, true);
  const points = Array.from({ length: n }, (_, i) => ({
    lon: v.getFloat32(HEADER_BYTES + 4 * i, true),
    lat: v.getFloat32(HEADER_BYTES + 4 * n + 4 * i, true),
    uplift: v.getInt16(HEADER_BYTES + 8 * n + 2 * i, true),
    arm: v.getUint8(HEADER_BYTES + 10 * n + i),
  }));
  return { magic, n, scale: v.getFloat32(8, true), nullCode: v.getInt16(12, true), points };
}

describeEachDatabase('storm map', (t) => {
  it('answers every located property as aligned binary columns, the hail reports and the arms counted', async () => {
    const { storm, ctx, tenant } = await scoredStorm(t().db, 400, 3);
    await importStormReports(ctx, { storm_id: storm.storm_id, text: HAIL_CSV, file_name: '130520_rpts.csv' });
    const run = await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 2 });
    const m = await getStormMap(ctx, storm.storm_id);
    const buf = await getStormMapPoints(ctx, storm.storm_id);
    const d = decode(buf);
    expect([d.magic, d.scale, d.nullCode]).toEqual(['SMP1', UPLIFT_SCALE, NULL_UPLIFT]);
    expect(d.n).toBe(m.counts.located);
    expect(buf.byteLength).toBe(byteLength(d.n));
    expect(m.counts).toMatchObject({ properties: 400, scored: d.n, treat: run.treat, hold: run.hold });
    expect(d.points.filter((p) => p.arm === 1)).toHaveLength(run.treat);
    expect(d.points.filter((p) => p.arm === 2)).toHaveLength(run.hold);
    expect(d.points.every((p) => p.lat > 34 && p.lat < 37 && p.lon > -99 && p.lon < -96)).toBe(true);
    // Each point is its property's: the database's rows in property order, to float32 and 1/S precision.
    const rows = await t().db.withTenant(tenant.tenantId, (trx) =>
      sql<{ lon: number; lat: number; uplift: number | null; arm: string | null }>`
        select p.lon, p.lat, s.uplift, a.arm from property p
        left join property_score s on s.property_id = p.property_id
        left join assignment a on a.property_id = p.property_id
        where p.storm_id = ${storm.storm_id} and p.lat is not null and p.lon is not null
        order by p.property_id`.execute(trx),
    );
    expect(rows.rows).toHaveLength(d.n);
    rows.rows.forEach((r, i) => {
      const p = d.points[i]!;
      expect(Math.abs(p.lon - r.lon)).toBeLessThan(1e-5);
      expect(Math.abs(p.lat - r.lat)).toBeLessThan(1e-5);
      expect(p.uplift).toBe(r.uplift === null ? NULL_UPLIFT : Math.round(r.uplift * UPLIFT_SCALE));
      expect(p.arm).toBe(r.arm === 'treat' ? 1 : r.arm === 'hold' ? 2 : 0);
    });
    expect(m.hail_reports.length).toBeGreaterThan(0);
    expect(m.hail_reports[0]).toMatchObject({ lat: expect.any(Number), lon: expect.any(Number) });
  });

  it('follows the storm at once: the arms of an apply, then scores removed', async () => {
    const { storm, ctx, tenant } = await scoredStorm(t().db, 120, 5);
    const fresh = decode(await getStormMapPoints(ctx, storm.storm_id));
    expect(fresh.points.every((p) => p.uplift !== NULL_UPLIFT && p.arm === 0)).toBe(true);
    const run = await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 3 });
    const applied = decode(await getStormMapPoints(ctx, storm.storm_id));
    expect(applied.points.filter((p) => p.arm === 1)).toHaveLength(run.treat);
    await t().db.withTenant(tenant.tenantId, (trx) =>
      sql`delete from property_score where storm_id = ${storm.storm_id}`.execute(trx),
    );
    const unscored = decode(await getStormMapPoints(ctx, storm.storm_id));
    expect(unscored.points.every((p) => p.uplift === NULL_UPLIFT)).toBe(true);
    expect((await getStormMap(ctx, storm.storm_id)).counts).toMatchObject({ scored: 0, treat: run.treat });
  });

  it('answers a storm without properties with the header alone', async () => {
    const { tenantId } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tenantId);
    const storm = await createStorm(ctx, { event_id: `EMPTY_${Date.now()}`, name: 'Empty storm' });
    const buf = await getStormMapPoints(ctx, storm.storm_id);
    expect(buf.byteLength).toBe(HEADER_BYTES);
    expect(decode(buf)).toMatchObject({ magic: 'SMP1', n: 0 });
    expect((await getStormMap(ctx, storm.storm_id)).counts).toEqual({
      properties: 0,
      located: 0,
      scored: 0,
      treat: 0,
      hold: 0,
    });
  });

  it("refuses another tenant's storm as not found", async () => {
    const { storm } = await scoredStorm(t().db, 20, 4);
    const other = await newTenant(t().db);
    await expect(getStormMap(tenantCtx(t().db, other.tenantId), storm.storm_id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(getStormMapPoints(tenantCtx(t().db, other.tenantId), storm.storm_id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describeEachDatabase('storm map over HTTP', (t) => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: undefined });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('serves the points as octet-stream to the tenant, 404 to another tenant, 401 without a credential', async () => {
    const { storm, tenant } = await scoredStorm(t().db, 50, 8);
    const other = await newTenant(t().db);
    const get = (path: string, token?: string) =>
      fetch(`${base}/v1/storms/${storm.storm_id}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const mine = await get('/map/points', tenant.token);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('application/octet-stream');
    const d = decode(new Uint8Array(await mine.arrayBuffer()));
    expect(d.magic).toBe('SMP1');
    const json = await get('/map', tenant.token);
    expect(json.status).toBe(200);
    expect(((await json.json()) as { counts: { located: number } }).counts.located).toBe(d.n);
    for (const path of ['/map/points', '/map']) {
      const theirs = await get(path, other.token);
      expect(theirs.status).toBe(404);
      expect(((await theirs.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      expect((await get(path)).status).toBe(401);
    }
    const bad = await fetch(`${base}/v1/storms/not-a-uuid/map/points`, {
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    expect(bad.status).toBe(400);
  });
});
