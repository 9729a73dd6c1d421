/**
 * Equal-width bins of the values that are not `missing` (nor null, nor NaN), each multiplied by `scale`: bin left
 * edges and counts, for a bar chart. Reads typed arrays as they are (the map's Int16 uplift codes), no copy.
 */
export function histogram(
  values: ArrayLike<number | null>,
  bins = 30,
  { missing, scale = 1 }: { missing?: number; scale?: number } = {},
): { edges: number[]; counts: number[] } {
  const skip = (v: number | null): v is null => v === null || v === missing || !Number.isFinite(v);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | null;
    if (skip(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return { edges: [], counts: [] };
  lo *= scale;
  hi *= scale;
  if (hi === lo) hi = lo + 1e-6;
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | null;
    if (skip(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v * scale - lo) / width))]!++;
  }
  return { edges: counts.map((_, i) => lo + i * width), counts };
}
