/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies read by key */
/**
 * Sign-in attacked over loopback: a session cookie without (or with another session's) CSRF token, brute-force
 * login (per account, then per address: 429 RATE_LIMITED), forged, truncated, other-tenant and expired session
 * cookies, reused and expired reset and invitation links, a superseded invitation, cross-tenant user administration,
 * a suspended tenant's sessions. (The tampered SSO ID token: src/domains/users/sso.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { setStatus } from '../src/domains/tenants/tenants.service.ts';
import { inviteUser, sendPasswordReset } from '../src/domains/users/users.service.ts';
import { describeEachDatabase } from './databases.ts';
import { newTenant, operator } from './helpers.ts';

const PASSWORD = 'a long enough password';

interface Reply {
  status: number;
  body: Record<string, any>;
  cookie: string | undefined;
  retryAfter: string | null;
}

describeEachDatabase('sign-in under attack', (t) => {
  let app: FastifyInstance;
  let strict: FastifyInstance;
  let base: string;
  let strictBase: string;
  let a: { tenantId: string; token: string };
  let b: { tenantId: string; token: string };

  async function send(
    at: string,
    method: string,
    path: string,
    o: { token?: string; cookie?: string; csrf?: string; body?: unknown } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (o.token) headers['authorization'] = `Bearer ${o.token}`;
    if (o.cookie !== undefined) headers['cookie'] = `stormops_session=${o.cookie}`;
    if (o.csrf) headers['x-csrf-token'] = o.csrf;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${at}${path}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const text = await r.text();
    const cookie = r.headers
      .getSetCookie()
      .map((c) => /^stormops_session=([^;]+)/.exec(c)?.[1])
      .find((v) => v !== undefined);
    return { status: r.status, body: text ? JSON.parse(text) : {}, cookie, retryAfter: r.headers.get('retry-after') };
  }

  /** A person of tenant `tenantId` with a password: invited and accepted; returns their session. */
  async function person(tenantId: string, email: string, role: 'admin' | 'analyst' | 'viewer' = 'analyst') {
    const inv = await inviteUser(operator(t().db), { tenant_id: tenantId, email, role });
    const token = new URL(inv.link as string).searchParams.get('token') as string;
    const r = await send(base, 'POST', '/v1/auth/accept-invite', { body: { token, password: PASSWORD } });
    expect(r.status).toBe(201);
    return {
      cookie: r.cookie as string,
      csrf: r.body['csrf_token'] as string,
      userId: r.body['user']['user_id'],
      token,
    };
  }

  async function listen(server: FastifyInstance): Promise<string> {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}`;
  }

  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: undefined });
    strict = await buildApp({ db: t().db, platformToken: undefined, signIn: { limits: { perIp: 6 } } });
    base = await listen(app);
    strictBase = await listen(strict);
    a = await newTenant(t().db);
    b = await newTenant(t().db);
  });
  afterAll(async () => {
    await app.close();
    await strict.close();
  });

  it('a cookie without its CSRF token, or with another session’s, changes nothing', async () => {
    const ana = await person(a.tenantId, 'ana@attack-a.example');
    const bob = await person(a.tenantId, 'bob@attack-a.example');
    const body = { event_id: 'CSRF-1', name: 'forged' };
    for (const csrf of [undefined, bob.csrf, '', ana.csrf.slice(0, -1)]) {
      const r = await send(base, 'POST', '/v1/storms', { cookie: ana.cookie, ...(csrf ? { csrf } : {}), body });
      expect([r.status, r.body.error?.code]).toEqual([403, 'CSRF_FAILED']);
    }
    const out = await send(base, 'POST', '/v1/auth/logout', { cookie: ana.cookie });
    expect(out.status).toBe(403);
    const storms = await send(base, 'GET', '/v1/storms', { token: a.token });
    expect(JSON.stringify(storms.body)).not.toContain('CSRF-1');
    expect((await send(base, 'POST', '/v1/storms', { cookie: ana.cookie, csrf: ana.csrf, body })).status).toBe(201);
  });

  it('brute-force login: 429 RATE_LIMITED per account (even the right password), then per address', async () => {
    await person(a.tenantId, 'target@attack-a.example');
    const statuses: number[] = [];
    let last: Reply | undefined;
    for (let i = 0; i < 12; i++) {
      last = await send(base, 'POST', '/v1/auth/login', {
        body: { email: 'target@attack-a.example', password: `guess-${i}-xxxx` },
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(last?.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'account' } });
    expect(Number(last?.retryAfter)).toBeGreaterThan(0);
    const right = await send(base, 'POST', '/v1/auth/login', {
      body: { email: 'target@attack-a.example', password: PASSWORD },
    });
    expect([right.status, right.cookie]).toEqual([429, undefined]);

    // Spraying many accounts from one address: the address limit (6 here) stops it.
    const spray: number[] = [];
    for (let i = 0; i < 8; i++)
      spray.push(
        (
          await send(strictBase, 'POST', '/v1/auth/login', {
            body: { email: `u${i}@attack-a.example`, password: 'whatever-1234' },
          })
        ).status,
      );
    expect(spray).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const reply = await send(strictBase, 'POST', '/v1/auth/login', {
      body: { email: 'x@attack-a.example', password: 'pw-123456789' },
    });
    expect(reply.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'address' } });
  });

  it('forged, truncated, other-tenant and expired session cookies answer 401; a suspended tenant’s 403', async () => {
    const ana = await person(a.tenantId, 'victim@attack-a.example');
    const hexA = a.tenantId.replace(/-/g, '');
    const hexB = b.tenantId.replace(/-/g, '');
    const secret = ana.cookie.slice(-43);
    const forged = [
      `ses_${hexA}_${randomBytes(32).toString('base64url')}`,
      ana.cookie.slice(0, -1),
      `${ana.cookie}x`,
      `ses_${hexB}_${secret}`,
      `sot_${hexA}_${secret.slice(0, 32)}`,
      a.token,
      'null',
    ];
    for (const cookie of forged) {
      const r = await send(base, 'GET', '/v1/storms', { cookie });
      expect([cookie, r.status, r.body.error?.code]).toEqual([cookie, 401, 'UNAUTHENTICATED']);
    }
    expect((await send(base, 'GET', '/v1/storms', { cookie: ana.cookie })).status).toBe(200);
    await sql`update user_session set expires_at = now() - interval '1 second' where user_id = ${ana.userId}`.execute(
      t().db.owner,
    );
    expect((await send(base, 'GET', '/v1/storms', { cookie: ana.cookie })).status).toBe(401);

    const c = await newTenant(t().db);
    const carl = await person(c.tenantId, 'carl@attack-c.example');
    await setStatus(operator(t().db), c.tenantId, 'suspended');
    const r = await send(base, 'GET', '/v1/storms', { cookie: carl.cookie });
    expect([r.status, r.body.error?.code]).toEqual([403, 'TENANT_SUSPENDED']);
    const login = await send(base, 'POST', '/v1/auth/login', {
      body: { email: 'carl@attack-c.example', password: PASSWORD },
    });
    expect([login.status, login.body.error?.code, login.cookie]).toEqual([403, 'TENANT_SUSPENDED', undefined]);
  });

  it('reset and invitation links work once, not after expiry, and a newer invitation voids the older one', async () => {
    const ana = await person(a.tenantId, 'links@attack-a.example');
    const reuse = await send(base, 'POST', '/v1/auth/accept-invite', {
      body: { token: ana.token, password: PASSWORD },
    });
    expect([reuse.status, reuse.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);

    const reset = await sendPasswordReset(operator(t().db), { tenant_id: a.tenantId, user_id: ana.userId });
    const rst = new URL(reset.link as string).searchParams.get('token') as string;
    expect(
      (await send(base, 'POST', '/v1/auth/password-reset', { body: { token: rst, password: 'new password 1' } }))
        .status,
    ).toBe(200);
    const again = await send(base, 'POST', '/v1/auth/password-reset', {
      body: { token: rst, password: 'new password 2' },
    });
    expect([again.status, again.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);

    const late = await sendPasswordReset(operator(t().db), { tenant_id: a.tenantId, user_id: ana.userId });
    await sql`update password_reset set expires_at = now() - interval '1 second' where user_id = ${ana.userId}`.execute(
      t().db.owner,
    );
    const lateToken = new URL(late.link as string).searchParams.get('token') as string;
    expect(
      (await send(base, 'POST', '/v1/auth/password-reset', { body: { token: lateToken, password: 'new password 3' } }))
        .status,
    ).toBe(401);
    // A reset token of tenant A presented as if of tenant B (its tenant part swapped) is unknown there.
    const swapped = rst.replace(a.tenantId.replace(/-/g, ''), b.tenantId.replace(/-/g, ''));
    expect(
      (await send(base, 'POST', '/v1/auth/password-reset', { body: { token: swapped, password: 'new password 4' } }))
        .status,
    ).toBe(401);

    const first = await inviteUser(operator(t().db), {
      tenant_id: a.tenantId,
      email: 'twice@attack-a.example',
      role: 'admin',
    });
    await inviteUser(operator(t().db), { tenant_id: a.tenantId, email: 'twice@attack-a.example', role: 'viewer' });
    const old = new URL(first.link as string).searchParams.get('token') as string;
    expect(
      (await send(base, 'POST', '/v1/auth/accept-invite', { body: { token: old, password: PASSWORD } })).status,
    ).toBe(401);
    const expired = await inviteUser(operator(t().db), {
      tenant_id: a.tenantId,
      email: 'late@attack-a.example',
      role: 'admin',
    });
    await sql`update user_invitation set expires_at = now() - interval '1 second' where email = 'late@attack-a.example'`.execute(
      t().db.owner,
    );
    const lateInv = new URL(expired.link as string).searchParams.get('token') as string;
    expect(
      (await send(base, 'POST', '/v1/auth/accept-invite', { body: { token: lateInv, password: PASSWORD } })).status,
    ).toBe(401);
  });

  it('another tenant’s admin (credential or session) cannot list, invite, change or remove this tenant’s users', async () => {
    const victim = await person(a.tenantId, 'staff@attack-a.example', 'viewer');
    const bAdmin = await person(b.tenantId, 'boss@attack-b.example', 'admin');
    const asB = [{ token: b.token }, { cookie: bAdmin.cookie, csrf: bAdmin.csrf }];
    for (const who of asB) {
      const list = await send(base, 'GET', `/v1/users?tenant_id=${a.tenantId}`, who);
      expect(list.status).toBe(404);
      const own = await send(base, 'GET', '/v1/users', who);
      expect(JSON.stringify(own.body)).not.toContain('staff@attack-a.example');
      const invite = await send(base, 'POST', `/v1/users/invitations?tenant_id=${a.tenantId}`, {
        ...who,
        body: { email: 'mole@attack-b.example', role: 'admin' },
      });
      expect(invite.status).toBe(404);
      const promote = await send(base, 'PATCH', `/v1/users/${victim.userId}`, { ...who, body: { role: 'admin' } });
      expect(promote.status).toBe(404);
      const remove = await send(base, 'DELETE', `/v1/users/${victim.userId}`, who);
      expect(remove.status).toBe(404);
      const reset = await send(base, 'POST', `/v1/users/${victim.userId}/password-reset`, who);
      expect(reset.status).toBe(404);
      const sso = await send(base, 'GET', `/v1/auth/sso/config?tenant_id=${a.tenantId}`, who);
      expect(sso.status).toBe(404);
    }
    // The victim is untouched, and a viewer's own session cannot administer users at all.
    const users = await send(base, 'GET', '/v1/users', { token: a.token });
    expect(users.body['users'].find((u: any) => u.user_id === victim.userId).role).toBe('viewer');
    const self = await send(base, 'PATCH', `/v1/users/${victim.userId}`, {
      cookie: victim.cookie,
      csrf: victim.csrf,
      body: { role: 'admin' },
    });
    expect([self.status, self.body.error?.code]).toEqual([403, 'FORBIDDEN']);
  });
});
