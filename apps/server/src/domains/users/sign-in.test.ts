/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies read by key */
/**
 * Sign-in for people over real HTTP on loopback, with invitations and resets sent to a real SMTP server started
 * in-process: invitation by e-mail, login cookie, CSRF, session follows the role, logout, password reset (e-mailed
 * and admin-issued), several tenants per e-mail, the last admin, and the CLI (links printed without SMTP).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator } from '../../../test/helpers.ts';
import { startMailCatcher, textOf, tokenIn, type MailCatcher } from '../../../test/mail-catcher.ts';
import { loadConfig } from '../../config.ts';
import { main } from '../../cli/main.ts';
import { createRuntime } from '../../cli/runtime.ts';
import { buildApp } from '../../http/app.ts';
import { createStormOps } from '../../sdk.ts';
import { smtpMailer } from './mailer.ts';
import { inviteUser, sendPasswordReset } from './users.service.ts';

const PASSWORD = 'correct horse battery staple';

interface Reply {
  status: number;
  body: Record<string, any>;
  cookie: string | undefined;
  setCookie: string[];
  headers: Headers;
}

describeEachDatabase('sign-in for people', (t) => {
  let app: FastifyInstance;
  let base: string;
  let smtp: MailCatcher;
  let tenant: { tenantId: string; token: string; view: { admin_email: string } };

  async function send(
    method: string,
    path: string,
    opts: { token?: string; cookie?: string | undefined; csrf?: string; body?: unknown } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    if (opts.cookie) headers['cookie'] = `stormops_session=${opts.cookie}`;
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await r.text();
    const setCookie = r.headers.getSetCookie();
    const session = setCookie.map((c) => /^stormops_session=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
    return { status: r.status, body: text ? JSON.parse(text) : {}, cookie: session, setCookie, headers: r.headers };
  }

  async function invited(email: string, role: string): Promise<string> {
    const r = await send('POST', '/v1/users/invitations', { token: tenant.token, body: { email, role } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ email, role, delivery: 'email' });
    expect(r.body['link']).toBeUndefined();
    return tokenIn(await smtp.next(email));
  }

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const rt = createRuntime(
      loadConfig({ STORMOPS_PUBLIC_URL: 'https://app.stormops.test' }),
      { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) } },
      t().db,
    );
    return { code: await main(argv, {}, rt), out, err };
  }

  beforeAll(async () => {
    smtp = await startMailCatcher();
    app = await buildApp({
      db: t().db,
      platformToken: undefined,
      signIn: {
        deps: {
          mailer: smtpMailer(smtp.url, 'StormOps <no-reply@stormops.test>'),
          publicUrl: 'https://app.stormops.test',
        },
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    tenant = await newTenant(t().db, 'standard');
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('an admin invites by e-mail; the link sets a password once and signs the person in', async () => {
    const token = await invited('ana@signin.example', 'analyst');
    const mail = smtp.mails.find((m) => m.to.includes('ana@signin.example'));
    expect(textOf(mail as NonNullable<typeof mail>)).toContain(
      `https://app.stormops.test/accept-invite?token=${token}`,
    );
    const short = await send('POST', '/v1/auth/accept-invite', { body: { token, password: 'short' } });
    expect([short.status, short.body.error?.message]).toEqual([400, expect.stringMatching(/password.*at least 10/)]);
    const accepted = await send('POST', '/v1/auth/accept-invite', { body: { token, password: PASSWORD } });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ user: { email: 'ana@signin.example', role: 'analyst' } });
    expect(accepted.body['csrf_token']).toEqual(expect.any(String));
    const cookieLine = accepted.setCookie.find((c) => c.startsWith('stormops_session='));
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
    expect(JSON.stringify(accepted.body)).not.toContain(accepted.cookie as string);
    const again = await send('POST', '/v1/auth/accept-invite', { body: { token, password: PASSWORD } });
    expect([again.status, again.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const users = await send('GET', '/v1/users', { token: tenant.token });
    expect(users.body['users']).toContainEqual(
      expect.objectContaining({ email: 'ana@signin.example', role: 'analyst', has_password: true }),
    );
    const audit = await send('GET', '/v1/audit', { token: tenant.token });
    const actions = audit.body['events'].map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.invite', 'user.create']));
  });

  it('login sets the cookie; a state change needs the CSRF token; the session follows role changes; logout ends it', async () => {
    const wrong = await send('POST', '/v1/auth/login', {
      body: { email: 'ana@signin.example', password: 'not the password' },
    });
    expect([wrong.status, wrong.body.error?.code, wrong.cookie]).toEqual([401, 'UNAUTHENTICATED', undefined]);
    const unknown = await send('POST', '/v1/auth/login', {
      body: { email: 'nobody@signin.example', password: PASSWORD },
    });
    expect([unknown.status, unknown.body.error?.message]).toEqual([401, wrong.body.error?.message]);
    const login = await send('POST', '/v1/auth/login', { body: { email: 'ANA@signin.example', password: PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = login.cookie as string;
    const csrf = login.body['csrf_token'] as string;
    expect((await send('GET', '/v1/storms', { cookie })).status).toBe(200);
    const noCsrf = await send('POST', '/v1/storms', { cookie, body: { event_id: 'S1', name: 'Session storm' } });
    expect([noCsrf.status, noCsrf.body.error?.code]).toEqual([403, 'CSRF_FAILED']);
    const badCsrf = await send('POST', '/v1/storms', { cookie, csrf: `${csrf}x`, body: { event_id: 'S1', name: 'x' } });
    expect(badCsrf.status).toBe(403);
    const made = await send('POST', '/v1/storms', { cookie, csrf, body: { event_id: 'S1', name: 'Session storm' } });
    expect(made.status).toBe(201);
    const me = await send('GET', '/v1/auth/session', { cookie });
    expect(me.body).toMatchObject({ role: 'analyst', via: 'session', tenant_id: tenant.tenantId, csrf_token: csrf });
    // An analyst cannot administer users, by session as by credential.
    expect((await send('GET', '/v1/users', { cookie })).status).toBe(403);

    const userId = me.body['user_id'] as string;
    const demoted = await send('PATCH', `/v1/users/${userId}`, { token: tenant.token, body: { role: 'viewer' } });
    expect(demoted.status).toBe(200);
    const refused = await send('POST', '/v1/storms', { cookie, csrf, body: { event_id: 'S2', name: 'x' } });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);

    const out = await send('POST', '/v1/auth/logout', { cookie, csrf });
    expect([out.status, out.body['signed_out']]).toEqual([200, true]);
    expect(out.setCookie.some((c) => /^stormops_session=;/.test(c))).toBe(true);
    expect((await send('GET', '/v1/storms', { cookie })).status).toBe(401);
  });

  it('password reset: forgotten (e-mailed) and admin-issued links work once and end the old sessions', async () => {
    const login = await send('POST', '/v1/auth/login', { body: { email: 'ana@signin.example', password: PASSWORD } });
    const oldCookie = login.cookie as string;
    const asked = await send('POST', '/v1/auth/password-reset/request', { body: { email: 'ana@signin.example' } });
    const nobody = await send('POST', '/v1/auth/password-reset/request', { body: { email: 'ghost@signin.example' } });
    expect([asked.status, asked.body]).toEqual([202, { accepted: true }]);
    expect([nobody.status, nobody.body]).toEqual([202, { accepted: true }]);
    const token = tokenIn(await smtp.next('ana@signin.example'));
    const done = await send('POST', '/v1/auth/password-reset', { body: { token, password: 'a brand new passphrase' } });
    expect(done.status).toBe(200);
    const reuse = await send('POST', '/v1/auth/password-reset', { body: { token, password: 'another passphrase!' } });
    expect([reuse.status, reuse.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await send('GET', '/v1/storms', { cookie: oldCookie })).status).toBe(401);
    expect(
      (await send('POST', '/v1/auth/login', { body: { email: 'ana@signin.example', password: PASSWORD } })).status,
    ).toBe(401);
    const fresh = await send('POST', '/v1/auth/login', {
      body: { email: 'ana@signin.example', password: 'a brand new passphrase' },
    });
    expect(fresh.status).toBe(200);

    // Without SMTP the admin is shown the link to pass on.
    const userId = fresh.body['user']['user_id'];
    const shown = await sendPasswordReset(operator(t().db), { tenant_id: tenant.tenantId, user_id: userId });
    expect(shown).toMatchObject({ delivery: 'shown', link: expect.stringContaining('/reset-password?token=rst_') });
  });

  it('an e-mail in two tenants: the caller names one; the last admin cannot be demoted or removed', async () => {
    const other = await newTenant(t().db, 'standard');
    for (const tid of [tenant.tenantId, other.tenantId]) {
      const inv = await inviteUser(operator(t().db), { tenant_id: tid, email: 'both@signin.example', role: 'viewer' });
      const token = new URL(inv.link as string).searchParams.get('token') as string;
      expect((await send('POST', '/v1/auth/accept-invite', { body: { token, password: PASSWORD } })).status).toBe(201);
    }
    const ambiguous = await send('POST', '/v1/auth/login', {
      body: { email: 'both@signin.example', password: PASSWORD },
    });
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.details.organisations.map((o: any) => o.tenant_id).sort()).toEqual(
      [tenant.tenantId, other.tenantId].sort(),
    );
    const named = await send('POST', '/v1/auth/login', {
      body: { email: 'both@signin.example', password: PASSWORD, tenant_id: other.tenantId },
    });
    expect([named.status, named.body['tenant']['tenant_id']]).toEqual([200, other.tenantId]);

    const users = (await send('GET', '/v1/users', { token: tenant.token })).body['users'] as any[];
    const admin = users.find((u) => u.role === 'admin');
    const demote = await send('PATCH', `/v1/users/${admin.user_id}`, { token: tenant.token, body: { role: 'viewer' } });
    expect([demote.status, demote.body.error?.code]).toEqual([409, 'CONFLICT']);
    const remove = await send('DELETE', `/v1/users/${admin.user_id}`, { token: tenant.token });
    expect(remove.status).toBe(409);
    const both = users.find((u) => u.email === 'both@signin.example');
    const removed = await send('DELETE', `/v1/users/${both.user_id}`, { token: tenant.token });
    expect(removed.status).toBe(200);
    const after = await send('POST', '/v1/auth/login', {
      body: { email: 'both@signin.example', password: PASSWORD, tenant_id: tenant.tenantId },
    });
    expect(after.status).toBe(401);
  });

  it('the CLI invites (printing the link without SMTP), lists, changes a role, removes; unknown flags refused', async () => {
    const inv = await cli(
      'user',
      'invite',
      '--tenant',
      tenant.tenantId,
      '--email',
      'cli@signin.example',
      '--role',
      'canvasser',
    );
    expect(inv.code).toBe(0);
    expect(inv.out).toContain('No SMTP_URL');
    const link = /link: (\S+)/.exec(inv.out)?.[1] as string;
    expect(link).toMatch(/^https:\/\/app\.stormops\.test\/accept-invite\?token=inv_/);
    const token = new URL(link).searchParams.get('token') as string;
    expect((await send('POST', '/v1/auth/accept-invite', { body: { token, password: PASSWORD } })).status).toBe(201);
    const list = await cli('user', 'list', '--tenant', tenant.tenantId, '--json');
    const user = JSON.parse(list.out).users.find((u: any) => u.email === 'cli@signin.example');
    expect(user.role).toBe('canvasser');
    const role = await cli(
      'user',
      'role',
      '--tenant',
      tenant.tenantId,
      '--user',
      user.user_id,
      '--role',
      'viewer',
      '--json',
    );
    expect([role.code, JSON.parse(role.out).role]).toEqual([0, 'viewer']);
    const bad = await cli('user', 'role', '--tenant', tenant.tenantId, '--user', user.user_id, '--role', 'owner');
    expect([bad.code, bad.err]).toEqual([
      2,
      expect.stringMatching(/role: must be one of admin, analyst, canvasser, viewer/),
    ]);
    const flag = await cli(
      'user',
      'invite',
      '--tenant',
      tenant.tenantId,
      '--email',
      'x@y.example',
      '--role',
      'viewer',
      '--admin',
    );
    expect([flag.code, flag.err]).toEqual([2, expect.stringMatching(/unknown option '--admin'/)]);
    const rm = await cli('user', 'remove', '--tenant', tenant.tenantId, '--user', user.user_id, '--json');
    expect([rm.code, JSON.parse(rm.out).removed]).toEqual([0, true]);
    const audit = await send('GET', '/v1/audit', { token: tenant.token });
    const actions = audit.body['events'].map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.role', 'user.remove']));
  });

  it('the SDK does the same: invite (e-mailed), accept, login, change role, who am I', async () => {
    const ops = await createStormOps({
      database: t().db,
      migrate: false,
      signIn: {
        mailer: smtpMailer(smtp.url, 'StormOps <no-reply@stormops.test>'),
        publicUrl: 'https://app.stormops.test',
      },
    });
    const inv = await ops.users.invite({ tenant_id: tenant.tenantId, email: 'sdk@signin.example', role: 'analyst' });
    expect([inv.delivery, inv.link]).toEqual(['email', undefined]);
    const token = tokenIn(await smtp.next('sdk@signin.example'));
    const accepted = await ops.auth.acceptInvitation({ token, password: PASSWORD });
    expect(accepted.user).toMatchObject({ email: 'sdk@signin.example', role: 'analyst' });
    const login = await ops.auth.login({ email: 'sdk@signin.example', password: PASSWORD });
    expect(login.session.token).toMatch(/^ses_/);
    const changed = await ops.users.setRole({
      tenant_id: tenant.tenantId,
      user_id: login.user.user_id,
      role: 'viewer',
    });
    expect(changed.role).toBe('viewer');
    const me = await send('GET', '/v1/auth/session', { cookie: login.session.token });
    expect(me.body).toMatchObject({ role: 'viewer', via: 'session', csrf_token: login.session.csrf_token });
    const listed = await ops.users.list({ tenant_id: tenant.tenantId });
    expect(listed.users.map((u) => u.email)).toContain('sdk@signin.example');
    await ops.close();
  });
});
