/** Delimiter detection from the header line, and the check that tells a mixed-delimiter row from a short row. */
import { ImportError } from './errors.ts';

export type Delimiter = ',' | ';' | '\t' | '|';
export const CANDIDATE_DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** Counts each candidate outside quotes in the header line and picks the most frequent; a tie is an error. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>();
  let inQuotes = false;
  for (let i = 0; i < headerLine.length; i++) {
    const ch = headerLine[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t' || ch === '|')) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  let tie = false;
  for (const d of CANDIDATE_DELIMITERS) {
    const c = counts.get(d) ?? 0;
    if (c > bestCount) {
      best = d;
      bestCount = c;
      tie = false;
    } else if (c > 0 && c === bestCount) tie = true;
  }
  if (tie) {
    throw new ImportError({
      code: 'MIXED_DELIMITERS',
      message: `the header line uses several delimiters equally often (${describeCounts(counts)}); pass the delimiter explicitly`,
      row: 1,
      value: headerLine,
    });
  }
  return best;
}

/**
 * For a row whose field count differs from the header's: the other delimiter that would have given the header's
 * count, if any (the row was written with a different delimiter).
 */
export function otherDelimiterFitting(
  fields: readonly string[],
  delimiter: string,
  expected: number,
): Delimiter | undefined {
  const line = fields.join(delimiter);
  for (const d of CANDIDATE_DELIMITERS) {
    if (d === delimiter) continue;
    if (line.split(d).length === expected) return d;
  }
  return undefined;
}

export function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : d === ',' ? 'comma' : d === ';' ? 'semicolon' : d === '|' ? 'pipe' : JSON.stringify(d);
}

function describeCounts(counts: Map<Delimiter, number>): string {
  return [...counts].map(([d, c]) => `${c} ${delimiterName(d)}`).join(', ');
}
