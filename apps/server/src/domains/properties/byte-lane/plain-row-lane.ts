/**
 * The byte lane of the CSV import: one line of printable ASCII (no control byte, nothing above 0x7E; a field may be
 * quoted if no quote is inside it) checked and written as its binary COPY row straight from the file's bytes, with
 * no string per cell and no property object.
 * It takes only what it can decide exactly as the string lane (`PropertyRowValidator` + `PropertyFieldWriter.write`)
 * would, to the byte: a clean value of each field's common spelling. Anything else (a blank or spaced cell, a state
 * name, "$350k", an invalid value, a wrong field count...) returns false with nothing written, and the caller sends
 * the line the string lane's way, which reports it or takes it as before. plain-row-lane.test.ts holds the two lanes
 * to the same bytes over generated files, tricky lines and random mutations.
 */
import { normalizeAddressLine } from '../address-normalize.ts';
import { finishKeyHash, KEY_HASH_SEEDS } from '../address-key-set.ts';
import {
  booleanOf,
  copyBytes,
  decimalOf,
  hasDoubleSpace,
  isJsonSafe,
  isPlainEmail,
  isPlainPhone,
  isStateCode,
  isTrimmed,
  isZip5,
  moneyCentsOf,
} from './byte-cells.ts';
import type { ResolvedMapping } from '../column-mapping.ts';
import { ROW_FIXED_BYTES, type PropertyFieldWriter } from '../copy-rows.ts';
import { CellMemo, StreetMemo } from './lane-memos.ts';
import { LIMITS, type ValidationContext } from '../property-row.ts';
import { toRoofMaterial } from '../roof-material.ts';

const INT32_MAX = 2 ** 31 - 1;

type Index = Readonly<ResolvedMapping['index']>;

export class PlainRowLane {
  /** The 64-bit hash of the last written row's address key, as `AddressKeySet.addOrGet` computes it. */
  h1 = 0;
  h2 = 0;
  /** Where each field's text starts and ends in the current line (inside its quotes, for a quoted field). */
  private readonly cuts: Int32Array;
  private readonly ends: Int32Array;
  private readonly count: number;
  private readonly idx: Index;
  private readonly attributeColumns: readonly number[];
  /** `"name":` of each attribute column as JSON, UTF-8. */
  private readonly attributeNames: Buffer[];
  private readonly materials = new CellMemo(toRoofMaterial);
  private readonly streets = new StreetMemo();

  private constructor(
    m: ResolvedMapping,
    private readonly ctx: ValidationContext,
    private readonly delimiter: number,
  ) {
    this.count = m.columnCount;
    this.cuts = new Int32Array(this.count);
    this.ends = new Int32Array(this.count);
    this.idx = m.index;
    this.attributeColumns = m.attributeColumns;
    this.attributeNames = m.attributeColumns.map((i) => Buffer.from(`${JSON.stringify(m.header[i])}:`, 'utf8'));
  }

  /**
   * A lane for this mapping, or null when its rows always need the string lane: no zip column (the key then holds
   * the city), or an attribute named like an array index (JSON.stringify puts such keys first).
   */
  static for(m: ResolvedMapping, ctx: ValidationContext, delimiter: string): PlainRowLane | null {
    if (m.index.zip < 0 || m.index.address_line < 0 || delimiter.length !== 1) return null;
    if (m.attributeColumns.some((i) => /^\d+$/.test(m.header[i] ?? ''))) return null;
    return new PlainRowLane(m, ctx, delimiter.charCodeAt(0));
  }

  /**
   * Writes the row of the line `buf[start, end)` (no line break) at `w.used` and sets h1/h2; returns false, having
   * written nothing, when the line is not one the lane takes.
   */
  encode(buf: Buffer, start: number, end: number, row: number, w: PropertyFieldWriter): boolean {
    if (!this.split(buf, start, end) || row > INT32_MAX) return false;
    const idx = this.idx;
    const cuts = this.cuts;
    const ends = this.ends;

    const addressAt = idx.address_line;
    const a0 = cuts[addressAt]!;
    const a1 = ends[addressAt]!;
    if (a1 === a0 || a1 - a0 > LIMITS.addressMaxChars || !isTrimmed(buf, a0, a1) || hasDoubleSpace(buf, a0, a1))
      return false;
    if (this.width(idx.city) > 0 && !this.cleanCell(buf, idx.city, true)) return false;
    if (this.width(idx.state) > 0 && !isStateCode(buf, cuts[idx.state]!, ends[idx.state]!)) return false;
    if (!isZip5(buf, cuts[idx.zip]!, ends[idx.zip]!)) return false;

    const lat = this.decimal(buf, idx.lat);
    const lon = this.decimal(buf, idx.lon);
    if (Number.isNaN(lat) || Number.isNaN(lon) || (lat === null) !== (lon === null)) return false;
    if (lat !== null && (lat < -90 || lat > 90 || lon! < -180 || lon! > 180 || (lat === 0 && lon === 0))) return false;
    const yearBuilt = this.decimal(buf, idx.year_built);
    if (
      Number.isNaN(yearBuilt) ||
      (yearBuilt !== null &&
        (yearBuilt < LIMITS.yearBuiltMin || yearBuilt > this.ctx.currentYear || !Number.isInteger(yearBuilt)))
    ) {
      return false;
    }
    const roofAge = this.decimal(buf, idx.roof_age_years);
    if (Number.isNaN(roofAge) || (roofAge !== null && (roofAge < 0 || roofAge > LIMITS.roofAgeMax))) return false;
    const sqft = this.decimal(buf, idx.square_feet);
    if (Number.isNaN(sqft) || (sqft !== null && (sqft < LIMITS.squareFeetMin || sqft > LIMITS.squareFeetMax)))
      return false;
    const homeValue = this.money(buf, idx.home_value_cents);
    if (Number.isNaN(homeValue) || (homeValue !== null && homeValue > LIMITS.homeValueMaxCents)) return false;
    const owner = this.bool(buf, idx.owner_occupied);
    const prior = this.bool(buf, idx.prior_customer);
    if (owner === -1 || prior === -1) return false;
    if (this.width(idx.phone) > 0 && !isPlainPhone(buf, cuts[idx.phone]!, ends[idx.phone]!)) return false;
    if (this.width(idx.email) > 0 && !isPlainEmail(buf, cuts[idx.email]!, ends[idx.email]!)) return false;
    const externalWidth = this.width(idx.external_id);
    if (externalWidth > 0 && (externalWidth > LIMITS.textMaxChars || !this.cleanCell(buf, idx.external_id, false)))
      return false;
    const attributeColumns = this.attributeColumns;
    for (let k = 0; k < attributeColumns.length; k++) {
      const c = attributeColumns[k]!;
      if (this.width(c) > 0 && !isJsonSafe(buf, cuts[c]!, ends[c]!)) return false;
    }
    const materialWidth = this.width(idx.roof_material);
    if (materialWidth > 0 && !this.cleanCell(buf, idx.roof_material, false)) return false;

    // Every check passed: the row is the string lane's, written from the bytes.
    // "<digits> <street>" keeps its digits and normalizes the street alone (address-normalize.ts), memoized by bytes.
    let number = a0;
    while (number < a1 && buf[number]! >= 48 && buf[number]! <= 57) number++;
    const numbered = number > a0 && number < a1 - 1 && buf[number] === 32;
    const normalized = numbered
      ? this.streets.get(buf, number + 1, a1)
      : normalizeAddressLine(buf.toString('latin1', a0, a1));
    const keyPrefix = numbered ? number - a0 : 0;
    const material =
      materialWidth > 0 ? this.materials.get(buf, cuts[idx.roof_material]!, ends[idx.roof_material]!) : null;
    w.reserve(ROW_FIXED_BYTES + (end - start) * 2 + normalized.length * 3 + 16 + this.attributeBytes());
    w.head();
    w.int4(row, 'source_row');
    this.text(buf, w, addressAt);
    this.text(buf, w, idx.city);
    this.text(buf, w, idx.state);
    this.text(buf, w, idx.zip);
    w.float8(lat);
    w.float8(lon);
    w.int4(yearBuilt, 'year_built');
    w.float8(roofAge);
    w.text(material);
    w.int8(homeValue, 'home_value_cents');
    w.int4(sqft === null ? null : Math.round(sqft), 'square_feet');
    w.bool(owner === 2 ? null : owner === 1);
    w.bool(prior === 2 ? null : prior === 1);
    this.phone(buf, w, idx.phone);
    this.email(buf, w, idx.email);
    this.text(buf, w, idx.external_id);
    this.attributes(buf, w);
    this.key(buf, w, a0, keyPrefix, normalized);
    return true;
  }

  /**
   * Finds the fields; false for a wrong field count or anything the lane leaves to the tokenizer: a control byte,
   * a byte above 0x7E, a quote inside a field, a doubled quote, a quoted field not closed on this line.
   */
  private split(buf: Buffer, start: number, end: number): boolean {
    const cuts = this.cuts;
    const ends = this.ends;
    const delimiter = this.delimiter;
    const last = this.count - 1;
    let field = 0;
    let i = start;
    for (;;) {
      if (i < end && buf[i] === 34) {
        // "...": up to the next quote, which must end the field
        const open = i + 1;
        i = open;
        while (i < end && buf[i] !== 34) {
          const c = buf[i]!;
          if (c < 32 || c > 126) return false;
          i++;
        }
        if (i === end) return false;
        cuts[field] = open;
        ends[field] = i;
        i++;
        if (i < end && buf[i] !== delimiter) return false;
      } else {
        cuts[field] = i;
        while (i < end) {
          const c = buf[i]!;
          if (c === delimiter) break;
          if (c < 32 || c > 126 || c === 34) return false;
          i++;
        }
        ends[field] = i;
      }
      if (i === end) return field === last;
      if (field === last) return false;
      field++;
      i++;
    }
  }

  /** Bytes of column `c`'s cell (0 for an absent column). */
  private width(c: number): number {
    return c < 0 ? 0 : this.ends[c]! - this.cuts[c]!;
  }

  /** The cell needs no trimming (and, for `singleSpaced`, holds no two spaces in a row). */
  private cleanCell(buf: Buffer, c: number, singleSpaced: boolean): boolean {
    const a = this.cuts[c]!;
    const b = this.ends[c]!;
    return isTrimmed(buf, a, b) && !(singleSpaced && hasDoubleSpace(buf, a, b));
  }

  /** Column `c`'s cell as a number (decimalOf); null when empty or absent, NaN when not plain. */
  private decimal(buf: Buffer, c: number): number | null {
    return this.width(c) === 0 ? null : decimalOf(buf, this.cuts[c]!, this.ends[c]!);
  }

  /** Column `c`'s cell as cents (moneyCentsOf); null when empty or absent, NaN when malformed. */
  private money(buf: Buffer, c: number): number | null {
    return this.width(c) === 0 ? null : moneyCentsOf(buf, this.cuts[c]!, this.ends[c]!);
  }

  /** 1 true, 0 false, 2 empty or absent, -1 a spelling the string lane decides. */
  private bool(buf: Buffer, c: number): number {
    return this.width(c) === 0 ? 2 : booleanOf(buf, this.cuts[c]!, this.ends[c]!);
  }

  /** Upper bound of the attributes' JSON bytes. */
  private attributeBytes(): number {
    let n = 2;
    const columns = this.attributeColumns;
    for (let k = 0; k < columns.length; k++) n += this.attributeNames[k]!.length + this.width(columns[k]!) + 3;
    return n;
  }

  /** A cell as a text field, or null when empty or absent. */
  private text(buf: Buffer, w: PropertyFieldWriter, c: number): void {
    const n = this.width(c);
    if (n === 0) return w.nul();
    w.view.setInt32(w.used, n);
    copyBytes(buf, this.cuts[c]!, n, w.buf, w.used + 4);
    w.used += 4 + n;
  }

  /** +1 and the ten digits of a 405-555-0123 phone. */
  private phone(buf: Buffer, w: PropertyFieldWriter, c: number): void {
    if (this.width(c) === 0) return w.nul();
    const a = this.cuts[c]!;
    const out = w.buf;
    let at = w.used + 4;
    w.view.setInt32(w.used, 12);
    out[at++] = 43;
    out[at++] = 49;
    for (let i = 0; i < 12; i++) if (i !== 3 && i !== 7) out[at++] = buf[a + i]!;
    w.used += 16;
  }

  /** The address lower-cased, as parseEmail returns it. */
  private email(buf: Buffer, w: PropertyFieldWriter, c: number): void {
    const n = this.width(c);
    if (n === 0) return w.nul();
    const a = this.cuts[c]!;
    const out = w.buf;
    const at = w.used + 4;
    w.view.setInt32(w.used, n);
    for (let i = 0; i < n; i++) {
      const ch = buf[a + i]!;
      out[at + i] = ch >= 65 && ch <= 90 ? ch + 32 : ch;
    }
    w.used += 4 + n;
  }

  /** jsonb: version 1, then JSON.stringify of the non-empty attribute cells, in header order; NULL when none. */
  private attributes(buf: Buffer, w: PropertyFieldWriter): void {
    const columns = this.attributeColumns;
    let any = false;
    for (let k = 0; k < columns.length && !any; k++) any = this.width(columns[k]!) > 0;
    if (!any) return w.nul();
    const out = w.buf;
    const start = w.used;
    let at = start + 5;
    out[start + 4] = 1;
    out[at++] = 123; // {
    let first = true;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      const n = this.width(c);
      if (n === 0) continue;
      if (!first) out[at++] = 44; // ,
      first = false;
      const name = this.attributeNames[k]!;
      copyBytes(name, 0, name.length, out, at);
      at += name.length;
      out[at++] = 34;
      copyBytes(buf, this.cuts[c]!, n, out, at);
      at += n;
      out[at++] = 34;
    }
    out[at++] = 125; // }
    w.view.setInt32(start, at - start - 4);
    w.used = at;
  }

  /**
   * The address key as text, hashed on the way: the house number's `prefix` bytes at `a` and a space before
   * `normalized` (its street; when prefix is 0, the whole normalized line), then "|" and the zip.
   */
  private key(buf: Buffer, w: PropertyFieldWriter, a: number, prefix: number, normalized: string): void {
    const out = w.buf;
    const start = w.used;
    let at = start + 4;
    let h1 = KEY_HASH_SEEDS[0];
    let h2 = KEY_HASH_SEEDS[1];
    const n = normalized.length;
    const space = prefix > 0 && n > 0 ? 1 : 0;
    // house number, space, normalized text, |, zip: one character at a time, as AddressKeySet hashes the string
    const total = prefix + space + n + 6;
    let wide = false;
    const z = this.cuts[this.idx.zip]! - (prefix + space + n + 1);
    for (let i = 0; i < total; i++) {
      let ch: number;
      if (i < prefix) ch = buf[a + i]!;
      else if (i < prefix + space) ch = 32;
      else if (i < prefix + space + n) {
        ch = normalized.charCodeAt(i - prefix - space);
        if (ch > 0x7f) wide = true;
      } else if (i === prefix + space + n) ch = 124;
      else ch = buf[z + i]!;
      out[at++] = ch;
      h1 = Math.imul(h1 ^ ch, 0x01000193);
      h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    if (wide) {
      // non-ASCII in the normalized text: write it again as UTF-8 (the hash above is over its UTF-16 code units)
      at = start + 4 + prefix + space;
      at += out.write(normalized, at, 'utf8');
      out[at++] = 124;
      copyBytes(buf, this.cuts[this.idx.zip]!, 5, out, at);
      at += 5;
    }
    w.view.setInt32(start, at - start - 4);
    w.used = at;
    const hashed = finishKeyHash(h1, h2);
    this.h1 = hashed[0];
    this.h2 = hashed[1];
  }
}
