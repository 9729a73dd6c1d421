/**
 * Treatment-effect divergence criteria for uplift trees (Rzepakowski & Jaroszewicz 2012), for a binary
 * outcome with P(y=1) = pT in treatment and pC in control. Split gain is the size-weighted divergence of
 * the children minus the parent's (causalml's evaluation without its normalization factor).
 */

/** 'KL': Kullback-Leibler, 'ED': squared Euclidean distance, 'Chi': chi-square divergence. */
export type UpliftCriterion = 'KL' | 'ED' | 'Chi';

const EPS = 1e-6;

function clip(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

/**
 * Divergence between the treatment and control outcome distributions.
 *
 * @example
 * divergence('ED', 0.3, 0.1); // 2 * 0.2^2 = 0.08
 */
export function divergence(criterion: UpliftCriterion, pT: number, pC: number): number {
  const d = pT - pC;
  if (criterion === 'ED') return 2 * d * d;
  const t = clip(pT);
  const c = clip(pC);
  if (criterion === 'KL') return t * Math.log(t / c) + (1 - t) * Math.log((1 - t) / (1 - c));
  return (d * d) / c + (d * d) / (1 - c);
}

/** Checks a criterion name. */
export function assertCriterion(c: string): asserts c is UpliftCriterion {
  if (c !== 'KL' && c !== 'ED' && c !== 'Chi') throw new TypeError(`criterion must be 'KL', 'ED' or 'Chi', got ${c}`);
}
