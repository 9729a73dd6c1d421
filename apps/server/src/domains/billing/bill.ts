/**
 * Prices one tenant's period: the plans it was on (spans, by the UTC day), its usage per metric and day, and its
 * seats. Pure. Used by the dashboard (so far and projected) and by invoices (the lines a draft holds).
 *
 * Proration by the day: a plan held for d of the period's D days bills base x d / D and includes
 * floor(included x d / D) of each metric; usage is billed on the plan in force on the day it happened (a late event
 * on the period's first day). Seats are a count, not a flow: the people with access when the bill is drawn, against
 * the plan in force at the end.
 */
import { METRICS, chargeLines, roundCents, type Metric, type Plan } from './charges.ts';

const DAY = 86_400_000;

export interface Span {
  plan: Plan;
  /** Whole UTC days [from, to). */
  from: Date;
  to: Date;
}

export interface BillLine {
  type: 'base' | 'proration' | 'overage';
  description: string;
  plan: string;
  metric?: Metric;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
  from: string;
  to: string;
}

export interface MetricUsage {
  metric: Metric;
  quantity: number;
  included: number;
  ratio: number | null;
  overage_cents: number;
}

export interface Bill {
  period: string;
  base_cents: number;
  overage_cents: number;
  total_cents: number;
  lines: BillLine[];
  usage: MetricUsage[];
}

export function floorDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY) * DAY);
}

function days(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / DAY);
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Spans cut to whole UTC days: a plan change takes effect from the start of its day; of two changes in one day the
 * later plan has the day. The first span starts and the last ends on the period's bounds.
 */
export function daySpans(spans: readonly Span[]): Span[] {
  const cut = spans.map((s, i) => ({ plan: s.plan, from: i === 0 ? s.from : floorDay(s.from), to: s.to }));
  for (let i = 0; i < cut.length - 1; i++) cut[i]!.to = cut[i + 1]!.from;
  return cut.filter((s) => s.to > s.from);
}

/**
 * The bill of a period. `usage`: quantities per metric and UTC day (YYYY-MM-DD); `overrides`: contract included
 * quantities; `seats`: people with access now.
 */
export function priceBill(input: {
  period: string;
  periodStart: Date;
  periodDays: number;
  spans: readonly Span[];
  usage: readonly { metric: string; day: string; quantity: number }[];
  overrides: ReadonlyMap<string, number>;
  seats: number;
}): Bill {
  const spans = daySpans(input.spans);
  const lines: BillLine[] = [];
  const totals = new Map<Metric, { quantity: number; included: number; overage_cents: number }>(
    METRICS.map((m) => [m, { quantity: 0, included: 0, overage_cents: 0 }]),
  );
  for (const [i, s] of spans.entries()) {
    const d = days(s.from, s.to);
    const whole = d === input.periodDays;
    const share = d / input.periodDays;
    const from = isoDay(s.from);
    const to = isoDay(new Date(s.to.getTime() - DAY));
    const base = roundCents(s.plan.base_price_cents * share);
    lines.push({
      type: whole ? 'base' : 'proration',
      description: whole
        ? `${s.plan.name} plan, ${input.period}`
        : `${s.plan.name} plan, ${d} of ${input.periodDays} days (${from} to ${to})`,
      plan: s.plan.plan_code,
      quantity: whole ? 1 : d,
      unit_cents: whole ? s.plan.base_price_cents : s.plan.base_price_cents / input.periodDays,
      amount_cents: base,
      from,
      to,
    });
    const last = i === spans.length - 1;
    for (const metric of METRICS) {
      const t = totals.get(metric)!;
      const full = input.overrides.get(metric) ?? s.plan.metrics[metric].included;
      let used: number;
      let included: number;
      if (metric === 'seats') {
        if (!last) continue;
        used = input.seats;
        included = full;
      } else {
        used = input.usage
          .filter((u) => u.metric === metric && u.day >= from && u.day <= to)
          .reduce((sum, u) => sum + u.quantity, 0);
        included = whole ? full : Math.floor(full * share);
      }
      t.quantity += used;
      t.included += included;
      for (const c of chargeLines(s.plan.metrics[metric].charge, used - included)) {
        if (c.amount_cents === 0) continue;
        t.overage_cents += c.amount_cents;
        lines.push({
          type: 'overage',
          description: `${metric.replace(/_/g, ' ')} over ${included} included (${s.plan.name}): ${c.tier}`,
          plan: s.plan.plan_code,
          metric,
          quantity: c.units,
          unit_cents: c.unit_cents,
          amount_cents: c.amount_cents,
          from,
          to,
        });
      }
    }
  }
  const base_cents = lines.filter((l) => l.type !== 'overage').reduce((s, l) => s + l.amount_cents, 0);
  const overage_cents = lines.filter((l) => l.type === 'overage').reduce((s, l) => s + l.amount_cents, 0);
  return {
    period: input.period,
    base_cents,
    overage_cents,
    total_cents: base_cents + overage_cents,
    lines,
    usage: METRICS.map((metric) => {
      const t = totals.get(metric)!;
      return {
        metric,
        quantity: t.quantity,
        included: t.included,
        ratio: t.included > 0 ? t.quantity / t.included : null,
        overage_cents: t.overage_cents,
      };
    }),
  };
}
