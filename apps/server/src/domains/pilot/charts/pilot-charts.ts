/** The four charts of the pilot report, built once from PilotResults and painted as SVG (HTML) or vectors (PDF). */
import { count, day, level, pct, ptsNum } from '../pilot.format.ts';
import type { PilotResults } from '../pilot.results.ts';
import { COLORS, legend, linear, niceDomain, yAxis, type Chart, type Frame, type Primitive } from './primitives.ts';

const W = 520;
const H = 250;
const FRAME: Frame = { left: 58, top: 30, right: W - 16, bottom: H - 42 };

function xLabel(text: string): Primitive {
  return {
    kind: 'text',
    x: (FRAME.left + FRAME.right) / 2,
    y: H - 6,
    text,
    size: 8,
    color: COLORS.muted,
    anchor: 'middle',
  };
}

function whisker(x: number, y0: number, y1: number, color: string): Primitive[] {
  return [
    {
      kind: 'line',
      points: [
        [x, y0],
        [x, y1],
      ],
      color,
      width: 1.4,
    },
    {
      kind: 'line',
      points: [
        [x - 5, y0],
        [x + 5, y0],
      ],
      color,
      width: 1.4,
    },
    {
      kind: 'line',
      points: [
        [x - 5, y1],
        [x + 5, y1],
      ],
      color,
      width: 1.4,
    },
  ];
}

/** Signed-job rate by arm, bars with their Wilson intervals. */
export function conversionChart(r: PilotResults): Chart {
  const arms = [
    { label: 'Knock list (treat)', o: r.outcomes.treat, color: COLORS.treat },
    { label: 'Held out (hold)', o: r.outcomes.hold, color: COLORS.hold },
  ];
  const domain = niceDomain(arms.map((a) => a.o.rate_ci[1] * 1.12));
  const y = linear(domain, [FRAME.bottom, FRAME.top]);
  const p: Primitive[] = yAxis(FRAME, domain, (v) => `${ptsNum(v)}%`, 'signed jobs (% of properties)');
  const slot = (FRAME.right - FRAME.left) / 2;
  arms.forEach((a, i) => {
    const cx = FRAME.left + slot * (i + 0.5);
    const bw = Math.min(110, slot * 0.5);
    p.push({ kind: 'rect', x: cx - bw / 2, y: y(a.o.rate), w: bw, h: y(0) - y(a.o.rate), fill: a.color });
    p.push(...whisker(cx, y(a.o.rate_ci[0]), y(a.o.rate_ci[1]), COLORS.text));
    p.push({
      kind: 'text',
      x: cx + bw / 2 + 6,
      y: y(a.o.rate) + 4,
      text: pct(a.o.rate),
      size: 10,
      color: COLORS.text,
      anchor: 'start',
      bold: true,
    });
    p.push({
      kind: 'text',
      x: cx,
      y: FRAME.bottom + 14,
      text: `${a.label}, n = ${count(a.o.n)}`,
      size: 8.5,
      color: COLORS.text,
      anchor: 'middle',
    });
  });
  const l = r.outcomes.lift;
  return {
    title: 'Signed jobs by arm',
    caption: `Bars: share of properties that signed; whiskers: ${level(r.alpha)} Wilson intervals. Difference ${ptsNum(l.absolute)} pts (${ptsNum(l.absolute_ci[0])} to ${ptsNum(l.absolute_ci[1])}).`,
    width: W,
    height: H,
    primitives: p,
    alt: `Treat ${pct(r.outcomes.treat.rate)} vs hold ${pct(r.outcomes.hold.rate)} signed.`,
  };
}

/** Why the lift-over-time line cannot be drawn (no outcomes, or all on one day), or null when it can. */
export function overTimeGap(r: PilotResults): string | null {
  const pts = r.over_time.points;
  if (pts.length === 0) return 'No outcomes logged yet: the line starts with the first day of outcomes.';
  if (pts.length === 1) return `All outcomes so far were logged on ${day(pts[0]!.date)}: a line needs two days.`;
  return null;
}

/** Cumulative lift by day with the always-valid band; a marker where it first excludes 0. */
export function overTimeChart(r: PilotResults): Chart {
  const pts = r.over_time.points;
  const domain = niceDomain(pts.flatMap((q) => [q.lower, q.upper]));
  const y = linear(domain, [FRAME.bottom, FRAME.top]);
  const x = linear([0, Math.max(1, pts.length - 1)], [FRAME.left + 8, FRAME.right - 8]);
  const p: Primitive[] = yAxis(FRAME, domain, (v) => ptsNum(v), 'lift (points)');
  if (pts.length > 0) {
    const band = [
      ...pts.map((q, i) => [x(i), y(q.upper)] as [number, number]),
      ...pts.map((q, i) => [x(i), y(q.lower)] as [number, number]).reverse(),
    ];
    p.push({ kind: 'polygon', points: band, fill: COLORS.band, opacity: 0.18 });
    p.push({ kind: 'line', points: pts.map((q, i) => [x(i), y(q.lift)]), color: COLORS.treat, width: 2 });
    const every = Math.max(1, Math.ceil(pts.length / 7));
    pts.forEach((q, i) => {
      if (i % every === 0 || i === pts.length - 1) {
        p.push({
          kind: 'text',
          x: x(i),
          y: FRAME.bottom + 14,
          text: day(q.date).replace(/ \d{4}$/, ''),
          size: 8,
          color: COLORS.muted,
          anchor: 'middle',
        });
      }
    });
    const since = pts.findIndex((q) => q.date === r.over_time.conclusive_since);
    if (since >= 0) {
      p.push({
        kind: 'line',
        points: [
          [x(since), FRAME.top],
          [x(since), FRAME.bottom],
        ],
        color: COLORS.good,
        width: 1.2,
        dash: [4, 3],
      });
      p.push({
        kind: 'text',
        x: x(since) + 4,
        y: FRAME.top + 10,
        text: `conclusive from ${day(pts[since]!.date)}`,
        size: 8,
        color: COLORS.good,
        anchor: 'start',
      });
    }
  }
  const gap = overTimeGap(r);
  if (gap) {
    p.push({
      kind: 'text',
      x: (FRAME.left + FRAME.right) / 2,
      y: (FRAME.top + FRAME.bottom) / 2,
      text: gap,
      size: 10,
      color: COLORS.muted,
      anchor: 'middle',
    });
  }
  p.push(
    ...legend(FRAME.left, 14, [
      { label: 'cumulative lift', color: COLORS.treat },
      { label: `always-valid ${level(r.alpha)} band`, color: '#a9c6f5' },
    ]),
  );
  p.push(xLabel('day of the campaign (cumulative to the end of the day, UTC)'));
  return {
    title: 'Lift over time',
    caption:
      'The band is a confidence sequence: it holds on every day at once, so checking daily and stopping early does not inflate false alarms. It is wider than the final interval on purpose.',
    width: W,
    height: H,
    primitives: p,
    alt:
      gap ??
      (r.over_time.conclusive_since
        ? `Lift conclusive from ${r.over_time.conclusive_since}.`
        : 'Lift not yet conclusive.'),
  };
}

/** Predicted uplift (bars) vs observed lift (points with intervals) by decile of predicted uplift. */
export function decileChart(r: PilotResults): Chart | null {
  const acc = r.uplift_accuracy;
  if (!acc) return null;
  const d = acc.deciles;
  const domain = niceDomain(d.flatMap((q) => [q.predicted_uplift, ...(q.observed_lift_ci ?? [])]));
  const y = linear(domain, [FRAME.bottom, FRAME.top]);
  const slot = (FRAME.right - FRAME.left) / d.length;
  const p: Primitive[] = yAxis(FRAME, domain, (v) => ptsNum(v), 'uplift (points)');
  d.forEach((q, i) => {
    const cx = FRAME.left + slot * (i + 0.5);
    const top = Math.min(y(0), y(q.predicted_uplift));
    p.push({
      kind: 'rect',
      x: cx - slot * 0.3,
      y: top,
      w: slot * 0.6,
      h: Math.abs(y(q.predicted_uplift) - y(0)),
      fill: '#c9daf8',
    });
    if (q.observed_lift !== null && q.observed_lift_ci) {
      p.push(...whisker(cx, y(q.observed_lift_ci[0]), y(q.observed_lift_ci[1]), COLORS.accent));
      p.push({ kind: 'circle', x: cx, y: y(q.observed_lift), r: 3.2, fill: COLORS.accent });
    }
    p.push({
      kind: 'text',
      x: cx,
      y: FRAME.bottom + 14,
      text: String(q.decile),
      size: 8,
      color: COLORS.muted,
      anchor: 'middle',
    });
  });
  p.push(
    ...legend(FRAME.left, 14, [
      { label: 'predicted uplift', color: '#c9daf8' },
      { label: `observed lift, ${level(r.alpha)} CI`, color: COLORS.accent },
    ]),
  );
  p.push(xLabel('decile of predicted uplift (1 = highest)'));
  return {
    title: 'Were the predictions right?',
    caption:
      'If the model ranks well, observed lift falls from left to right with the bars. Each decile is a tenth of the experiment, so its interval is wide.',
    width: W,
    height: H,
    primitives: p,
    alt: `Predicted vs observed uplift by decile, ${d.length} deciles.`,
  };
}

/** Qini curve against random targeting. */
export function qiniChart(r: PilotResults): Chart | null {
  const acc = r.uplift_accuracy;
  if (!acc) return null;
  const c = acc.qini_curve;
  const last = c.at(-1)?.incremental_conversions ?? 0;
  const domain = niceDomain(c.map((q) => q.incremental_conversions));
  const y = linear(domain, [FRAME.bottom, FRAME.top]);
  const x = linear([0, 1], [FRAME.left, FRAME.right]);
  const p: Primitive[] = yAxis(FRAME, domain, (v) => count(v), 'incremental signed jobs');
  for (const f of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    p.push({
      kind: 'text',
      x: x(f),
      y: FRAME.bottom + 14,
      text: `${f * 100}%`,
      size: 8,
      color: COLORS.muted,
      anchor: 'middle',
    });
  }
  p.push({
    kind: 'line',
    points: [
      [x(0), y(0)],
      [x(1), y(last)],
    ],
    color: COLORS.hold,
    width: 1.5,
    dash: [5, 3],
  });
  p.push({
    kind: 'line',
    points: c.map((q) => [x(q.fraction), y(q.incremental_conversions)]),
    color: COLORS.treat,
    width: 2,
  });
  p.push(
    ...legend(FRAME.left, 14, [
      { label: 'model ranking', color: COLORS.treat },
      { label: 'random targeting', color: COLORS.hold, dash: true },
    ]),
  );
  p.push(xLabel('share of properties targeted, highest predicted uplift first'));
  const q = acc.qini_coefficient;
  return {
    title: 'Qini curve',
    caption: `Incremental jobs gained by knocking the best-ranked share first. Qini coefficient ${q === null ? 'n/a' : q.toFixed(3)} (0 = no better than random; computed from ${acc.buckets} score buckets).`,
    width: W,
    height: H,
    primitives: p,
    alt: `Qini coefficient ${q === null ? 'n/a' : q.toFixed(3)}.`,
  };
}

/** All charts that apply, in report order. */
export function pilotCharts(r: PilotResults): Chart[] {
  return [conversionChart(r), overTimeChart(r), decileChart(r), qiniChart(r)].filter((c): c is Chart => c !== null);
}
