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
        property_id: f[pid] ?? '',
        converted: TRUE.has(flag),
        ...(value !== undefined ? { value } : {}),
        ...(valueCents !== undefined ? { value_cents: valueCents } : {}),
        ...(k ? { idempotency_key: k } : {}),
      },
    });
  }
  return { rows, refused };
}

/** A line longer than this is refused without being split (a junk file is often one endless line). */
export const MAX_LINE_CHARS = 64 * 1024;

export type CsvEvent =
  | { kind: 'row'; line: number; fields: OutcomeFields }
  | { kind: 'refused'; refused: RefusedRow }
  | { kind: 'header-error'; refused: RefusedRow };

/**
 * The streaming form of parseOutcomeCsv: reads the CSV as it arrives (chunks of text or UTF-8 bytes) and yields each
 * row or refusal in order, holding at most one line (and at most MAX_LINE_CHARS of it) in memory. `onBytes` sees every
 * chunk (the file's hash is taken from it).
 */
export async function* streamOutcomeCsv(
  source: AsyncIterable<string | Uint8Array>,
  onBytes?: (chunk: string | Uint8Array) => void,
): AsyncGenerator<CsvEvent> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let lineNo = 0;
  let skipping = false; // inside an over-long line: drop text until its end
  let header: { pid: number; conv: number; val: number; cents: number; key: number } | undefined;
  let first = true;

  function* take(raw: string, overlong: boolean): Generator<CsvEvent> {
    lineNo++;
    if (first) {
      first = false;
      raw = raw.replace(/^\uFEFF/, '');
    }
    if (overlong) {
      const refused: RefusedRow = {
        row: lineNo,
        idempotency_key: null,
        code: 'VALIDATION',
        reason: `line is longer than ${MAX_LINE_CHARS} characters`,
      };
      yield header ? { kind: 'refused', refused } : { kind: 'header-error', refused };
      return;
    }
    if (!header) {
      const h = splitCsvLine(raw).map((c) => c.toLowerCase());
      const col = (name: string) => h.indexOf(name);
      header = {
        pid: col('property_id'),
        conv: col('converted'),
        val: col('value'),
        cents: col('value_cents'),
        key: col('idempotency_key'),
      };
      if (header.pid < 0 || header.conv < 0)
        yield {
          kind: 'header-error',
          refused: {
            row: 1,
            idempotency_key: null,
            code: 'VALIDATION',
            reason: 'the header must name property_id and converted',
          },
        };
      return;
    }
    if (raw.trim() === '') return;
    yield parseLine(raw, lineNo, header);
  }

  for await (const chunk of source) {
    onBytes?.(chunk);
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (;;) {
      const nl = text.indexOf('\n');
      if (nl < 0) {
        if (skipping) break;
        pending += text;
        if (pending.length > MAX_LINE_CHARS) {
          yield* take('', true);
          pending = '';
          skipping = true;
        }
        break;
      }
      const piece = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (skipping) {
        skipping = false;
        continue;
      }
      const raw = (pending + piece).replace(/\r$/, '');
      pending = '';
      if (raw.length > MAX_LINE_CHARS) yield* take('', true);
      else yield* take(raw, false);
    }
  }
  pending += decoder.decode();
  if (!skipping && pending !== '') yield* take(pending.replace(/\r$/, ''), pending.length > MAX_LINE_CHARS);
}

function parseLine(
  raw: string,
  line: number,
  h: { pid: number; conv: number; val: number; cents: number; key: number },
): CsvEvent {
  const f = splitCsvLine(raw);
  const k = h.key >= 0 ? f[h.key] || undefined : undefined;
  const flag = (f[h.conv] ?? '').toLowerCase();
  if (!TRUE.has(flag) && !FALSE.has(flag))
    return {
      kind: 'refused',
      refused: {
        row: line,
        idempotency_key: k ?? null,
        code: 'VALIDATION',
        reason: `converted: ${JSON.stringify((f[h.conv] ?? '').slice(0, 100))} is not true/false`,
      },
    };
  const value = h.val >= 0 ? money(f[h.val] ?? '') : undefined;
  const valueCents = h.cents >= 0 ? money(f[h.cents] ?? '') : undefined;
  return {
    kind: 'row',
    line,
    fields: {
      property_id: f[h.pid] ?? '',
      converted: TRUE.has(flag),
      ...(value !== undefined ? { value } : {}),
      ...(valueCents !== undefined ? { value_cents: valueCents } : {}),
      ...(k ? { idempotency_key: k } : {}),
    },
  };
}
