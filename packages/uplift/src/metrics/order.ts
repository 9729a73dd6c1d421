/**
 * The row order scikit-uplift uses everywhere: `np.argsort(score, kind="mergesort")[::-1]`.
 *
 * A stable ascending sort keeps tied scores in increasing index order; reversing it therefore yields
 * descending scores with ties in DECREASING index order (the last row of a tie comes first). That is not
 * what a stable descending sort would give (ties in increasing index order), and it matters for
 * `uplift_at_k` and `uplift_by_percentile`, which cut inside tie groups. NumPy sorts NaN last in
 * ascending order, so NaN scores come FIRST here, again in decreasing index order.
 */
import type { NumArray } from '../validate.ts';

/**
 * Indices of `score` in sklift's order: descending score, ties by descending index, NaN first.
 *
 * @example
 * skliftOrder([0.5, 0.9, 0.5]); // Int32Array [1, 2, 0]
 */
export function skliftOrder(score: NumArray): Int32Array {
  const n = score.length;
  const s = Float64Array.from(score);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const sa = s[a]!;
    const sb = s[b]!;
    if (sa > sb) return -1;
    if (sa < sb) return 1;
    const na = sa !== sa;
    const nb = sb !== sb;
    if (na !== nb) return na ? -1 : 1;
    return b - a;
  });
  return idx;
}
