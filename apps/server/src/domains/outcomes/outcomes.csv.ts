/**
 * Outcome CSV files: a header naming property_id and converted, with value (dollars) or value_cents and an optional
 * idempotency_key; every bad row is reported by its line number.
 */
import { ImportError, importErrorToAppError } from '../../lib/csv/errors.ts';
import { openCsv } from '../../lib/csv/reader.ts';
import type { OutcomeFields, RefusedRow } from './outcomes.schema.ts';

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f', '']);

function money(text: string): number | undefined {
  if (text === '') return undefined;
  const n = Number(text.replace(/[$,\s]/g, ''));
  return Number.isFinite(n) ? n : Number.NaN;
}

/** A record longer than this refuses the file without being split (a junk file is often one endless line). */
export const MAX_LINE_CHARS = 64 * 1024;

export type CsvEvent =
  | { kind: 'row'; line: number; fields: OutcomeFields }
  | { kind: 'refused'; refused: RefusedRow }
  | { kind: 'header-error'; refused: RefusedRow };

/**
 * Reads an outcome CSV as it arrives (chunks of text or UTF-8 bytes) through the platform's CSV reader (lib/csv:
 * RFC 4180, quoted line breaks, delimiter detection, a bounded record length) and yields each row or refusal in file
 * order. A header without property_id and converted is one `header-error`; a file that is not a table (binary, an
 * unterminated quote, a row with the wrong number of fields, a record longer than MAX_LINE_CHARS) throws VALIDATION
 * naming the row, before anything is written. `onBytes` sees every chunk (the file's hash is taken from it).
 */
export async function* streamOutcomeCsv(
  source: AsyncIterable<string | Uint8Array>,
  onBytes?: (chunk: string | Uint8Array) => void,
): AsyncGenerator<CsvEvent> {
  const missingColumns: CsvEvent = {
    kind: 'header-error',
    refused: {
      row: 1,
      idempotency_key: null,
      code: 'VALIDATION',
      reason: 'the header must name property_id and converted',
    },
  };
  try {
    let csv;
    try {
      csv = await openCsv(asBytes(source, onBytes), { maxRecordChars: MAX_LINE_CHARS });
    } catch (err) {
      if (err instanceof ImportError && err.code === 'HEADER_ONLY') return; // a header and no rows: nothing to log
      if (err instanceof ImportError && err.code === 'EMPTY_FILE') return yield missingColumns;
      throw err;
    }
    const names = csv.header.map((c) => c.trim().toLowerCase());
    const col = (name: string) => names.indexOf(name);
    const header = {
      pid: col('property_id'),
      conv: col('converted'),
      val: col('value'),
      cents: col('value_cents'),
      key: col('idempotency_key'),
    };
    if (header.pid < 0 || header.conv < 0) return yield missingColumns;
    for await (const batch of csv.batches)
      for (const record of batch)
        yield parseLine(
          record.fields.map((f) => f.trim()),
          record.rowNumber,
          header,
        );
  } catch (err) {
    throw err instanceof ImportError ? importErrorToAppError(err, 'outcomes CSV') : err;
  }
}

async function* asBytes(
  source: AsyncIterable<string | Uint8Array>,
  onBytes: ((chunk: string | Uint8Array) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of source) {
    onBytes?.(chunk);
    yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  }
}

function parseLine(
  f: string[],
  line: number,
  h: { pid: number; conv: number; val: number; cents: number; key: number },
): CsvEvent {
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
      propertyId: f[h.pid] ?? '',
      converted: TRUE.has(flag),
      ...(value !== undefined ? { value } : {}),
      ...(valueCents !== undefined ? { valueCents } : {}),
      ...(k ? { idempotencyKey: k } : {}),
    },
  };
}
