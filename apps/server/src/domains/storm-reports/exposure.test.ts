import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../demo/random.ts';
import { OKC_2013_05_20_REPORTS } from '../demo/okc-2013-05-20.ts';
import { computeExposure, toPropertyPoints, toReportPoints, type ReportPoints } from './exposure.ts';
import { haversineMiles } from './geo.ts';

function randomReports(n: number, seed: number, box: [number, number, number, number]): ReportPoints {
  const rng = mulberry32(seed);
  const lat = new Float64Array(n),
    lon = new Float64Array(n),
    magnitude = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lat[i] = box[0] + rng() * (box[1] - box[0]);
    lon[i] = box[2] + rng() * (box[3] - box[2]);
    magnitude[i] = i % 17 === 0 ? NaN : Math.round(rng() * 400) / 100;
  }
  return { lat, lon, magnitude };
}

describe('computeExposure', () => {
  it('matches a brute-force cross join on random data', () => {
    const hail = randomReports(400, 1, [34.5, 36.5, -98.5, -96.5]);
    const wind = randomReports(200, 2, [34.5, 36.5, -98.5, -96.5]);
    // properties inside the storm area, around it and far away (nearest search must cross many empty cells)
    const props = randomReports(2000, 3, [33, 38, -100, -95]);
    (props.lat as Float64Array).set([47, 25, 35.5], 0);
    (props.lon as Float64Array).set([-70, -120, -97.5], 0);
    const radius = 5;
    const got = computeExposure({ lat: props.lat as Float64Array, lon: props.lon as Float64Array }, hail, wind, {
      radiusMiles: radius,
    });
    for (let i = 0; i < props.lat.length; i++) {
      let maxHail = 0,
        count = 0,
        nearest = Infinity,
        maxWind = 0,
        windCount = 0;
      for (let k = 0; k < hail.lat.length; k++) {
        const d = haversineMiles(props.lat[i]!, props.lon[i]!, hail.lat[k]!, hail.lon[k]!);
        if (d < nearest) nearest = d;
        if (d <= radius) {
          count++;
          if (hail.magnitude[k]! > maxHail) maxHail = hail.magnitude[k]!;
        }
      }
      for (let k = 0; k < wind.lat.length; k++) {
        if (haversineMiles(props.lat[i]!, props.lon[i]!, wind.lat[k]!, wind.lon[k]!) <= radius) {
          windCount++;
          if (wind.magnitude[k]! > maxWind) maxWind = wind.magnitude[k]!;
        }
      }
      expect(got.maxHailInches[i]).toBe(maxHail);
      expect(got.hailReportsWithin[i]).toBe(count);
      expect(got.nearestHailMiles[i]).toBeCloseTo(nearest, 6);
      expect(got.maxWindKnots[i]).toBe(maxWind);
      expect(got.windReportsWithin[i]).toBe(windCount);
      const k = got.nearestHailIndex[i]!;
      expect(haversineMiles(props.lat[i]!, props.lon[i]!, hail.lat[k]!, hail.lon[k]!)).toBeCloseTo(nearest, 6);
    }
  });

  it('handles no reports and properties without coordinates', () => {
    const none: ReportPoints = { lat: [], lon: [], magnitude: [] };
    const got = computeExposure({ lat: new Float64Array([35, NaN]), lon: new Float64Array([-97, NaN]) }, none);
    expect(got.maxHailInches[0]).toBe(0);
    expect(got.nearestHailMiles[0]).toBe(Infinity);
    expect(got.nearestHailIndex[0]).toBe(-1);
    expect(got.maxHailInches[1]).toBeNaN();
    expect(got.nearestHailIndex[1]).toBe(-1);
  });

  it('golden value: 3 NNW Moore is 5.68 miles from the Will Rogers Airport hail', () => {
    expect(haversineMiles(35.39, -97.6, 35.38, -97.5)).toBeCloseTo(5.67526, 5);
  });

  it('works from parsed reports: a Moore home under the 2.50 in report, a Norman home beyond 5 miles', () => {
    const hail = toReportPoints(OKC_2013_05_20_REPORTS, 'hail');
    const homes = toPropertyPoints([
      { lat: 35.35, lon: -97.49 },
      { lat: 35.22, lon: -97.44 },
      { lat: null, lon: null },
    ]);
    const got = computeExposure(homes, hail, toReportPoints(OKC_2013_05_20_REPORTS, 'wind'));
    expect(got.maxHailInches[0]).toBe(2.5);
    expect(got.maxHailInches[1]).toBe(0);
    expect(got.nearestHailMiles[1]).toBeCloseTo(haversineMiles(35.22, -97.44, 35.38, -97.5), 9);
    expect(got.maxHailInches[2]).toBeNaN();
  });
});
