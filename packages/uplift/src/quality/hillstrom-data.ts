/**
 * Hillstrom e-mail experiment loader for the quality tests and benchmarks (reads the CSV text it is given;
 * no I/O here). Treatment = 'Womens E-Mail', control = 'No E-Mail' ('Mens E-Mail' rows are dropped),
 * outcome = visit; features recency, history, mens, womens, newbie (numeric) and zip_code, channel
 * (categorical). history_segment is dropped (a binned copy of history).
 */
import { categoricalFeature, createDataset, numericFeature, type Dataset } from '../data/dataset.ts';

export interface HillstromData {
  ds: Dataset;
  y: Uint8Array;
  treatment: Uint8Array;
}

/** Splits one CSV line, honouring double-quoted fields (history_segment holds values like "6) $750 - $1,000"). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** Parses hillstrom.csv text. */
export function parseHillstrom(text: string): HillstromData {
  const lines = text.trim().split('\n');
  const head = splitCsvLine(lines[0]!.trim());
  const col = (name: string): number => {
    const i = head.indexOf(name);
    if (i < 0) throw new TypeError(`hillstrom.csv lacks column ${name}`);
    return i;
  };
  const idx = {
    recency: col('recency'),
    history: col('history'),
    mens: col('mens'),
    womens: col('womens'),
    zip: col('zip_code'),
    newbie: col('newbie'),
    channel: col('channel'),
    segment: col('segment'),
    visit: col('visit'),
  };
  const rows = lines.slice(1).map((l) => splitCsvLine(l.trim()));
  for (const r of rows)
    if (r.length !== head.length)
      throw new RangeError(`hillstrom.csv row has ${r.length} fields, expected ${head.length}`);
  const kept = rows.filter((r) => r[idx.segment] !== 'Mens E-Mail');
  const num = (k: number): Float64Array => Float64Array.from(kept, (r) => Number(r[k]));
  const ds = createDataset([
    numericFeature('recency', num(idx.recency)),
    numericFeature('history', num(idx.history)),
    numericFeature('mens', num(idx.mens)),
    numericFeature('womens', num(idx.womens)),
    numericFeature('newbie', num(idx.newbie)),
    categoricalFeature(
      'zip_code',
      kept.map((r) => r[idx.zip]!),
      ['Rural', 'Surburban', 'Urban'],
    ),
    categoricalFeature(
      'channel',
      kept.map((r) => r[idx.channel]!),
      ['Multichannel', 'Phone', 'Web'],
    ),
  ]);
  const treatment = Uint8Array.from(kept, (r) => (r[idx.segment] === 'Womens E-Mail' ? 1 : 0));
  const y = Uint8Array.from(kept, (r) => Number(r[idx.visit]));
  return { ds, y, treatment };
}
