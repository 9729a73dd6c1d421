import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { enc, runImport } from '../properties/import-test-helpers.ts';
import { drawOutcome, drawOutcomes, generateHistory, generateProperties, type SyntheticProperty } from './generator.ts';
import { OKC_2013_05_20_HAIL } from './okc-2013-05-20.ts';
import { writePropertiesCsv } from './properties-csv.ts';
import { mulberry32 } from './random.ts';
import { rawUplift, trueUplift, type UpliftFeatures } from './true-uplift.ts';

const take = (count: number, seed: number): SyntheticProperty[] => [...generateProperties({ count, seed })];

async function csvText(properties: number, seed: number): Promise<string> {
  const parts: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk.toString());
      done();
    },
  });
  await writePropertiesCsv(sink, { properties, seed });
  return parts.join('');
}

describe('demo generator (okc-2013-05-20)', () => {
  it('is deterministic by seed', async () => {
    expect(take(500, 7)).toEqual(take(500, 7));
    expect(take(50, 7)).not.toEqual(take(50, 8));
    expect(await csvText(300, 3)).toBe(await csvText(300, 3));
  });

  it('mulberry32 golden values (the reference implementation gives 0.6270739405881613 first for seed 1)', () => {
    const rng = mulberry32(1);
    expect([rng(), rng(), rng()].map((x) => x.toFixed(8))).toEqual(['0.62707394', '0.00273572', '0.52744704']);
  });

  it('embeds the real OUN hail reports of 20 May 2013', () => {
    expect(OKC_2013_05_20_HAIL).toHaveLength(9);
    expect(OKC_2013_05_20_HAIL.map((r) => r.magnitude).sort()).toContain(3.25);
  });

  it('places plausible properties in the metro, many under the hail swath', () => {
    const props = take(5000, 11);
    const zips = new Set(props.map((p) => p.zip));
    expect(zips.has('73160')).toBe(true);
    for (const p of props) {
      expect(p.lat).toBeGreaterThan(34.9);
      expect(p.lat).toBeLessThan(35.9);
      expect(p.lon).toBeGreaterThan(-98);
      expect(p.lon).toBeLessThan(-97.1);
      expect(p.home_value_cents % 100).toBe(0);
      expect(p.true_uplift).toBeGreaterThanOrEqual(-0.1);
      expect(p.base_conversion + p.true_uplift).toBeLessThanOrEqual(0.95);
    }
    const hit = props.filter((p) => p.hail_inches > 0).length / props.length;
    expect(hit).toBeGreaterThan(0.2);
    expect(hit).toBeLessThan(0.8);
  });

  it('true uplift follows the story: hail, old roofs, owners, mid values; negative after a recent knock', () => {
    const base: UpliftFeatures = {
      hailInches: 2.5,
      roofAgeYears: 20,
      ownerOccupied: true,
      homeValueCents: 20_000_000,
      priorCustomer: false,
      daysSinceContact: null,
    };
    expect(trueUplift(base)).toBeGreaterThan(trueUplift({ ...base, hailInches: 1 }));
    expect(trueUplift({ ...base, hailInches: 0.5 })).toBeCloseTo(0.015, 6);
    expect(trueUplift(base)).toBeGreaterThan(trueUplift({ ...base, roofAgeYears: 2 }));
    expect(trueUplift(base)).toBeGreaterThan(trueUplift({ ...base, ownerOccupied: false }));
    expect(trueUplift(base)).toBeGreaterThan(trueUplift({ ...base, homeValueCents: 90_000_000 }));
    expect(rawUplift({ ...base, hailInches: 0, daysSinceContact: 10 })).toBeLessThan(0);
  });

  it('history: 50/50 arms and outcomes drawn from base + arm * tau', () => {
    const rows = [...generateHistory({ count: 40_000, seed: 5 })];
    const treat = rows.filter((r) => r.arm === 'treat');
    const hold = rows.filter((r) => r.arm === 'hold');
    expect(treat.length / rows.length).toBeGreaterThan(0.48);
    expect(treat.length / rows.length).toBeLessThan(0.52);
    const rate = (rs: typeof rows): number => rs.filter((r) => r.converted).length / rs.length;
    const meanTau = rows.reduce((s, r) => s + r.true_uplift, 0) / rows.length;
    expect(rate(treat) - rate(hold)).toBeGreaterThan(meanTau - 0.015);
    expect(rate(treat) - rate(hold)).toBeLessThan(meanTau + 0.015);
    for (const r of rows) {
      if (r.converted) {
        expect(r.job_value_cents).toBeGreaterThanOrEqual(800_000);
        expect(r.job_value_cents).toBeLessThanOrEqual(2_500_000);
      } else expect(r.job_value_cents).toBe(0);
    }
    const p = rows[0]!;
    expect(drawOutcome(p, 'treat', 5)).toEqual(drawOutcome(p, 'treat', 5));
    expect(drawOutcomes([p, p], ['treat', 'hold'], 5)).toHaveLength(2);
  });

  it('writes a CSV the importer reads back with no errors and no duplicates', async () => {
    const text = await csvText(20_000, 9);
    const out = await runImport(enc(text), { currentYear: 2025, chunkSize: 4096 });
    expect(out.error).toBeUndefined();
    expect(out.rowErrors).toEqual([]);
    expect(out.properties).toHaveLength(20_000);
    const first = take(1, 9)[0]!;
    expect(out.properties[0]).toMatchObject({
      external_id: first.external_id,
      zip: first.zip,
      lat: first.lat,
      home_value_cents: first.home_value_cents,
    });
    expect(out.properties.filter((p) => p.home_value_cents === null)).toHaveLength(0);
    expect(new Set(out.properties.map((p) => p.roof_material)).size).toBeGreaterThanOrEqual(6);
  });
});
