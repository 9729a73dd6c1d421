/**
 * Owns public storm reports: parsing NOAA Storm Prediction Center daily CSVs (hail, wind, tornado, and the combined
 * three-section `YYMMDD_rpts.csv`) into typed reports, the geo helpers, and property exposure (exposure.ts) over a
 * spatial grid. Pure: the caller reads the file and stores the reports.
 * SPC facts: Time is HHMM UTC and the convective day runs 12Z-12Z, so 0000-1159 belongs to the next UTC date; hail
 * Size is hundredths of an inch; wind Speed is knots or UNK; F_Scale may be UNK; comments end with "(OFFICE)" and
 * may hold unquoted commas, so fields past the seventh are joined back into the comment.
 */
import { tokenizeCsv } from '../../lib/csv/tokenizer.ts';

export type StormReportKind = 'hail' | 'wind' | 'tornado';

export interface StormReport {
  kind: StormReportKind;
  occurredAt: Date;
  /** Hail: inches; wind: knots (null when UNK); tornado: F/EF number 0-5 (null when UNK). */
  magnitude: number | null;
  location: string;
  county: string;
  state: string;
  lat: number;
  lon: number;
  /** NWS office that issued the report, from the trailing "(OUN)" of the comments. */
  office: string | null;
  /** Comments without the trailing office. */
  comments: string;
  /** Where it came from, for error messages and provenance. */
  source: { file: string; row: number };
}

export interface SpcRowError {
  file: string;
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface SpcParseResult {
  reports: StormReport[];
  errors: SpcRowError[];
}

export interface SpcParseOptions {
  /** File name, used for errors and (when `date` is absent) the convective day from its YYMMDD prefix. */
  fileName?: string;
  /** Convective day start (UTC date), as 'YYYY-MM-DD' or a Date; overrides the file name. */
  date?: string | Date;
  /** For a single-section file without its header line. */
  kind?: StormReportKind;
}

const MAGNITUDE_COLUMN: Record<string, StormReportKind> = { Size: 'hail', Speed: 'wind', F_Scale: 'tornado' };
const OFFICE = /\s*\(([A-Z]{3,4})\)\s*$/;

/** Parses one SPC CSV text (single section or the combined file). */
export function parseSpcReports(text: string, options: SpcParseOptions = {}): SpcParseResult {
  const file = options.fileName ?? 'spc.csv';
  const day = convectiveDay(options);
  const reports: StormReport[] = [];
  const errors: SpcRowError[] = [];
  let kind: StormReportKind | undefined = options.kind;
  for (const { rowNumber, fields } of tokenizeCsv(text)) {
    if (fields[0]?.trim() === 'Time') {
      kind = MAGNITUDE_COLUMN[fields[1]?.trim() ?? ''];
      if (!kind)
        errors.push({
          file,
          row: rowNumber,
          column: 'header',
          value: fields.join(','),
          reason: 'unknown SPC section header',
        });
      continue;
    }
    if (!kind) {
      errors.push({
        file,
        row: rowNumber,
        column: 'header',
        value: fields.join(','),
        reason: 'data before any SPC header line',
      });
      continue;
    }
    const report = parseRow(fields, rowNumber, kind, day, file, errors);
    if (report) reports.push(report);
  }
  return { reports, errors };
}

/** The convective day's UTC date at 00:00, from options.date or the file name's YYMMDD. */
export function convectiveDay(options: SpcParseOptions): Date {
  if (options.date instanceof Date)
    return new Date(Date.UTC(options.date.getUTCFullYear(), options.date.getUTCMonth(), options.date.getUTCDate()));
  if (typeof options.date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.date);
    if (!m) throw new Error(`date must be YYYY-MM-DD, got "${options.date}"`);
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }
  const name = (options.fileName ?? '').split(/[\\/]/).pop() ?? '';
  const m = /^(\d{2})(\d{2})(\d{2})_rpts/.exec(name);
  if (!m)
    throw new Error(`cannot tell the convective day: pass { date } or a file named YYMMDD_rpts*.csv (got "${name}")`);
  const yy = Number(m[1]);
  return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3])));
}

function parseRow(
  fields: string[],
  row: number,
  kind: StormReportKind,
  day: Date,
  file: string,
  errors: SpcRowError[],
): StormReport | null {
  const fail = (column: string, value: string, reason: string): null => {
    errors.push({ file, row, column, value, reason });
    return null;
  };
  if (fields.length < 7) return fail('Time', fields.join(','), `expected 8 fields, found ${fields.length}`);
  const [time = '', mag = '', location = '', county = '', state = '', latText = '', lonText = ''] = fields;
  const comment = fields.slice(7).join(',').trim();
  const t = /^(\d{2})(\d{2})$/.exec(time.trim());
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) return fail('Time', time, 'Time must be HHMM (UTC)');
  const hour = Number(t[1]);
  const occurredAt = new Date(day.getTime() + ((hour < 12 ? 24 : 0) + hour) * 3_600_000 + Number(t[2]) * 60_000);
  const magnitude = parseMagnitude(kind, mag.trim());
  if (magnitude === undefined) return fail(magnitudeColumn(kind), mag, `not a valid ${magnitudeColumn(kind)}`);
  const lat = Number(latText);
  const lon = Number(lonText);
  if (latText.trim() === '' || !Number.isFinite(lat) || lat < -90 || lat > 90)
    return fail('Lat', latText, 'latitude must be -90..90');
  if (lonText.trim() === '' || !Number.isFinite(lon) || lon < -180 || lon > 180)
    return fail('Lon', lonText, 'longitude must be -180..180');
  const office = OFFICE.exec(comment);
  return {
    kind,
    occurredAt,
    magnitude,
    location: location.trim(),
    county: county.trim(),
    state: state.trim(),
    lat,
    lon,
    office: office ? office[1]! : null,
    comments: office ? comment.slice(0, office.index).trim() : comment,
    source: { file, row },
  };
}

/** undefined = invalid; null = UNK. */
function parseMagnitude(kind: StormReportKind, text: string): number | null | undefined {
  if (text === 'UNK' || text === '') return kind === 'hail' ? undefined : null;
  switch (kind) {
    case 'hail': {
      const n = Number(text);
      return Number.isInteger(n) && n > 0 && n < 1000 ? n / 100 : undefined;
    }
    case 'wind': {
      const n = Number(text);
      return Number.isFinite(n) && n > 0 && n < 300 ? n : undefined;
    }
    case 'tornado': {
      const m = /^E?F?([0-5])$/i.exec(text);
      return m ? Number(m[1]) : undefined;
    }
  }
}

function magnitudeColumn(kind: StormReportKind): string {
  return kind === 'hail' ? 'Size' : kind === 'wind' ? 'Speed' : 'F_Scale';
}
