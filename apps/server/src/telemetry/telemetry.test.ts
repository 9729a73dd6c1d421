import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../../test/databases.ts';
import { operator } from '../../test/helpers.ts';
import { buildApp } from '../http/app.ts';
import { getSloDashboard } from '../domains/slo/slo.service.ts';
import { manualClock } from '../lib/clock.ts';
import { metrics, recordJob, timeJob } from './metrics.ts';
import { startOtlpExport } from './otlp.ts';

const TOKEN = 'telemetry-platform-token-0123456789';
const op = { authorization: `Bearer ${TOKEN}` };

describeEachDatabase('telemetry', (t) => {
  it('/metrics labels requests by route template, method and status; the recorder feeds the SLOs and flushes on close', async () => {
    const { db } = t();
    const clock = manualClock('2032-01-05T10:00:10Z');
    const app = await buildApp({ db, platformToken: TOKEN, telemetry: { clock, recorder: { flushEveryMs: 0 } } });
    app.get('/v1/test-boom', { config: { permission: 'storms:read' } }, async () => {
      throw new Error('boom');
    });
    const id = crypto.randomUUID();
    const missing = await app.inject({ method: 'GET', url: `/v1/storms/${id}`, headers: op });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.inject({ method: 'GET', url: `/v1/storms/${crypto.randomUUID()}`, headers: op });
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ method: 'GET', url: '/v1/test-boom', headers: op })).statusCode).toBe(500);
    await app.inject({ method: 'GET', url: '/v1/tenants', headers: op });
    await app.inject({ method: 'GET', url: '/no/such/path' });
    await app.inject({ method: 'GET', url: '/healthz' });
    metrics.propertiesImported.inc(7);
    recordJob('test.job', 'ok', 0.2);

    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{http_route="\/v1\/storms\/:storm_id",http_request_method="GET",http_response_status_code="404"\} 2/,
    );
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{http_route="\/v1\/test-boom",http_request_method="GET",http_response_status_code="500"\} 3/,
    );
    expect(text).toMatch(/http_route="unmatched",http_request_method="GET",http_response_status_code="404"/);
    expect(text).not.toContain(id);
    expect(text).toMatch(/stormops_properties_imported_total \d+/);
    expect(text).toMatch(/stormops_job_duration_seconds_count\{job="test.job",outcome="ok"\} \d+/);
    // Hidden from the API description.
    expect(JSON.stringify((await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths)).not.toContain(
      '/metrics',
    );

    // Nothing written before close (no flush timer); close flushes the minute bucket: 6 /v1 requests, 3 of them 5xx.
    clock.set('2032-01-05T10:01:00Z');
    const before = await getSloDashboard(operator(db), { hours: 1 }, { clock });
    expect(before['api-availability']?.total).toBe(0);
    await app.close();
    const after = await getSloDashboard(operator(db), { hours: 1 }, { clock });
    expect([after['api-availability']?.good, after['api-availability']?.total]).toEqual([3, 6]);
    expect(after['api-latency']?.total).toBe(6);
  });

  it('two apps keep separate request metrics (own registries, not the global default)', async () => {
    const { db } = t();
    const a = await buildApp({ db, platformToken: TOKEN, telemetry: { recorder: false } });
    const b = await buildApp({ db, platformToken: TOKEN, telemetry: { recorder: false } });
    await a.inject({ method: 'GET', url: '/healthz' });
    const count = async (app: typeof a) =>
      /_count\{[^}]*http_route="\/healthz"[^}]*\} (\d+)/.exec(
        (await app.inject({ method: 'GET', url: '/metrics' })).body,
      )?.[1];
    // onResponse runs once the reply is sent, which may be after inject() resolves: wait for the count.
    await vi.waitFor(async () => expect(await count(a)).toBe('1'));
    expect(await count(b)).toBeUndefined();
    await a.close();
    await b.close();
  });

  it('SLO status and alerts over HTTP are operator-only', async () => {
    const { db } = t();
    const app = await buildApp({ db, platformToken: TOKEN, telemetry: { recorder: false } });
    const r = await app.inject({ method: 'GET', url: '/v1/slo/status?hours=24', headers: op });
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json())).toEqual([
      'api-availability',
      'api-latency',
      'report-latency',
      'scoring-freshness',
      'outcome-ingestion-lag',
    ]);
    expect((await app.inject({ method: 'GET', url: '/v1/slo/alerts', headers: op })).json()).toHaveProperty('alerts');
    expect((await app.inject({ method: 'GET', url: '/v1/slo/status?hours=0', headers: op })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/slo/status' })).statusCode).toBe(401);
    await app.close();
  });
});

it('exports metrics over OTLP/HTTP to the configured endpoint (a local receiver), opening no port itself', async () => {
  const bodies: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const otlp = startOtlpExport({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    intervalMs: 3_600_000,
  });
  metrics.outcomesLogged.inc(3);
  await timeJob('otlp.test', async () => 1);
  await otlp.flush();
  await otlp.shutdown();
  await new Promise((r) => server.close(r));
  expect(bodies.map((b) => b.path)).toContain('/v1/metrics');
  const all = bodies.map((b) => b.body).join('\n');
  expect(all).toContain('stormops.outcomes.logged');
  expect(all).toContain('stormops.job.duration');
});
