/** Writes generated properties as a contractor-style CSV (17 columns), streaming in chunks with backpressure. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  generateHistory,
  generateProperties,
  type HistoryRow,
  type Scenario,
  type SyntheticProperty,
} from './generator.ts';
import type { RatesName } from './true-uplift.ts';

export const PROPERTIES_CSV_HEADER =
  'external_id,address,city,state,zip,latitude,longitude,year_built,roof_age,roof_material,home_value,square_feet,' +
  'owner_occupied,prior_customer,phone,email,last_contact_days';

export interface WritePropertiesCsvOptions {
  /** Number of rows. */
  properties: number;
  seed: number;
  scenario?: Scenario;
  /** Called with each property written (e.g. to keep its true uplift for evaluation). */
  onProperty?: (p: SyntheticProperty) => void;
}

/** Writes the CSV to a path or an open stream; resolves when everything is flushed (a path's file is closed). */
export async function writePropertiesCsv(
  target: string | Writable,
  options: WritePropertiesCsvOptions,
): Promise<{ rows: number; bytes: number }> {
  const out = typeof target === 'string' ? createWriteStream(target) : target;
  let bytes = 0;
  let chunk: string[] = [PROPERTIES_CSV_HEADER];
  let rows = 0;
  const flush = async (): Promise<void> => {
    const text = chunk.join('\n') + '\n';
    chunk = [];
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  for (const p of generateProperties({
    count: options.properties,
    seed: options.seed,
    scenario: options.scenario ?? 'okc-2013-05-20',
  })) {
    options.onProperty?.(p);
    chunk.push(csvLine(p));
    rows++;
    if (chunk.length >= 4096) await flush();
  }
  if (chunk.length > 0) await flush();
  if (typeof target === 'string') {
    out.end();
    await once(out, 'finish');
  }
  return { rows, bytes };
}

/** One CSV line; one in ten home values is written "$185,000" (quoted) as spreadsheets export them. */
export function csvLine(p: SyntheticProperty): string {
  const dollars = p.home_value_cents / 100;
  const value = p.index % 10 === 3 ? `"$${withThousands(dollars)}"` : String(dollars);
  return (
    `${p.external_id},${p.address_line},${p.city},${p.state},${p.zip},${p.lat},${p.lon},${p.year_built},` +
    `${p.roof_age_years},${p.roof_material},${value},${p.square_feet},${p.owner_occupied ? 'Y' : 'N'},` +
    `${p.prior_customer ? 'yes' : 'no'},${p.phone ?? ''},${p.email ?? ''},${p.last_contact_days ?? ''}`
  );
}

function withThousands(n: number): string {
  const s = String(Math.round(n));
  let out = '';
  for (let i = s.length; i > 0; i -= 3) out = (i - 3 > 0 ? ',' : '') + s.slice(Math.max(0, i - 3), i) + out;
  return out;
}

/** A past campaign's export: the property columns, each home's public hail exposure, its arm and its outcome. */
export const HISTORY_CSV_HEADER = `${PROPERTIES_CSV_HEADER},max_hail_in,nearest_hail_mi,arm,converted,job_value`;

export function historyCsvLine(p: HistoryRow): string {
  return `${csvLine(p)},${p.hail_inches},${p.nearest_hail_miles},${p.arm},${p.converted ? 1 : 0},${(p.job_value_cents / 100).toFixed(0)}`;
}

/** A whole past campaign in memory (tests, the demo seed): `count` homes randomized 50/50 with drawn outcomes. */
export function historyCsv(count: number, seed: number, rates: RatesName = 'strong'): Buffer {
  const lines = [HISTORY_CSV_HEADER];
  for (const p of generateHistory({ count, seed, rates })) lines.push(historyCsvLine(p));
  return Buffer.from(lines.join('\n') + '\n');
}

/** `count` generated homes as one CSV in memory (the demo seed, tests); for large files use writePropertiesCsv. */
export function propertiesCsv(count: number, seed: number, rates: RatesName = 'strong'): Buffer {
  const lines = [PROPERTIES_CSV_HEADER];
  for (const p of generateProperties({ count, seed, rates })) lines.push(csvLine(p));
  return Buffer.from(lines.join('\n') + '\n');
}
