/**
 * Multiple-testing adjustments for families of p-values (e.g. lift per territory or per storm).
 * Both return adjusted p-values in the input order, like R's `p.adjust`.
 */
import { assertClosedUnit } from './validate.ts';

function sortedOrder(pValues: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(pValues.length);
  for (let i = 0; i < order.length; i++) {
    assertClosedUnit(`pValues[${i}]`, pValues[i] ?? NaN);
    order[i] = i;
  }
  return order.sort((a, b) => (pValues[a] ?? 0) - (pValues[b] ?? 0));
}

/**
 * Holm (1979) step-down adjustment; controls the family-wise error rate. Same as R `p.adjust(p, "holm")`.
 *
 * @example
 * holmAdjust([0.01, 0.02, 0.03, 0.04, 0.05]); // [0.05, 0.08, 0.09, 0.09, 0.09]
 */
export function holmAdjust(pValues: ArrayLike<number>): number[] {
  const m = pValues.length;
  const order = sortedOrder(pValues);
  const adjusted = new Array<number>(m);
  let running = 0;
  for (let rank = 0; rank < m; rank++) {
    const i = order[rank] ?? 0;
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[i] ?? 1)));
    adjusted[i] = running;
  }
  return adjusted;
}

/**
 * Benjamini-Hochberg (1995) step-up adjustment; controls the false discovery rate. Same as R `p.adjust(p, "BH")`.
 *
 * @example
 * benjaminiHochbergAdjust([0.01, 0.04, 0.03, 0.2]); // [0.04, 0.0533, 0.0533, 0.2]
 */
export function benjaminiHochbergAdjust(pValues: ArrayLike<number>): number[] {
  const m = pValues.length;
  const order = sortedOrder(pValues);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = order[rank] ?? 0;
    running = Math.min(running, (m / (rank + 1)) * (pValues[i] ?? 1));
    adjusted[i] = running;
  }
  return adjusted;
}
