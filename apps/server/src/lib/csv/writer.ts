/**
 * The one CSV writer for every CSV the platform hands out (rejected import rows, walk lists, the CLI's error files).
 * Cells are quoted when they hold a quote, the delimiter or a line break; and a text cell that a spreadsheet would
 * run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with a single quote, so
 * `=cmd|x!A1` from an uploaded file reads back as text (OWASP "CSV injection"). Numbers are written as they are.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const s = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (no line ending). */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}
