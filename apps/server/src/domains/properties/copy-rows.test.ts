import { describe, expect, it } from 'vitest';
import { resolveMapping } from './column-mapping.ts';
import { copyPrefix, PROPERTY_COPY_COLUMNS, propertyCopyLine, text } from './copy-rows.ts';
import { validatePropertyRow } from './property-row.ts';

describe('COPY text lines', () => {
  it('escapes specials and writes \\N for nulls, one field per column', () => {
    const m = resolveMapping(['address', 'zip', 'notes']);
    const p = validatePropertyRow(['1 Main St', '73160', 'tab\there\\'], 7, m, [], { currentYear: 2025 })!;
    const line = propertyCopyLine(p, copyPrefix(['t1', 42]));
    expect(line.endsWith('\n')).toBe(true);
    const fields = line.slice(0, -1).split('\t');
    expect(fields).toHaveLength(2 + PROPERTY_COPY_COLUMNS.length);
    expect(fields.slice(0, 5)).toEqual(['t1', '42', '7', '1 Main St', '\\N']);
    expect(fields.at(-3)).toBe('{"notes":"tab\\\\there\\\\\\\\"}');
    expect(text('a\nb\rc')).toBe('a\\nb\\rc');
  });
});
