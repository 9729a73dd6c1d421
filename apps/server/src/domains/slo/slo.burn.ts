/** Pure burn-rate arithmetic: no I/O, no clock. */
import { BURN_RULES, BURN_WINDOWS, type BurnRule, type BurnWindow, type SloDefinition } from './slo.schema.ts';

export interface Counts {
  good: number;
  total: number;
}

/** Share of good events, or null without events. */
export function sli(c: Counts): number | null {
  return c.total > 0 ? c.good / c.total : null;
}

/**
 * How fast the error budget burns: the bad share over the allowed bad share (1 - objective). 1 spends the budget
 * exactly over the compliance window; 14.4 spends 2% of a 30-day budget in one hour. No events burn nothing.
 */
export function burnRate(c: Counts, objective: number): number {
  if (c.total <= 0) return 0;
  return (c.total - c.good) / c.total / (1 - objective);
}

/** 1 - spent share of the budget over the compliance window (1 with no events; negative when overspent). */
export function budgetRemaining(c: Counts, objective: number): number {
  return 1 - burnRate(c, objective);
}

export function ruleLabel(r: BurnRule): string {
  return `${r.severity} ${r.long}/${r.short} >= ${r.factor}x`;
}

export interface RuleVerdict {
  rule: BurnRule;
  long_burn: number;
  short_burn: number;
  long_events: number;
  firing: boolean;
}

/**
 * Applies the multiwindow, multi-burn-rate rules: a rule fires when both its long and short windows burn at or above
 * its factor AND the long window holds at least `min_events` events (so a handful of requests cannot page).
 */
export function evaluateRules(slo: SloDefinition, windows: Record<BurnWindow, Counts>): RuleVerdict[] {
  return BURN_RULES.map((rule) => {
    const long = windows[rule.long];
    const short = windows[rule.short];
    const longBurn = burnRate(long, slo.objective);
    const shortBurn = burnRate(short, slo.objective);
    const enough = long.total >= slo.min_events;
    return {
      rule,
      long_burn: longBurn,
      short_burn: shortBurn,
      long_events: long.total,
      firing: enough && longBurn >= rule.factor && shortBurn >= rule.factor,
    };
  });
}

export function burnRates(slo: SloDefinition, windows: Record<BurnWindow, Counts>): Record<BurnWindow, number> {
  const out = {} as Record<BurnWindow, number>;
  for (const w of Object.keys(BURN_WINDOWS) as BurnWindow[]) out[w] = round(burnRate(windows[w], slo.objective), 4);
  return out;
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
