/** The HTTP face in-process (app.inject): status codes, the one error body, auth, OpenAPI, health and readiness. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { buildApp } from './app.ts';

const PLATFORM_TOKEN = 'test-platform-token-0123456789abcdef';
const op = { authorization: `Bearer ${PLATFORM_TOKEN}` };

describeEachDatabase('HTTP API', (t) => {
  let app: FastifyInstance;
  let tenant: { tenant_id: string; admin_token: string };
  let auth: { authorization: string };

  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: PLATFORM_TOKEN });
    const r = await app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: op,
      payload: { org_name: 'Http Roofing', tier: 'standard', admin_email: 'a@http.example' },
    });
    expect(r.statusCode).toBe(201);
    tenant = r.json();
    auth = { authorization: `Bearer ${tenant.admin_token}` };
  });
  afterAll(() => app.close());

  it('provisions idempotently: 201 then 200 with the same tenant', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: op,
      payload: { org_name: 'HTTP roofing', tier: 'standard', admin_email: 'a@http.example' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ tenant_id: tenant.tenant_id, created: false });
  });

  it('creates, lists, shows and moves storms with a tenant token', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/storms',
      headers: auth,
      payload: { event_id: 'H1', name: 'Hail one' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().storm_id as string;
    expect(
      (await app.inject({ method: 'GET', url: '/v1/storms', headers: auth }))
        .json()
        .storms.map((s: { storm_id: string }) => s.storm_id),
    ).toContain(id);
    const moved = await app.inject({
      method: 'POST',
      url: `/v1/storms/${id}/status`,
      headers: auth,
      payload: { status: 'active' },
    });
    expect(moved.json().status).toBe('active');
    const shown = await app.inject({ method: 'GET', url: `/v1/storms/${id}`, headers: auth });
    expect(shown.json().status_history).toHaveLength(1);
    const bad = await app.inject({
      method: 'POST',
      url: `/v1/storms/${id}/status`,
      headers: auth,
      payload: { status: 'planning' },
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.code).toBe('INVALID_TRANSITION');
  });

  it.each([
    [
      'unknown tier',
      '/v1/tenants',
      { org_name: 'X', tier: 'gold', admin_email: 'x@x.com' },
      400,
      'VALIDATION',
      'body.tier',
    ],
    [
      'malformed e-mail',
      '/v1/tenants',
      { org_name: 'X', tier: 'trial', admin_email: 'x@' },
      400,
      'VALIDATION',
      'body.admin_email',
    ],
    [
      'empty org name',
      '/v1/tenants',
      { org_name: '  ', tier: 'trial', admin_email: 'x@x.com' },
      400,
      'VALIDATION',
      'body.org_name',
    ],
    [
      'missing body field',
      '/v1/tenants',
      { tier: 'trial', admin_email: 'x@x.com' },
      400,
      'VALIDATION',
      'body.org_name',
    ],
  ])('answers %s with a 4xx naming the field', async (_label, url, payload, status, code, field) => {
    const r = await app.inject({ method: 'POST', url, headers: op, payload });
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject({ error: { code, message: expect.stringContaining(field) } });
  });

  it('answers bad storm input, duplicates, malformed and unknown ids with a code and message', async () => {
    const empty = await app.inject({
      method: 'POST',
      url: '/v1/storms',
      headers: auth,
      payload: { event_id: '', name: 'x' },
    });
    expect(empty.json().error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('body.event_id') });
    await app.inject({ method: 'POST', url: '/v1/storms', headers: auth, payload: { event_id: 'DUP', name: 'x' } });
    const dup = await app.inject({
      method: 'POST',
      url: '/v1/storms',
      headers: auth,
      payload: { event_id: 'DUP', name: 'x' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CONFLICT');
    const malformed = await app.inject({ method: 'GET', url: '/v1/storms/1234', headers: auth });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toContain('params.storm_id');
    const unknown = await app.inject({
      method: 'GET',
      url: '/v1/storms/6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      headers: auth,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('answers a body that is not JSON, or not JSON at all, with a 4xx and no stack trace', async () => {
    const broken = await app.inject({
      method: 'POST',
      url: '/v1/storms',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"event_id": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('VALIDATION');
    const text = await app.inject({
      method: 'POST',
      url: '/v1/storms',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(broken.body + text.body).not.toMatch(/at .+\.ts:\d+/);
  });

  it('requires a valid credential and the right principal', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/storms' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/storms', headers: { authorization: 'Bearer sot_nope' } })).json()
        .error.code,
    ).toBe('UNAUTHENTICATED');
    const asTenant = await app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: auth,
      payload: { org_name: 'Y', tier: 'trial', admin_email: 'y@y.com' },
    });
    expect(asTenant.statusCode).toBe(403);
    const opNoTenant = await app.inject({ method: 'GET', url: '/v1/storms', headers: op });
    expect(opNoTenant.statusCode).toBe(400);
    const opWithTenant = await app.inject({
      method: 'GET',
      url: `/v1/storms?tenant_id=${tenant.tenant_id}`,
      headers: op,
    });
    expect(opWithTenant.statusCode).toBe(200);
  });

  it('suspending a tenant stops its token with 403, reactivating restores it', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: op,
      payload: { org_name: 'Suspended Co', tier: 'trial', admin_email: 's@s.com' },
    });
    const { tenant_id, admin_token } = r.json();
    await app.inject({
      method: 'PATCH',
      url: `/v1/tenants/${tenant_id}`,
      headers: op,
      payload: { status: 'suspended' },
    });
    const denied = await app.inject({
      method: 'GET',
      url: '/v1/storms',
      headers: { authorization: `Bearer ${admin_token}` },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('TENANT_SUSPENDED');
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/tenants/${tenant_id}`,
      headers: op,
      payload: { status: 'active', tier: 'enterprise', feature_flags: { sso: false } },
    });
    expect(patched.json()).toMatchObject({ tier: 'enterprise', feature_flags: { sso: false, custom_policies: true } });
  });

  it('serves OpenAPI, docs, liveness and readiness', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/tenants', '/v1/storms/{storm_id}/status']));
    expect((await app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });
});

it('reports not ready while migrations are pending', async () => {
  const db = await openDatabase({ kind: 'pglite-memory' });
  const app = await buildApp({ db, platformToken: undefined });
  const r = await app.inject({ method: 'GET', url: '/readyz' });
  expect(r.statusCode).toBe(503);
  expect(r.json().status).toBe('migrations pending');
  await app.close();
  await db.close();
});
