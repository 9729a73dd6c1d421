/** The storm map's data: columns line up, counts match the policy, another tenant cannot read it. */
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx } from '../../../test/helpers.ts';
import { HAIL_CSV } from '../demo/okc-2013-05-20.ts';
import { applyPolicy } from '../policy/policy.service.ts';
import { scoredStorm } from '../policy/test-fixtures.ts';
import { importStormReports } from '../storm-reports/storm-reports.service.ts';
import { getStormMap } from './storm-map.service.ts';

describeEachDatabase('storm map', (t) => {
  it('answers every located property as aligned columns, the hail reports and the arms counted', async () => {
    const { storm, ctx } = await scoredStorm(t().db, 400, 3);
    await importStormReports(ctx, { storm_id: storm.storm_id, text: HAIL_CSV, file_name: '130520_rpts.csv' });
    const run = await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 2 });
    const m = await getStormMap(ctx, storm.storm_id);
    const n = m.properties.count;
    expect(n).toBe(m.counts.located);
    expect(m.counts.properties).toBe(400);
    for (const col of [m.properties.lon, m.properties.lat, m.properties.uplift, m.properties.arm])
      expect(col).toHaveLength(n);
    expect(m.counts).toMatchObject({ scored: n, treat: run.treat, hold: run.hold });
    expect(m.properties.arm.filter((a) => a === 't')).toHaveLength(run.treat);
    expect(m.properties.lat.every((y) => y > 34 && y < 37)).toBe(true);
    expect(m.hail_reports.length).toBeGreaterThan(0);
    expect(m.hail_reports[0]).toMatchObject({ lat: expect.any(Number), lon: expect.any(Number) });
  });

  it("refuses another tenant's storm as not found", async () => {
    const { storm } = await scoredStorm(t().db, 20, 4);
    const other = await newTenant(t().db);
    await expect(getStormMap(tenantCtx(t().db, other.tenantId), storm.storm_id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
