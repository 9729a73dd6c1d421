/**
 * Outcome CSV files: a header naming property_id and converted, with value (dollars) or value_cents and an optional
 * idempotency_key. Simple comma-separated values with optional double quotes; every bad line is reported by number.
 */
import type { OutcomeFields, RefusedRow } from './outcomes.schema.ts';

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f', '']);

export interface ParsedCsv {
  rows: { line: number; fields: OutcomeFields }[];
  refused: RefusedRow[];
}

/** Splits one line on commas outside double quotes ("" is a quote inside a quoted field). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function money(text: string): number | undefined {
  if (text === '') return undefined;
  const n = Number(text.replace(/[$,\s]/g, ''));
  return Number.isFinite(n) ? n : Number.NaN;
}

export function parseOutcomeCsv(text: string): ParsedCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [pid, conv, val, cents, key] = [
    col('property_id'),
    col('converted'),
    col('value'),
    col('value_cents'),
    col('idempotency_key'),
  ];
  if (pid < 0 || conv < 0) {
    return {
      rows: [],
      refused: [
        { row: 1, idempotency_key: null, code: 'VALIDATION', reason: 'the header must name property_id and converted' },
      ],
    };
  }
  const rows: ParsedCsv['rows'] = [];
  const refused: RefusedRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = splitCsvLine(raw);
    const line = i + 1;
    const k = key >= 0 ? f[key] || undefined : undefined;
    const flag = (f[conv] ?? '').toLowerCase();
    if (!TRUE.has(flag) && !FALSE.has(flag)) {
      refused.push({
        row: line,
        idempotency_key: k ?? null,
        code: 'VALIDATION',
        reason: `converted: ${JSON.stringify(f[conv])} is not true/false`,
      });
      continue;
    }
    const value = val >= 0 ? money(f[val] ?? '') : undefined;
    const valueCents = cents >= 0 ? money(f[cents] ?? '') : undefined;
    rows.push({
      line,
      fields: {
        propertyId: f[pid] ?? '',
        converted: TRUE.has(flag),
        ...(value !== undefined ? { value } : {}),
        ...(valueCents !== undefined ? { valueCents } : {}),
        ...(k ? { idempotencyKey: k } : {}),
      },
    });
  }
  return { rows, refused };
}
