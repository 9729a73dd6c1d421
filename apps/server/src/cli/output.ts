/** Human-readable output for the CLI: objects as aligned `key: value` lines, arrays of objects as tables. */

/** A number as a person reads it: six significant digits at most (13.900000000000002 reads 13.9); JSON stays exact. */
export function humanNumber(value: number): string {
  return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return humanNumber(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows as an aligned text table; `columns` (keys of the row type) pick and order them, all keys otherwise. */
export function table<Row extends object>(rows: readonly Row[], columns?: readonly (keyof Row & string)[]): string {
  if (rows.length === 0) return '(none)';
  const cols: readonly string[] = columns ?? Object.keys(rows[0] ?? {});
  const at = (r: Row, c: string) => (r as Record<string, unknown>)[c];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(at(r, c)).length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(cols),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(cols.map((c) => cell(at(r, c))))),
  ].join('\n');
}

/** An object as aligned `key  value` lines (nested objects inline as k=v, arrays as their count). */
export function keyValues(obj: object): string {
  const entries = Object.entries(obj);
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries
    .map(([k, v]) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const inner = Object.entries(v as Record<string, unknown>)
          .map(([ik, iv]) => `${ik}=${cell(iv)}`)
          .join(' ');
        return `${k.padEnd(width)}  ${inner || '-'}`;
      }
      return `${k.padEnd(width)}  ${Array.isArray(v) ? `${v.length} item(s)` : cell(v)}`;
    })
    .join('\n');
}

export function render(result: unknown): string {
  if (Array.isArray(result)) return table(result as Record<string, unknown>[]);
  if (result && typeof result === 'object') return keyValues(result as Record<string, unknown>);
  return cell(result);
}
