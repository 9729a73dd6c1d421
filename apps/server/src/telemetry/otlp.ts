/**
 * OTLP/HTTP metrics export (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the same records as Prometheus, pushed to a
 * collector. It pushes; it never opens a port.
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { addSink, BUSINESS_COUNTERS, HTTP_BUCKETS, JOB_BUCKETS, type BusinessCounter } from './metrics.ts';

export interface OtlpExport {
  /** Exports what is pending now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface OtlpOptions {
  /** Base endpoint, e.g. http://collector:4318 (metrics go to <endpoint>/v1/metrics). */
  endpoint: string;
  intervalMs?: number;
  serviceVersion?: string;
}

export function startOtlpExport(opts: OtlpOptions): OtlpExport {
  const url = `${opts.endpoint.replace(/\/+$/, '')}/v1/metrics`;
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url }),
    exportIntervalMillis: opts.intervalMs ?? 60_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'stormops', 'service.version': opts.serviceVersion ?? '0.1.0' }),
    readers: [reader],
  });
  const meter = provider.getMeter('stormops');
  const http = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: HTTP_BUCKETS },
  });
  const job = meter.createHistogram('stormops.job.duration', {
    unit: 's',
    description: 'Duration of jobs.',
    advice: { explicitBucketBoundaries: JOB_BUCKETS },
  });
  const counters = Object.fromEntries(
    (Object.keys(BUSINESS_COUNTERS) as BusinessCounter[]).map((k) => [
      k,
      meter.createCounter(BUSINESS_COUNTERS[k][0].replace(/_total$/, '').replace(/_/g, '.'), {
        description: BUSINESS_COUNTERS[k][1],
      }),
    ]),
  ) as Record<BusinessCounter, ReturnType<typeof meter.createCounter>>;
  const remove = addSink({
    request: (route, method, status, seconds) =>
      http.record(seconds, { 'http.route': route, 'http.request.method': method, 'http.response.status_code': status }),
    job: (name, outcome, seconds) => job.record(seconds, { job: name, outcome }),
    count: (name, n) => counters[name].add(n),
  });
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      remove();
      await provider.shutdown();
    },
  };
}
