import { describe, expect, it } from 'vitest';
import { propertiesCsv } from '../../demo/properties-csv.ts';
import { AddressKeySet } from '../address-key-set.ts';
import { resolveMapping } from '../column-mapping.ts';
import { PropertyFieldWriter } from '../copy-rows.ts';
import type { RowError } from '../../../lib/csv/errors.ts';
import { tokenizeCsv } from '../../../lib/csv/tokenizer.ts';
import { PlainRowLane } from './plain-row-lane.ts';
import { PropertyRowValidator } from '../property-row.ts';

const ctx = { currentYear: 2026 };

/**
 * Both lanes over one line: the byte lane either declines (writing nothing) or writes exactly the bytes the string
 * lane writes for a row it accepts, with the key hash AddressKeySet computes. Returns which lane took the line.
 */
function bothLanes(header: string[], line: string, delimiter = ','): 'bytes' | 'strings' | 'rejected' {
  const m = resolveMapping(header);
  const lane = PlainRowLane.for(m, ctx, delimiter)!;
  const bytes = Buffer.from(`#${line}\n`, 'latin1');
  const fast = new PropertyFieldWriter(64);
  const took = lane.encode(bytes, 1, bytes.length - 1, 7, fast);
  const errors: RowError[] = [];
  const fields = fieldsOf(line, delimiter);
  const p =
    fields === null || /[^\x20-\x7e\t]/.test(line) || fields.length !== header.length
      ? null
      : new PropertyRowValidator(m, ctx).validate(fields, 7, errors);
  if (!took) {
    expect(fast.used, line).toBe(0);
    return p === null ? 'rejected' : 'strings';
  }
  expect(p, `the byte lane took a line the string lane rejects: ${line} ${JSON.stringify(errors)}`).not.toBeNull();
  const slow = new PropertyFieldWriter(64);
  slow.write(p!);
  expect(rowHex(fast), line).toBe(rowHex(slow));
  const keys = new AddressKeySet();
  keys.addOrGet(p!.address_key, 99);
  expect(keys.addOrGetHash(lane.h1, lane.h2, 1), `key hash of ${line}`).toBe(99);
  return 'bytes';
}

/** The string lane's fields of one line (the tokenizer's), or null when it refuses the line. */
function fieldsOf(line: string, delimiter: string): string[] | null {
  try {
    const records = tokenizeCsv(line, delimiter);
    return records.length === 1 ? records[0]!.fields : null;
  } catch {
    return null;
  }
}

/** The row written, with its id room (which the packer fills) zeroed. */
function rowHex(w: PropertyFieldWriter): string {
  const row = Buffer.from(w.buf.subarray(0, w.used));
  row.fill(0, 6, 22);
  return row.toString('hex');
}

function generated(count: number, seed: number): { header: string[]; lines: string[] } {
  const [head, ...lines] = propertiesCsv(count, seed)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');
  return { header: head!.split(','), lines: lines };
}

/** A seeded xorshift, so a failure names a reproducible mutation. */
function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('PlainRowLane', () => {
  it('writes the string lane’s bytes for the generator’s lines, and takes nearly all of them', () => {
    const { header, lines } = generated(3000, 11);
    const took = lines.filter((l) => bothLanes(header, l) === 'bytes').length;
    expect(took).toBeGreaterThan(lines.length * 0.99);
  });

  it('declines what it cannot decide exactly, and the string lane decides it', () => {
    const header = [
      'address',
      'city',
      'state',
      'zip',
      'lat',
      'lon',
      'year_built',
      'roof_age',
      'roof_material',
      'home_value',
      'square_feet',
      'owner_occupied',
      'prior_customer',
      'phone',
      'email',
      'external_id',
      'notes',
      'gate code',
    ];
    const row = (over: Partial<Record<string, string>>) =>
      header
        .map(
          (h) =>
            over[h] ??
            (
              {
                address: '12 NW 5th St',
                city: 'Moore',
                state: 'OK',
                zip: '73160',
                lat: '35.3',
                lon: '-97.5',
                year_built: '1990',
                roof_age: '4',
                roof_material: 'Metal',
                home_value: '250000',
                square_feet: '1800',
                owner_occupied: 'Y',
                prior_customer: 'no',
                phone: '405-555-0101',
                email: 'a@b.co',
                external_id: 'X1',
                notes: 'back gate',
                'gate code': '',
              } as Record<string, string>
            )[h]!,
        )
        .join(',');
    const cases: [Partial<Record<string, string>>, 'bytes' | 'strings' | 'rejected'][] = [
      [{}, 'bytes'],
      [{ state: 'ok' }, 'strings'],
      [{ state: 'Oklahoma' }, 'strings'],
      [{ state: 'ZZ' }, 'rejected'],
      [{ city: ' Moore' }, 'strings'],
      [{ city: 'Del  City' }, 'strings'],
      [{ address: '12  NW 5th St' }, 'strings'],
      [{ address: '' }, 'rejected'],
      [{ address: 'One Main St' }, 'bytes'],
      [{ zip: '73160-1234' }, 'strings'],
      [{ zip: '' }, 'strings'],
      [{ zip: '7316' }, 'strings'],
      [{ lat: '', lon: '' }, 'bytes'],
      [{ lat: '' }, 'rejected'],
      [{ lat: '0', lon: '0' }, 'rejected'],
      [{ lat: '-0', lon: '0' }, 'rejected'],
      [{ lat: '91' }, 'rejected'],
      [{ lat: '1e1' }, 'strings'],
      [{ lat: '35.123456789012345' }, 'strings'],
      [{ year_built: '1990.5' }, 'rejected'],
      [{ year_built: '1990.0' }, 'bytes'],
      [{ year_built: '2027' }, 'rejected'],
      [{ roof_age: '2.5' }, 'bytes'],
      [{ home_value: '$250000.005' }, 'bytes'],
      [{ home_value: 'USD 1200' }, 'bytes'],
      [{ home_value: '250k' }, 'rejected'],
      [{ home_value: '' }, 'bytes'],
      [{ square_feet: '1800.6' }, 'bytes'],
      [{ owner_occupied: 'yes', prior_customer: 'false' }, 'bytes'],
      [{ owner_occupied: 'YES' }, 'strings'],
      [{ owner_occupied: 'maybe' }, 'rejected'],
      [{ phone: '(405) 555-0101' }, 'strings'],
      [{ phone: '405-555-010' }, 'rejected'],
      [{ email: 'A.Person@Example.COM' }, 'bytes'],
      [{ email: 'a@b' }, 'rejected'],
      [{ email: 'a@.b' }, 'rejected'],
      [{ email: 'a@b.' }, 'rejected'],
      [{ email: 'a b@c.d' }, 'rejected'],
      [{ email: '@b.co' }, 'rejected'],
      [{ roof_material: 'Concrete Tile' }, 'bytes'],
      [{ roof_material: 'thatch' }, 'bytes'],
      [{ external_id: 'x'.repeat(201) }, 'rejected'],
      [{ notes: 'a\\b' }, 'strings'],
      [{ notes: ' padded' }, 'strings'],
      [{ notes: '', 'gate code': '1234' }, 'bytes'],
    ];
    for (const [over, expected] of cases) expect([over, bothLanes(header, row(over))]).toEqual([over, expected]);
    expect(bothLanes(header, `${row({})},extra`)).toBe('rejected');
  });

  it('holds to the string lane under random mutations of real lines', () => {
    const { header, lines } = generated(400, 5);
    const next = random(20261204);
    const alphabet = ' ,.-$#0123456789aZyY\\\t;@|xX"';
    const seen = { bytes: 0, strings: 0, rejected: 0 };
    for (let k = 0; k < 6000; k++) {
      let line = lines[Math.floor(next() * lines.length)]!;
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (line.length + 1));
        const ch = alphabet[Math.floor(next() * alphabet.length)]!;
        const op = next();
        line =
          op < 0.4
            ? line.slice(0, at) + ch + line.slice(at)
            : op < 0.7
              ? line.slice(0, at) + ch + line.slice(at + 1)
              : line.slice(0, at) + line.slice(at + 1);
      }
      seen[bothLanes(header, line)]++;
    }
    // every outcome happens, so the comparison covers each
    expect(Math.min(seen.bytes, seen.strings, seen.rejected)).toBeGreaterThan(100);
  });

  it('is not offered for mappings whose rows it could never write', () => {
    expect(PlainRowLane.for(resolveMapping(['address', 'city', 'state']), ctx, ',')).toBeNull();
    expect(PlainRowLane.for(resolveMapping(['address', 'zip', '2024']), ctx, ',')).toBeNull();
    expect(PlainRowLane.for(resolveMapping(['address', 'zip']), ctx, ';')).not.toBeNull();
  });

  it('keeps a column named __proto__ as an attribute, as the string lane does', () => {
    expect(bothLanes(['address', 'zip', '__proto__'], '1 Main St,73160,x')).toBe('bytes');
  });

  it('reads semicolon and tab files the same way', () => {
    const { header, lines } = generated(200, 3);
    for (const d of [';', '\t']) {
      for (const l of lines.filter((x) => !x.includes('"')).slice(0, 100))
        expect(bothLanes(header, l.split(',').join(d), d)).toBe('bytes');
      expect(
        bothLanes(
          header,
          lines[0]!
            .split(',')
            .map((f) => `"${f}"`)
            .join(d),
          d,
        ),
      ).toBe('bytes');
    }
  });
});
