/**
 * Telemetry for one Fastify app: per-request Prometheus metrics by route template, the SLO request recorder
 * (minute buckets in the database), tenant-aware completion logs, GET /metrics, the SLO evaluation loop and the
 * optional OTLP export. Everything it starts stops (and flushes) on app close.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import type { Leader } from '../jobs/leader.ts';
import type { Notifier } from '../domains/notify/notify.types.ts';
import { SloMonitor } from '../domains/slo/slo.monitor.ts';
import { MetricRecorder, type RecorderOptions } from '../domains/slo/slo.recorder.ts';
import { workKindOf, type SloDefinition } from '../domains/slo/slo.schema.ts';
import type { SloDeps } from '../domains/slo/slo.service.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { createHttpMetrics, type HttpMetrics } from '../telemetry/metrics.ts';
import { registerPlatformGauges } from '../telemetry/gauges.ts';
import { startOtlpExport, type OtlpExport } from '../telemetry/otlp.ts';

export interface TelemetryOptions {
  clock?: Clock;
  /** Record /v1 requests for the SLOs (default on); options tune the flush. */
  recorder?: false | Omit<RecorderOptions, 'clock'>;
  /** Run the SLO evaluation loop this often (default 0: off; `npm start` passes STORMOPS_SLO_EVALUATE_SECONDS). */
  sloEvaluateEveryMs?: number;
  notifier?: Notifier;
  /** Who runs the SLO loop when several processes share the database (default: this process). */
  leader?: Leader;
  slos?: readonly SloDefinition[];
  /** OTLP/HTTP base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT). */
  otlpEndpoint?: string;
  otlpIntervalMs?: number;
}

export interface Telemetry {
  readonly http: HttpMetrics;
  readonly recorder: MetricRecorder | undefined;
  readonly monitor: SloMonitor | undefined;
  readonly otlp: OtlpExport | undefined;
  /** What the SLO routes use (clock, notifier, SLO definitions). */
  readonly sloDeps: SloDeps;
}

/** Routes outside the API (health, docs, metrics) stay out of the SLOs; unmatched paths share one label. */
const UNMATCHED = 'unmatched';

export function installTelemetry(app: FastifyInstance, db: Database, opts: TelemetryOptions = {}): Telemetry {
  const clock = opts.clock ?? systemClock;
  const http = createHttpMetrics();
  registerPlatformGauges(http.registry, db);
  const recorder =
    opts.recorder === false
      ? undefined
      : new MetricRecorder(db, {
          ...opts.recorder,
          clock,
          onError: (err) => app.log.warn({ err }, 'SLO metric flush failed; kept for the next flush'),
        }).start();
  const sloDeps: SloDeps = {
    clock,
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
    ...(opts.slos ? { slos: opts.slos } : {}),
  };
  const monitor = opts.sloEvaluateEveryMs
    ? new SloMonitor(db, {
        ...sloDeps,
        everyMs: opts.sloEvaluateEveryMs,
        ...(opts.leader ? { leader: opts.leader } : {}),
        ...(recorder ? { recorder } : {}),
        onError: (err) => app.log.error({ err }, 'SLO evaluation failed'),
        onEvaluated: (r) => {
          for (const a of r.opened)
            app.log.warn({ alert_key: a.alert_key, severity: a.severity, dedup_key: a.dedup_key }, a.message);
          for (const a of r.resolved)
            app.log.info({ alert_key: a.alert_key, dedup_key: a.dedup_key }, 'alert resolved');
        },
      }).start()
    : undefined;
  const otlp = opts.otlpEndpoint
    ? startOtlpExport({
        endpoint: opts.otlpEndpoint,
        ...(opts.otlpIntervalMs ? { intervalMs: opts.otlpIntervalMs } : {}),
      })
    : undefined;

  // The auth hook gives request.log a child with tenant_id/user_id; hand it to the reply so the "request completed"
  // line carries them too (the reply keeps the logger it was born with otherwise).
  app.addHook('preHandler', async (request, reply) => {
    reply.log = request.log;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    const seconds = reply.elapsedTime / 1000;
    http.observe(route, request.method, reply.statusCode, seconds);
    if (route.startsWith('/v1/')) {
      const p = request.principal;
      recorder?.recordRequest(reply.statusCode, seconds, clock(), {
        kind: workKindOf(route),
        tenantId: p?.kind === 'tenant' ? p.tenantId : undefined,
      });
    }
  });
  // Unauthenticated on the listen address, like most Prometheus targets: it holds counts and route templates only,
  // never ids or tenant names. Keep the API on a private address or filter /metrics at the proxy (docs/observability.md).
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(http.registry.contentType).send(await http.registry.metrics()),
  );
  app.addHook('onClose', async () => {
    await monitor?.stop();
    await recorder?.close();
    await otlp?.shutdown();
  });
  return { http, recorder, monitor, otlp, sloDeps };
}
