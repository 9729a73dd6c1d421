/**
 * "Were the uplift predictions right?" from predicted-uplift buckets: observed lift by decile of predicted uplift,
 * and the Qini curve and coefficient. Buckets are exact at their boundaries; only the curve between two boundaries
 * is unknown (units inside a bucket are unordered), and we join boundaries by straight lines (trapezoids).
 */
import { newcombeInterval } from '@stormops/stats';
import { auc } from '@stormops/uplift';
import type { ScoreBucket } from './pilot.schema.ts';
import type { DecileAccuracy, PilotUpliftAccuracy, QiniPoint } from './pilot.results.ts';

/** Deciles (B/10 buckets each) and the Qini curve; null when there are no buckets. */
export function upliftAccuracy(buckets: ScoreBucket[], alpha: number): PilotUpliftAccuracy | null {
  if (buckets.length === 0) return null;
  const { curve, coefficient } = qini(buckets);
  return {
    deciles: deciles(buckets, alpha),
    qini_curve: curve,
    qini_coefficient: coefficient,
    buckets: buckets.length,
  };
}

function deciles(buckets: ScoreBucket[], alpha: number): DecileAccuracy[] {
  const per = buckets.length / 10;
  const out: DecileAccuracy[] = [];
  for (let d = 0; d < 10; d++) {
    const group = buckets.slice(d * per, (d + 1) * per);
    let tn = 0,
      tc = 0,
      hn = 0,
      hc = 0,
      scoreSum = 0;
    for (const b of group) {
      tn += b.treat.n;
      tc += b.treat.conversions;
      hn += b.hold.n;
      hc += b.hold.conversions;
      scoreSum += b.predicted_uplift_mean * (b.treat.n + b.hold.n);
    }
    const ci = tn > 0 && hn > 0 ? newcombeInterval(tc, tn, hc, hn, alpha) : null;
    out.push({
      decile: d + 1,
      predicted_uplift: tn + hn > 0 ? scoreSum / (tn + hn) : 0,
      observed_lift: ci ? ci.estimate : null,
      observed_lift_ci: ci ? [ci.lower, ci.upper] : null,
      treat_n: tn,
      hold_n: hn,
    });
  }
  return out;
}

/**
 * Qini curve Q(k) = Y_T(k) - Y_H(k) N_T(k) / N_H(k) at each bucket boundary (0 while no hold unit is in), and the
 * coefficient (AUC(Q) - AUC(random)) / (N |Q(N)|), where random is the line from (0, 0) to (N, Q(N)).
 */
function qini(buckets: ScoreBucket[]): { curve: QiniPoint[]; coefficient: number | null } {
  const x = new Float64Array(buckets.length + 1);
  const y = new Float64Array(buckets.length + 1);
  let nT = 0,
    yT = 0,
    nH = 0,
    yH = 0;
  buckets.forEach((b, i) => {
    nT += b.treat.n;
    yT += b.treat.conversions;
    nH += b.hold.n;
    yH += b.hold.conversions;
    x[i + 1] = nT + nH;
    y[i + 1] = yT - (nH > 0 ? (yH * nT) / nH : 0);
  });
  const total = nT + nH;
  const last = y[buckets.length] ?? 0;
  const curve = Array.from(x, (xi, i) => ({
    fraction: total > 0 ? xi / total : 0,
    incremental_conversions: y[i] ?? 0,
  }));
  if (total === 0 || last === 0) return { curve, coefficient: null };
  const coefficient = (auc(x, y) - (total * last) / 2) / (total * Math.abs(last));
  return { curve, coefficient };
}
