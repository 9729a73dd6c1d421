/**
 * Policy batches in the pilot report. A storm's arms can come in numbered batches, each with its own design (mode,
 * version, intended hold share). Each batch is checked against its own hold share; the storm's sample-ratio check
 * expects the hold share each home was assigned under (the mean over homes of their batch's share); and the lift is
 * pooled across batches with a stratified estimator: the batches' lifts weighted by their share of homes, with
 * variance sum w_b^2 (p_T(1-p_T)/n_T + p_H(1-p_H)/n_H) (docs/roi-methodology.md, "Policy batches").
 */
import { newcombeInterval, normalQuantileUpper, normalSf, srmTest, twoProportionZTest } from '@stormops/stats';
import type { BatchInputs } from './pilot.schema.ts';
import type { PilotBatch } from './pilot.results.ts';

/** Per batch: counts, its SRM check against its own intended share, and its lift (null with an empty arm). */
export function batchesOf(batches: readonly BatchInputs[], alpha: number): PilotBatch[] {
  return batches.map((b) => {
    const srm = b.treat.n + b.hold.n > 0 ? srmTest(b.treat.n, b.hold.n, b.hold_share) : null;
    const testable = b.treat.n > 0 && b.hold.n > 0;
    const ci = testable ? newcombeInterval(b.treat.conversions, b.treat.n, b.hold.conversions, b.hold.n, alpha) : null;
    const z = testable ? twoProportionZTest(b.treat.conversions, b.treat.n, b.hold.conversions, b.hold.n) : null;
    return {
      batch: b.batch,
      mode: b.mode,
      version: b.version,
      intended_hold_share: b.hold_share,
      treat: b.treat,
      hold: b.hold,
      observed_hold_share: b.treat.n + b.hold.n > 0 ? b.hold.n / (b.treat.n + b.hold.n) : 0,
      srm: srm ? { p_value: srm.pValue, flagged: srm.flagged } : null,
      lift: ci && z ? { absolute: ci.estimate, absolute_ci: [ci.lower, ci.upper], p_value: z.pValue } : null,
    };
  });
}

/** The hold share expected over the whole storm: each home's batch share, averaged over homes. */
export function expectedHoldShare(batches: readonly BatchInputs[]): number | null {
  const n = batches.reduce((s, b) => s + b.treat.n + b.hold.n, 0);
  return n > 0 ? batches.reduce((s, b) => s + b.hold_share * (b.treat.n + b.hold.n), 0) / n : null;
}

export interface StratifiedLift {
  absolute: number;
  absolute_ci: [number, number];
  p_value: number;
}

/** Lift pooled across batches (batches with an empty arm carry no weight); null with fewer than two such batches. */
export function stratifiedLift(batches: readonly BatchInputs[], alpha: number): StratifiedLift | null {
  const usable = batches.filter((b) => b.treat.n > 0 && b.hold.n > 0);
  if (usable.length < 2) return null;
  const total = usable.reduce((s, b) => s + b.treat.n + b.hold.n, 0);
  let lift = 0;
  let variance = 0;
  for (const b of usable) {
    const w = (b.treat.n + b.hold.n) / total;
    const pT = b.treat.conversions / b.treat.n;
    const pH = b.hold.conversions / b.hold.n;
    lift += w * (pT - pH);
    variance += w * w * ((pT * (1 - pT)) / b.treat.n + (pH * (1 - pH)) / b.hold.n);
  }
  const se = Math.sqrt(variance);
  const z = normalQuantileUpper(alpha / 2);
  return {
    absolute: lift,
    absolute_ci: [lift - z * se, lift + z * se],
    p_value: se > 0 ? 2 * normalSf(Math.abs(lift / se)) : lift === 0 ? 1 : 0,
  };
}
