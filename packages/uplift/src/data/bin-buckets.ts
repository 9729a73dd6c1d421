/**
 * Bin codes of a numeric column by bucket table: the value's bucket says how many edges lie below it, then at
 * most four exact comparisons settle the edges inside the bucket. Buckets are evenly spaced in the value (suits
 * features spread evenly or around zero) or in the high word of the value's bits, about a logarithmic scale (suits
 * skewed features spanning many powers of two); the build keeps whichever holds fewer edges per bucket.
 *
 * The table only decides which edges need comparing: every bucket function is non-decreasing in the value, so an
 * edge in a lower bucket is below the value and one in a higher bucket is at or above it. The result is therefore
 * exactly the binary search's (`binOf`), with one table load and one or four comparisons instead of eight
 * dependent ones: `npx tsx bench/binning-parts.ts` times both per value.
 */
import { endianness } from 'node:os';

/** Comparisons after the table lookup when a bucket holds several edges (more falls back to binary search). */
const MAX_STEPS = 4;
/** Table sizes tried, smallest first (a small table stays in the first-level cache). */
const SIZES = [1 << 12, 1 << 14, 1 << 16];
const LITTLE_ENDIAN = endianness() === 'LE';

interface Plan {
  linear: boolean;
  /** Linear: bucket = floor((x - lo) * scale). High word: bucket = (key >>> shift) - base. */
  lo: number;
  scale: number;
  shift: number;
  base: number;
  /** Highest bucket (buckets are clamped to [0, top]). */
  top: number;
  /** Most edges sharing a bucket. */
  most: number;
}

/** The order-preserving unsigned key of a double's high word (as int32 bits). */
function hiKey(hi: number): number {
  return hi ^ ((hi >> 31) | -2147483648);
}

function bucketOf(p: Plan, x: number, hi: number): number {
  if (p.linear) {
    const f = (x - p.lo) * p.scale;
    return f > 0 ? Math.min(Math.floor(f), p.top) : 0;
  }
  const d = (hiKey(hi) >>> p.shift) - p.base;
  return d < 0 ? 0 : Math.min(d, p.top);
}

/** The most edges any one bucket of plan `p` holds. */
function mostPerBucket(p: Plan, edges: Float64Array, words: Int32Array): number {
  let most = 0;
  let run = 0;
  let prev = -1;
  for (let k = 0; k < edges.length; k++) {
    const b = bucketOf(p, edges[k]!, words[2 * k + 1]!);
    run = b === prev ? run + 1 : 1;
    prev = b;
    if (run > most) most = run;
  }
  return most;
}

/** The plan with the fewest edges per bucket (then the smallest table), or null when none holds MAX_STEPS or fewer. */
function choosePlan(edges: Float64Array): Plan | null {
  const nE = edges.length;
  const words = new Int32Array(edges.buffer, edges.byteOffset, 2 * nE);
  const lo = edges[0]!;
  const range = edges[nE - 1]! - lo;
  const kLo = hiKey(words[1]!) >>> 0;
  const kHi = hiKey(words[2 * nE - 1]!) >>> 0;
  let best: Plan | null = null;
  for (const size of SIZES) {
    const plans: Plan[] = [];
    const scale = size / range;
    if (range > 0 && Number.isFinite(scale))
      plans.push({ linear: true, lo, scale, shift: 0, base: 0, top: size, most: 0 });
    let shift = 1;
    while ((kHi >>> shift) - (kLo >>> shift) >= size) shift++;
    plans.push({ linear: false, lo: 0, scale: 0, shift, base: kLo >>> shift, top: size, most: 0 });
    for (const p of plans) {
      p.most = mostPerBucket(p, edges, words);
      if (!best || p.most < best.most) best = p;
    }
    if (best!.most === 1) break;
  }
  return best && best.most <= MAX_STEPS ? best : null;
}

/**
 * Writes the bin code of each value (first b with x <= edges[b], else edges.length; NaN gets `missing`) into
 * `out`. Returns false, writing nothing, when the edges suit no bucket table (the caller then searches).
 * `edges` must be ascending (ties allowed: midpoints of denormals can round alike) and without -0 or NaN
 * (numericEdges makes them so; other layouts are left to the search).
 */
export function binByBuckets(values: Float64Array, edges: Float64Array, missing: number, out: Uint8Array): boolean {
  const nE = edges.length;
  if (nE < 2 || !LITTLE_ENDIAN) return false;
  // A layout made elsewhere (applyBins takes any) must meet the same conditions, or the search does the work.
  for (let k = 0; k < nE; k++) if (!(k === 0 || edges[k]! >= edges[k - 1]!) || Object.is(edges[k], -0)) return false;
  const p = choosePlan(edges);
  if (!p) return false;
  const words = new Int32Array(edges.buffer, edges.byteOffset, 2 * nE);
  const below = new Uint8Array(p.top + 1);
  for (let k = 0, b = 0; b <= p.top; b++) {
    while (k < nE && bucketOf(p, edges[k]!, words[2 * k + 1]!) < b) k++;
    below[b] = k;
  }
  // Edges padded with +Infinity: the extra comparisons past the last edge never move a value on.
  const e = new Float64Array(nE + MAX_STEPS).fill(Infinity);
  e.set(edges);
  const n = out.length;
  const top = p.top;
  // Four flat loops (bucket by value or by bits, one comparison or four): a loop-invariant test inside the loop
  // cost about 0.4 ns a value (10% of the loop), and a call per value more.
  if (p.linear) {
    const { lo, scale } = p;
    if (p.most === 1) {
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        const f = (x - lo) * scale;
        let pos = below[f > 0 ? (f < top ? f | 0 : top) : 0]!;
        pos += +(x > e[pos]!);
        out[i] = x === x ? pos : missing;
      }
      return true;
    }
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      const f = (x - lo) * scale;
      let pos = below[f > 0 ? (f < top ? f | 0 : top) : 0]!;
      pos += +(x > e[pos]!);
      pos += +(x > e[pos]!);
      pos += +(x > e[pos]!);
      pos += +(x > e[pos]!);
      out[i] = x === x ? pos : missing;
    }
    return true;
  }
  const { shift, base } = p;
  const w = new Int32Array(values.buffer, values.byteOffset, 2 * n);
  if (p.most === 1) {
    for (let i = 0; i < n; i++) {
      const hi = w[2 * i + 1]!;
      const d = ((hi ^ ((hi >> 31) | -2147483648)) >>> shift) - base;
      const x = values[i]!;
      let pos = below[d > 0 ? (d < top ? d : top) : 0]!;
      pos += +(x > e[pos]!);
      out[i] = x === x ? pos : missing;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const hi = w[2 * i + 1]!;
    const d = ((hi ^ ((hi >> 31) | -2147483648)) >>> shift) - base;
    const x = values[i]!;
    let pos = below[d > 0 ? (d < top ? d : top) : 0]!;
    pos += +(x > e[pos]!);
    pos += +(x > e[pos]!);
    pos += +(x > e[pos]!);
    pos += +(x > e[pos]!);
    out[i] = x === x ? pos : missing;
  }
  return true;
}
