/**
 * A bounded HTTP load generator that runs in its own process (so it does not share the server's event loop):
 * `runLoad(spec)` spawns it and returns counts and latency percentiles. Bodies may use `{i}` for the request index
 * and `{v}` for one of `values`, round robin.
 * It only targets loopback, stops after `requests` or `maxSeconds`, whichever comes first.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** `{v}` in the body becomes values[i % values.length] (e.g. spread requests over many properties). */
  values?: string[];
  requests: number;
  concurrency: number;
  maxSeconds: number;
  /** Status every response must have; others count as errors. */
  expectStatus: number;
}

export interface LoadResult {
  completed: number;
  errors: number;
  firstError?: string;
  ms: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const host = new URL(spec.url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) throw new Error(`load only targets loopback, not ${host}`);
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? ok(JSON.parse(out) as LoadResult) : fail(new Error(`load generator exited ${code}`)),
    );
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const latencies = new Float64Array(spec.requests);
  let next = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + spec.maxSeconds * 1000;
  const one = (i: number) =>
    new Promise<void>((done) => {
      const body = spec.body
        ?.replaceAll('{i}', String(i))
        .replaceAll('{v}', spec.values?.[i % spec.values.length] ?? '');
      const started = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: spec.method,
          agent,
          headers: { ...spec.headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            latencies[completed++] = performance.now() - started;
            if (res.statusCode !== spec.expectStatus) {
              errors++;
              firstError ??= `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
            }
            done();
          });
        },
      );
      req.on('error', (e) => {
        errors++;
        firstError ??= e.message;
        done();
      });
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (next < spec.requests && performance.now() < deadline) await one(next++);
    }),
  );
  const ms = performance.now() - t0;
  agent.destroy();
  const sorted = latencies.slice(0, completed).sort();
  return {
    completed,
    errors,
    ...(firstError ? { firstError } : {}),
    ms,
    requestsPerSecond: (completed / ms) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  process.stdout.write(JSON.stringify(await generate(spec)));
}
