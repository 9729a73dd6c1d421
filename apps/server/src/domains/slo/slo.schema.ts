/**
 * SLO definitions (the slos.json file format, in the spirit of Sloth/OpenSLO), the burn-rate rules, and the views
 * the SDK, CLI and HTTP API return. Every indicator is good/total over one metric series (see 0008_observability.sql).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AlertView } from '../notify/alerts.service.ts';
import { text, int4 } from '../fields.ts';

export type { AlertView };

/** The latency histogram bounds the request recorder keeps (cumulative, Prometheus `le` style), in milliseconds. */
export const LATENCY_BOUNDS_MS = [100, 250, 500, 1000, 2500] as const;
export const HTTP_SERIES = 'http.requests';
export const latencySeries = (ms: number): string => `http.latency.le_${ms}ms`;
/** Report and PDF generation: a latency SLO of its own, outside the interactive API's. */
export const reportLatencySeries = (ms: number): string => `http.report_latency.le_${ms}ms`;

/** The kinds of API work: interactive requests, report generation, and bulk uploads (no latency SLO: they stream). */
export type WorkKind = 'interactive' | 'report' | 'bulk';

/** A route template's kind of work. */
export function workKindOf(route: string): WorkKind {
  if (/\/pilot$/.test(route)) return 'report';
  if (/\/(import|analyze)$/.test(route)) return 'bulk';
  return 'interactive';
}

/** A tenant's own copy of a series: what a pilot's "no SLO breaches" reads, so one tenant's incident is not another's. */
export const tenantSeries = (tenantId: string, series: string): string => `tenant.${tenantId}.${series}`;

const seriesName = text().regex(/^[a-z0-9_.:-]{1,100}$/, 'series names hold a-z 0-9 _ . : - (at most 100)');

const indicator = z.discriminatedUnion('kind', [
  /** good/total as recorded on a series (HTTP non-5xx share, or events recorded by jobs with recordJobEvent). */
  z.object({ kind: z.literal('events'), series: seriesName }),
  /** Share of API requests faster than a threshold, read from the recorder's histogram buckets. */
  z.object({
    kind: z.literal('latency'),
    /** Which requests: the interactive API (default) or report generation. */
    work: z.enum(['interactive', 'report']).default('interactive'),
    threshold_ms: z.number().refine((ms) => (LATENCY_BOUNDS_MS as readonly number[]).includes(ms), {
      message: `threshold_ms must be one of the recorded histogram bounds ${LATENCY_BOUNDS_MS.join(', ')}`,
    }),
  }),
]);

export const sloDefinition = z.object({
  name: text().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  description: text().min(1),
  /** Target share of good events, e.g. 0.999. */
  objective: z.number().gt(0).lt(1),
  /** Compliance window for the error budget, e.g. "30d". */
  window: text().regex(/^[1-9][0-9]?d$/, 'a whole number of days such as "30d"'),
  indicator,
  /** Minimum-traffic guard: a burn-rate rule fires only when its long window holds at least this many events. */
  min_events: int4().min(1).default(100),
  runbook: text().optional(),
});
export type SloDefinition = z.infer<typeof sloDefinition>;

export const sloFile = z
  .object({ version: z.literal(1), slos: z.array(sloDefinition).min(1) })
  .superRefine((f, ctx) => {
    const names = new Set<string>();
    for (const s of f.slos) {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', message: `duplicate SLO name ${s.name}`, path: ['slos'] });
      names.add(s.name);
    }
  });

/** The series an SLO reads. */
export function sloSeries(slo: SloDefinition): string {
  if (slo.indicator.kind === 'events') return slo.indicator.series;
  return slo.indicator.work === 'report'
    ? reportLatencySeries(slo.indicator.threshold_ms)
    : latencySeries(slo.indicator.threshold_ms);
}

export function windowMinutes(slo: SloDefinition): number {
  return Number(slo.window.slice(0, -1)) * 1440;
}

/** Parses an SLO file's JSON text; a bad file is a VALIDATION error naming the field. */
export function parseSloFile(text: string, source = 'slos.json'): SloDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('VALIDATION', `${source}: not JSON (${(err as Error).message})`);
  }
  const parsed = sloFile.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AppError('VALIDATION', `${source}: ${i?.path.join('.')}: ${i?.message}`, { field: i?.path.join('.') });
  }
  return parsed.data.slos;
}

let builtIn: SloDefinition[] | undefined;
/** The platform's SLOs, from slos.json beside this file. */
export function defaultSlos(): SloDefinition[] {
  builtIn ??= parseSloFile(readFileSync(new URL('./slos.json', import.meta.url), 'utf8'));
  return builtIn;
}

/** A multiwindow, multi-burn-rate rule (Google SRE workbook, ch. 5): both windows must burn at >= factor. */
export interface BurnRule {
  severity: 'page' | 'ticket';
  long: string;
  short: string;
  factor: number;
}

export const BURN_WINDOWS = { '5m': 5, '30m': 30, '1h': 60, '2h': 120, '6h': 360, '1d': 1440, '3d': 4320 } as const;
export type BurnWindow = keyof typeof BURN_WINDOWS;

export const BURN_RULES: readonly (BurnRule & { long: BurnWindow; short: BurnWindow })[] = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
];

export const dashboardInput = z
  .object({
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
  })
  .strict();
export type DashboardInput = z.input<typeof dashboardInput>;

export type SloStatus = 'ok' | 'warning' | 'breaching' | 'no_data';

export interface SloStatusView {
  name: string;
  description: string;
  objective: number;
  window: string;
  /** breaching: a page rule fires; warning: a ticket rule fires or the budget is spent; no_data: no events. */
  status: SloStatus;
  /** good/total over the last `hours` (null without events). */
  sli: number | null;
  good: number;
  total: number;
  /** SLI over the SLO's compliance window. */
  window_sli: number | null;
  /** 1 - (bad share / allowed bad share) over the compliance window; negative when overspent. */
  error_budget_remaining: number;
  /** Burn rate per alerting window (1 = spending the budget exactly over the window). */
  burn_rates: Record<BurnWindow, number>;
  /** Rules firing now, e.g. "page 1h/5m >= 14.4x". */
  firing_rules: string[];
  /** Breach periods in the range: alert incidents (page or ticket) open at any time in it, overlapping ones merged. */
  breaches: number;
  runbook: string | null;
}

export interface EvaluationView {
  evaluated_at: string;
  firing: string[];
  opened: AlertView[];
  resolved: AlertView[];
}
