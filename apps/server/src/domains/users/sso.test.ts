/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies read by key */
/**
 * Single sign-on end to end against a real OpenID provider (oidc-provider) on loopback: the admin's settings (the
 * sso flag enforced), a new person created with the default role, an existing one matched by verified e-mail, an
 * unverified e-mail refused, a tampered ID token refused, a replayed or foreign callback refused.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator } from '../../../test/helpers.ts';
import { startTestProvider, TestBrowser, type TestProvider } from '../../../test/oidc-test-provider.ts';
import { buildApp } from '../../http/app.ts';
import { createCredential } from '../tenants/credentials.service.ts';

describeEachDatabase('single sign-on (OpenID Connect)', (t) => {
  let app: FastifyInstance;
  let base: string;
  let idp: TestProvider;
  let ent: { tenantId: string; token: string };
  let std: { tenantId: string; token: string };

  async function call(method: string, path: string, token: string | undefined, body?: unknown) {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
  }

  /** Starts SSO in a fresh browser and follows it until the app sends the browser to return_to (or refuses). */
  async function signIn(tenantId: string, browser = new TestBrowser()) {
    const done = await browser.follow(
      `${base}/v1/auth/sso/start?tenant_id=${tenantId}&return_to=/welcome`,
      (next) => next.origin === base && next.pathname === '/welcome',
    );
    return { browser, done, session: browser.cookie(base, 'stormops_session') };
  }

  async function whoAmI(session: string) {
    const r = await fetch(`${base}/v1/auth/session`, { headers: { cookie: `stormops_session=${session}` } });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  }

  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: undefined });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    idp = await startTestProvider(`${base}/v1/auth/sso/callback`);
    ent = await newTenant(t().db, 'enterprise');
    std = await newTenant(t().db, 'standard');
  });
  afterAll(async () => {
    await app.close();
    await idp.close();
  });

  it('the admin sets the provider (never shown the secret again); without the sso flag: 403 FEATURE_DISABLED', async () => {
    const settings = {
      issuer: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      default_role: 'analyst',
    };
    const set = await call('PUT', '/v1/auth/sso/config', ent.token, settings);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ configured: true, issuer: idp.issuer, default_role: 'analyst' });
    expect(set.body['redirect_uri']).toBe(`${base}/v1/auth/sso/callback`);
    expect(JSON.stringify(set.body)).not.toContain(idp.clientSecret);
    const audit = await call('GET', '/v1/audit', ent.token);
    const row = audit.body['events'].find((e: any) => e.action === 'sso.config');
    expect(row.after).toMatchObject({ issuer: idp.issuer, default_role: 'analyst', client_secret_changed: true });
    expect(JSON.stringify(audit.body)).not.toContain(idp.clientSecret);

    const off = await call('PUT', '/v1/auth/sso/config', std.token, settings);
    expect([off.status, off.body['error']?.code, off.body['error']?.details?.feature]).toEqual([
      403,
      'FEATURE_DISABLED',
      'sso',
    ]);
    const start = await call('GET', `/v1/auth/sso/start?tenant_id=${std.tenantId}`, undefined);
    expect([start.status, start.body['error']?.code]).toEqual([403, 'FEATURE_DISABLED']);
    const wrongIssuer = await call('PUT', '/v1/auth/sso/config', ent.token, {
      ...settings,
      issuer: 'http://example.com/',
    });
    expect([wrongIssuer.status, wrongIssuer.body['error']?.code]).toEqual([400, 'VALIDATION']);
  });

  it('a new person signs in at the provider and is created with the default role, signed in by cookie', async () => {
    idp.signInAs({ sub: 'p-1', email: 'New.Person@ent.example', email_verified: true });
    const { done, session } = await signIn(ent.tenantId);
    expect(done.url).toBe(`${base}/welcome`);
    expect(session).toMatch(/^ses_/);
    const me = await whoAmI(session as string);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'tenant', tenant_id: ent.tenantId, role: 'analyst', via: 'session' });
    const users = await call('GET', '/v1/users', ent.token);
    expect(users.body['users']).toContainEqual(
      expect.objectContaining({ email: 'new.person@ent.example', role: 'analyst', has_password: false }),
    );
  });

  it('an existing user is matched by verified e-mail and keeps their role', async () => {
    await createCredential(operator(t().db), { tenant_id: ent.tenantId, email: 'watcher@ent.example', role: 'viewer' });
    idp.signInAs({ sub: 'p-2', email: 'watcher@ent.example', email_verified: true });
    const { session } = await signIn(ent.tenantId);
    expect((await whoAmI(session as string)).body).toMatchObject({ role: 'viewer', via: 'session' });
  });

  it('refuses an e-mail the provider has not verified, and creates nobody', async () => {
    idp.signInAs({ sub: 'p-3', email: 'unverified@ent.example', email_verified: false });
    const { done, session } = await signIn(ent.tenantId);
    expect(done.response.status).toBe(401);
    expect(((await done.response.json()) as any).error.message).toMatch(/not verified/);
    expect(session).toBeUndefined();
    const users = await call('GET', '/v1/users', ent.token);
    expect(JSON.stringify(users.body)).not.toContain('unverified@ent.example');
  });

  it('refuses an ID token tampered with on its way (e-mail changed to the admin’s): no session, no user', async () => {
    const adminEmail = (await call('GET', '/v1/users', ent.token)).body['users'].find(
      (u: any) => u.role === 'admin',
    ).email;
    idp.signInAs({ sub: 'p-4', email: 'mallory@ent.example', email_verified: true });
    idp.tamper({ email: adminEmail, email_verified: true });
    try {
      const { done, session } = await signIn(ent.tenantId);
      expect(done.response.status).toBe(401);
      const body = (await done.response.json()) as any;
      expect(body.error.code).toBe('UNAUTHENTICATED');
      expect(body.error.message).toMatch(/single sign-on refused/);
      expect(session).toBeUndefined();
    } finally {
      idp.tamper(undefined);
    }
    const users = await call('GET', '/v1/users', ent.token);
    expect(JSON.stringify(users.body)).not.toContain('mallory@ent.example');
  });

  it('refuses a replayed callback and a callback in a browser that did not start the login', async () => {
    idp.signInAs({ sub: 'p-5', email: 'replay@ent.example', email_verified: true });
    const browser = new TestBrowser();
    const atCallback = await browser.follow(
      `${base}/v1/auth/sso/start?tenant_id=${ent.tenantId}&return_to=/welcome`,
      (next) => next.origin === base && next.pathname === '/v1/auth/sso/callback',
    );
    const callbackUrl = atCallback.url;
    const other = new TestBrowser();
    const foreign = await other.get(callbackUrl);
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as any).error.message).toMatch(/did not start this login/);
    const first = await browser.get(callbackUrl);
    expect(first.status).toBe(302);
    browser.setCookie(base, 'stormops_sso', new URL(callbackUrl).searchParams.get('state') as string);
    const replay = await browser.get(callbackUrl);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as any).error.message).toMatch(/unknown, used or expired/);
  });
});
