/** NOAA SPC reports into a storm and the exposure they give its properties, on both backends. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, tenantCtx } from '../../../test/helpers.ts';
import { importProperties, listProperties } from '../properties/properties.service.ts';
import { createStorm } from '../storms/storms.service.ts';
import { haversineMiles } from './geo.ts';
import { importStormReports, recomputeExposure } from './storm-reports.service.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const describeSkipped = (title: string, _body: unknown) => describe.skip(`${title} (needs ../shared/data)`, () => {});
const read = (f: string) => readFileSync(`${DATA}spc/${f}`, 'utf8');

(DATA ? describeEachDatabase : describeSkipped)('storm reports and exposure', (t) => {
  it('imports the 20 May 2013 reports once, and stores exposure that matches a brute-force check', async () => {
    const { tenantId } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tenantId);
    const stormId = (await createStorm(ctx, { event_id: 'OKC', name: 'okc' })).storm_id;
    // Four homes: two in Moore near the hail swath, one in Tulsa, one without coordinates.
    const csv =
      'address,city,state,zip,lat,lon\n1 A St,Moore,OK,73160,35.33,-97.49\n2 B St,Moore,OK,73160,35.34,-97.45\n3 C St,Tulsa,OK,74103,36.15,-95.99\n4 D St,Norman,OK,73069,,\n';
    await importProperties(ctx, { storm_id: stormId, source: [Buffer.from(csv)] });
    const hail = await importStormReports(ctx, {
      storm_id: stormId,
      text: read('130520_rpts_hail.csv'),
      file_name: '130520_rpts_hail.csv',
    });
    expect(hail.read).toEqual({ hail: 99, wind: 0, tornado: 0 });
    expect(hail.inserted).toBe(99);
    const again = await importStormReports(ctx, {
      storm_id: stormId,
      text: read('130520_rpts_hail.csv'),
      file_name: '130520_rpts_hail.csv',
    });
    expect(again).toMatchObject({ inserted: 0, already_present: 99 });
    await importStormReports(ctx, {
      storm_id: stormId,
      text: read('130520_rpts_wind.csv'),
      file_name: '130520_rpts_wind.csv',
    });

    const reports = await t().db.withTenant(tenantId, (trx) =>
      trx.selectFrom('storm_report').selectAll().where('storm_id', '=', stormId).execute(),
    );
    const { properties } = await listProperties(ctx, { storm_id: stormId, limit: 10 });
    for (const p of properties) {
      if (p.lat === null || p.lon === null) {
        expect(p.max_hail_in).toBeNull(); // no coordinates: exposure unknown, not zero
        continue;
      }
      const lat = p.lat;
      const lon = p.lon;
      const hailNear = reports.filter((r) => r.kind === 'hail' && haversineMiles(lat, lon, r.lat, r.lon) <= 5);
      const windNear = reports.filter(
        (r) => r.kind === 'wind' && r.magnitude !== null && haversineMiles(lat, lon, r.lat, r.lon) <= 5,
      );
      const nearest = Math.min(
        ...reports.filter((r) => r.kind === 'hail').map((r) => haversineMiles(lat, lon, r.lat, r.lon)),
      );
      expect(p.max_hail_in, p.address_line).toBe(Math.max(0, ...hailNear.map((r) => r.magnitude ?? 0)));
      expect(p.hail_reports_within).toBe(hailNear.length);
      expect(p.max_wind_kt).toBe(Math.max(0, ...windNear.map((r) => r.magnitude ?? 0)));
      expect(p.nearest_hail_mi).toBeCloseTo(nearest, 9);
    }
    const wider = await recomputeExposure(ctx, { storm_id: stormId, radius: 25 });
    expect(wider.with_hail_within_radius).toBeGreaterThanOrEqual(hail.exposure.with_hail_within_radius);
  });

  it('refuses a malformed report file, naming file, row and column, and writes nothing', async () => {
    const { tenantId } = await newTenant(t().db);
    const ctx = tenantCtx(t().db, tenantId);
    const stormId = (await createStorm(ctx, { event_id: 'BAD', name: 'bad' })).storm_id;
    const text = read('130520_rpts_hail.csv').replace('38.35,-94.46', '138.35,-94.46');
    await expect(
      importStormReports(ctx, { storm_id: stormId, text, file_name: '130520_rpts_hail.csv' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/130520_rpts_hail\.csv, row 2, column Lat/),
    });
    await expect(
      importStormReports(ctx, { storm_id: stormId, text: read('130520_rpts_hail.csv'), file_name: 'hail.csv' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('convective day'),
    });
    await expect(
      importStormReports(ctx, {
        storm_id: stormId,
        text: read('130520_rpts_hail.csv'),
        file_name: '130520_rpts_hail.csv',
        radius: Number('five'),
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('radius'),
    });
    const n = await t().db.withTenant(tenantId, (trx) =>
      trx.selectFrom('storm_report').select('report_id').where('storm_id', '=', stormId).execute(),
    );
    expect(n).toEqual([]);
  });
});
