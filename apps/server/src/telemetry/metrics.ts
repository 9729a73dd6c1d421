/**
 * Prometheus metrics on registries of our own (never prom-client's global default registry, so tests can build
 * several apps). Two scopes:
 * - per app (`createHttpMetrics`): `http_server_request_duration_seconds` by route template, method, status code;
 * - per process (`metrics`, `recordJob`): business counters and the job duration histogram, which services and jobs
 *   call directly (e.g. `metrics.propertiesImported.inc(n)`); every app's /metrics includes them.
 * Each record also goes to the registered sinks (the OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** OpenTelemetry's recommended HTTP server duration buckets, in seconds. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
export const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

/** Somewhere else records go (the OTLP exporter). */
export interface MetricSink {
  request(route: string, method: string, status: number, seconds: number): void;
  job(job: string, outcome: 'ok' | 'error', seconds: number): void;
  count(name: BusinessCounter, n: number): void;
}
const sinks = new Set<MetricSink>();
export function addSink(sink: MetricSink): () => void {
  sinks.add(sink);
  return () => void sinks.delete(sink);
}

/** The process registry: business counters and job durations. */
export const processRegistry = new Registry();
// Memory, CPU, event-loop lag and GC of this process (the storm operations dashboard, the soak bench).
collectDefaultMetrics({ register: processRegistry });

const jobDuration = new Histogram({
  name: 'stormops_job_duration_seconds',
  help: 'Duration of background and batch jobs (imports, scoring, outcome ingestion), by job and outcome.',
  labelNames: ['job', 'outcome'] as const,
  buckets: JOB_BUCKETS,
  registers: [processRegistry],
});

export const BUSINESS_COUNTERS = {
  propertiesImported: ['stormops_properties_imported_total', 'Properties inserted or updated by imports.'],
  propertiesScored: ['stormops_properties_scored_total', 'Properties given an uplift score.'],
  outcomesLogged: ['stormops_outcomes_logged_total', 'Door-knock outcomes logged.'],
  billableEvents: ['stormops_billable_events_total', 'Billable usage events recorded.'],
} as const;
export type BusinessCounter = keyof typeof BUSINESS_COUNTERS;

export interface CounterHandle {
  /** Adds n (default 1); n must be >= 0. */
  inc(n?: number): void;
}

function businessCounter(key: BusinessCounter): CounterHandle {
  const [name, help] = BUSINESS_COUNTERS[key];
  const c = new Counter({ name, help, registers: [processRegistry] });
  return {
    inc(n = 1) {
      if (!(n >= 0)) return; // a negative or NaN count is a caller bug; never let it break the business call
      c.inc(n);
      for (const s of sinks) s.count(key, n);
    },
  };
}

/** Business counters other domains call, e.g. `metrics.propertiesImported.inc(result.inserted)`. */
export const metrics: Record<BusinessCounter, CounterHandle> = {
  propertiesImported: businessCounter('propertiesImported'),
  propertiesScored: businessCounter('propertiesScored'),
  outcomesLogged: businessCounter('outcomesLogged'),
  billableEvents: businessCounter('billableEvents'),
};

const periodicRuns = new Counter({
  name: 'stormops_periodic_runs_total',
  help: 'Passes of periodic work (SLO evaluation) this process ran, by task and outcome; only the leader runs them.',
  labelNames: ['task', 'outcome'] as const,
  registers: [processRegistry],
});
const leaderGauge = new Gauge({
  name: 'stormops_leader',
  help: '1 while this process leads the periodic work (advisory lock on server Postgres; always 1 embedded).',
  registers: [processRegistry],
});

const sliEvents = new Counter({
  name: 'stormops_slo_events_total',
  help: 'SLI events jobs recorded in this process (e.g. scoring freshness), by series; the Prometheus SLO rules read them.',
  labelNames: ['series'] as const,
  registers: [processRegistry],
});
const sliGood = new Counter({
  name: 'stormops_slo_good_events_total',
  help: 'Good SLI events jobs recorded in this process, by series.',
  labelNames: ['series'] as const,
  registers: [processRegistry],
});

/** Counts job SLI events for Prometheus as well (slo.events.ts writes them to the database for the built-in monitor). */
export function recordSliEvents(series: string, good: number, total: number): void {
  sliEvents.labels(series).inc(total);
  sliGood.labels(series).inc(good);
}

export function recordPeriodicRun(task: string, outcome: 'ok' | 'error'): void {
  periodicRuns.labels(task, outcome).inc();
}

export function setLeading(leading: boolean): void {
  leaderGauge.set(leading ? 1 : 0);
}

/** Records one job's duration. */
export function recordJob(job: string, outcome: 'ok' | 'error', seconds: number): void {
  jobDuration.labels(job, outcome).observe(seconds);
  for (const s of sinks) s.job(job, outcome, seconds);
}

/** Runs `fn` and records its duration as job `job` (outcome error when it throws). */
export async function timeJob<T>(
  job: string,
  fn: () => Promise<T>,
  now: () => number = () => performance.now(),
): Promise<T> {
  const start = now();
  try {
    const r = await fn();
    recordJob(job, 'ok', (now() - start) / 1000);
    return r;
  } catch (err) {
    recordJob(job, 'error', (now() - start) / 1000);
    throw err;
  }
}

export interface HttpMetrics {
  /** This app's metrics merged with the process's, for /metrics. */
  readonly registry: Registry;
  observe(route: string, method: string, status: number, seconds: number): void;
}

/** One app's request metrics. `route` must be a template ('/v1/storms/:storm_id'), never a raw path. */
export function createHttpMetrics(): HttpMetrics {
  const own = new Registry();
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by route template, method and status code.',
    labelNames: ['http_route', 'http_request_method', 'http_response_status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [own],
  });
  return {
    registry: Registry.merge([own, processRegistry]),
    observe(route, method, status, seconds) {
      duration.labels(route, method, String(status)).observe(seconds);
      for (const s of sinks) s.request(route, method, status, seconds);
    },
  };
}
