/**
 * Seeded synthetic uplift data with known effects, for tests, benchmarks and demos:
 * numeric features ~ N(0, 1) plus one 4-level categorical; P(y=1) = base(x) + t * tau(x) with
 * base(x) = 0.12 + 0.06 * tanh(x1) + 0.03 * [cat = 2] and tau(x) = 0.1 * sigmoid(2 * x0) + 0.04 * [cat = 1] - 0.02.
 */
import { categoricalFeature, createDataset, numericFeature, type Dataset } from './data/dataset.ts';
import { createRng } from './random.ts';

/** Generated rows: features, treatment (50/50), outcome and the true uplift. */
export interface SyntheticUplift {
  ds: Dataset;
  treatment: Uint8Array;
  y: Uint8Array;
  tau: Float64Array;
}

/**
 * Generates `n` rows with `nNumeric` numeric features (at least 2) and one categorical feature.
 *
 * @example
 * const { ds, y, treatment, tau } = makeSyntheticUplift(20_000, 6, 42);
 */
export function makeSyntheticUplift(n: number, nNumeric: number, seed: number): SyntheticUplift {
  if (!Number.isInteger(nNumeric) || nNumeric < 2)
    throw new RangeError(`nNumeric must be an integer >= 2, got ${nNumeric}`);
  const rng = createRng(seed);
  const cols = Array.from({ length: nNumeric }, () => new Float64Array(n));
  const labels: string[] = new Array<string>(n);
  const treatment = new Uint8Array(n);
  const y = new Uint8Array(n);
  const tau = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nNumeric; j++) cols[j]![i] = rng.normal();
    const cat = rng.int(4);
    labels[i] = `c${cat}`;
    const x0 = cols[0]![i]!;
    const x1 = cols[1]![i]!;
    const base = 0.12 + 0.06 * Math.tanh(x1) + (cat === 2 ? 0.03 : 0);
    tau[i] = 0.1 / (1 + Math.exp(-2 * x0)) + (cat === 1 ? 0.04 : 0) - 0.02;
    treatment[i] = rng.next() < 0.5 ? 1 : 0;
    y[i] = rng.next() < base + treatment[i]! * tau[i]! ? 1 : 0;
  }
  const features = cols.map((c, j) => numericFeature(`x${j}`, c));
  features.push(categoricalFeature('segment', labels, ['c0', 'c1', 'c2', 'c3']));
  return { ds: createDataset(features), treatment, y, tau };
}
