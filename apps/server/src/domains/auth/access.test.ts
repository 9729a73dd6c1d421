/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, read by key */
/**
 * Access control over HTTP (in-process) and the CLI: scopes and escalation, expiry, revocation, suspension, feature
 * flags, staff principals and the append-only audit log.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { loadConfig } from '../../config.ts';
import { main } from '../../cli/main.ts';
import { createRuntime } from '../../cli/runtime.ts';
import { buildApp } from '../../http/app.ts';
import { installAuth } from '../../http/auth.ts';
import { installErrorHandling } from '../../http/errors.ts';

const PLATFORM_TOKEN = 'access-test-platform-token-0123456789';
const op = { authorization: `Bearer ${PLATFORM_TOKEN}` };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describeEachDatabase('access control', (t) => {
  let app: FastifyInstance;
  let tenantId: string;
  let admin: { authorization: string };
  let stormId: string;

  async function call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    headers: object,
    payload?: object,
  ) {
    const r = await app.inject({
      method,
      url,
      headers: headers as Record<string, string>,
      ...(payload ? { payload } : {}),
    });
    return {
      status: r.statusCode,
      body: r.body ? (r.json() as Record<string, any>) : {},
      id: r.headers['x-request-id'],
    };
  }

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const rt = createRuntime(
      loadConfig({}),
      { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) } },
      t().db,
    );
    return { code: await main(argv, {}, rt), out, err };
  }

  async function issue(body: object) {
    return call('POST', `/v1/tenants/${tenantId}/credentials`, admin, body);
  }

  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: PLATFORM_TOKEN });
    const r = await call('POST', '/v1/tenants', op, {
      org_name: 'Access Roofing',
      tier: 'standard',
      admin_email: 'a@access.example',
    });
    tenantId = r.body['tenant_id'];
    admin = bearer(r.body['admin_token']);
    stormId = (await call('POST', '/v1/storms', admin, { event_id: 'A1', name: 'Access' })).body['storm_id'];
  });
  afterAll(() => app.close());

  it('scopes limit a credential; asking for more than the role holds is refused, naming the action', async () => {
    const scoped = await issue({ email: 'crm@access.example', role: 'analyst', scopes: ['outcomes:write'] });
    expect(scoped.status).toBe(201);
    expect(scoped.body).toMatchObject({ role: 'analyst', scopes: ['outcomes:write'] });
    const key = bearer(scoped.body['token']);
    const storm = await call('POST', '/v1/storms', key, { event_id: 'S2', name: 'x' });
    expect(storm.status).toBe(403);
    expect(storm.body['error'].message).toMatch(/outside this credential's scopes/);
    const outcome = await call('POST', '/v1/outcomes', key, {
      storm_id: stormId,
      property_id: crypto.randomUUID(),
      converted: true,
    });
    expect(outcome.status).not.toBe(403);
    expect(outcome.status).toBeLessThan(500);

    const escalate = await issue({ email: 'c@access.example', role: 'canvasser', scopes: ['policy:apply'] });
    expect(escalate.status).toBe(400);
    expect(escalate.body['error'].message).toMatch(/role canvasser does not hold policy:apply/);
    const grantWrong = await issue({ email: 'c@access.example', role: 'canvasser', grants: ['policy:apply'] });
    expect(grantWrong.status).toBe(400);
    // A non-admin cannot issue credentials at all, not even a narrower one.
    const analyst = bearer((await issue({ email: 'an@access.example', role: 'analyst' })).body['token']);
    const self = await call('POST', `/v1/tenants/${tenantId}/credentials`, analyst, {
      email: 'x@access.example',
      role: 'admin',
    });
    expect(self.status).toBe(403);
    // An analyst previews but does not apply, unless the admin grants policy:apply on its credential.
    expect((await call('POST', `/v1/storms/${stormId}/policy/apply`, analyst, {})).status).toBe(403);
    const granted = await issue({ email: 'an@access.example', role: 'analyst', grants: ['policy:apply'] });
    expect(granted.status).toBe(201);
    const apply = await call('POST', `/v1/storms/${stormId}/policy/apply`, bearer(granted.body['token']), {});
    expect(apply.status).toBe(400); // allowed through: refused only because the storm has no properties
    expect(apply.body['error'].message).toMatch(/no properties/);
  });

  it('an expired credential answers 401', async () => {
    const a = await issue({ email: 'v1@access.example', role: 'viewer', expires_in_days: 1 });
    expect(new Date(a.body['expires_at']).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await sql`update api_token set expires_at = now() - interval '1 second' where token_id = ${a.body['token_id']}`.execute(
      t().db.owner,
    );
    expect((await call('GET', '/v1/storms', bearer(a.body['token']))).status).toBe(401);
  });

  it('a credential lasts 90 days by default, is listed without its secret, and answers 401 once revoked (HTTP or CLI)', async () => {
    const b = await issue({ email: 'v2@access.example', role: 'viewer' });
    const days = (new Date(b.body['expires_at']).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    expect((await call('GET', '/v1/storms', bearer(b.body['token']))).status).toBe(200);
    const list = await call('GET', `/v1/tenants/${tenantId}/credentials`, admin);
    const row = list.body['credentials'].find((c: { token_id: string }) => c.token_id === b.body['token_id']);
    expect(row).toMatchObject({ status: 'active', email: 'v2@access.example', role: 'viewer' });
    expect(row.last_used_at).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(b.body['token']);
    const revoked = await call('DELETE', `/v1/tenants/${tenantId}/credentials/${b.body['token_id']}`, admin);
    expect(revoked.status).toBe(200);
    expect((await call('GET', '/v1/storms', bearer(b.body['token']))).status).toBe(401);
    const again = await cli(
      'tenant',
      'credential',
      'revoke',
      '--tenant',
      tenantId,
      '--token-id',
      b.body['token_id'],
      '--json',
    );
    expect(again.code).toBe(0);

    const c = await issue({ email: 'v3@access.example', role: 'viewer' });
    const viaCli = await cli('tenant', 'credential', 'revoke', '--tenant', tenantId, '--token-id', c.body['token_id']);
    expect(viaCli.code).toBe(0);
    expect((await call('GET', '/v1/storms', bearer(c.body['token']))).status).toBe(401);
  });

  it('a suspended tenant answers 403 TENANT_SUSPENDED', async () => {
    const other = await call('POST', '/v1/tenants', op, {
      org_name: 'Suspended Roofing',
      tier: 'trial',
      admin_email: 's@s.example',
    });
    const key = bearer(other.body['admin_token']);
    expect((await call('GET', '/v1/storms', key)).status).toBe(200);
    expect((await call('PATCH', `/v1/tenants/${other.body['tenant_id']}`, op, { status: 'suspended' })).status).toBe(
      200,
    );
    const suspended = await call('GET', '/v1/storms', key);
    expect(suspended.status).toBe(403);
    expect(suspended.body['error'].code).toBe('TENANT_SUSPENDED');
  });

  it('feature flags gate their actions with 403 FEATURE_DISABLED naming the flag, over HTTP and the CLI', async () => {
    const off = (flags: object) => call('PATCH', `/v1/tenants/${tenantId}`, op, { feature_flags: flags });
    expect((await off({ uplift_scoring: false, pdf_reports: false })).status).toBe(200);
    const score = await call('POST', `/v1/storms/${stormId}/score`, admin, {});
    expect(score.status).toBe(403);
    expect(score.body['error']).toMatchObject({ code: 'FEATURE_DISABLED', details: { feature: 'uplift_scoring' } });
    const pdf = await call('GET', `/v1/storms/${stormId}/pilot?format=pdf`, admin);
    expect(pdf.body['error']).toMatchObject({ code: 'FEATURE_DISABLED', details: { feature: 'pdf_reports' } });
    const viaCli = await cli('model', 'score', '--storm', stormId);
    expect(viaCli.code).toBe(2);
    expect(viaCli.err).toMatch(/^error: FEATURE_DISABLED: the uplift_scoring feature is not enabled/);
    expect((await off({ api_access: false })).status).toBe(200);
    const api = await call('GET', '/v1/storms', admin);
    expect(api.body['error']).toMatchObject({ code: 'FEATURE_DISABLED', details: { feature: 'api_access' } });
    expect((await off({ api_access: null, uplift_scoring: null, pdf_reports: null })).status).toBe(200);
    expect((await call('GET', '/v1/storms', admin)).status).toBe(200);
  });

  it('staff: Customer Success reads usage of every tenant and nothing of theirs; support reads settings only', async () => {
    const made = await cli(
      'staff',
      'credential',
      '--email',
      'csm@platform.example',
      '--role',
      'CustomerSuccessManager',
      '--scope',
      'billing:read',
      '--json',
    );
    expect(made.code).toBe(0);
    const csm = JSON.parse(made.out) as { token: string; role: string; scopes: string[] };
    expect(csm).toMatchObject({ role: 'customer_success_manager', scopes: ['billing:read'] });
    const key = bearer(csm.token);
    const usage = await call('GET', '/v1/billing/usage', key);
    expect(usage.status).toBe(200);
    expect(usage.body['tenants'].map((r: { tenant_id: string }) => r.tenant_id)).toContain(tenantId);
    for (const url of [
      `/v1/storms?tenant_id=${tenantId}`,
      `/v1/storms/${stormId}/properties`,
      `/v1/storms/${stormId}/pilot`,
      `/v1/tenants`,
    ])
      expect((await call('GET', url, key)).status).toBe(403);

    const support = await call('POST', '/v1/staff/credentials', op, {
      email: 'help@platform.example',
      role: 'support',
    });
    expect(support.status).toBe(201);
    const sk = bearer(support.body['token']);
    expect((await call('GET', `/v1/tenants/${tenantId}`, sk)).status).toBe(200);
    expect((await call('PATCH', `/v1/tenants/${tenantId}`, sk, { tier: 'trial' })).status).toBe(403);
    expect((await call('GET', '/v1/billing/usage', sk)).status).toBe(403);
    const escalate = await call('POST', '/v1/staff/credentials', op, {
      email: 'help@platform.example',
      role: 'support',
      scopes: ['billing:read'],
    });
    expect(escalate.status).toBe(400);
    expect(
      (await call('POST', '/v1/staff/credentials', sk, { email: 'x@platform.example', role: 'support' })).status,
    ).toBe(403);
    expect((await call('DELETE', `/v1/staff/credentials/${support.body['token_id']}`, op)).status).toBe(200);
    expect((await call('GET', `/v1/tenants/${tenantId}`, sk)).status).toBe(401);
    expect((await call('GET', '/v1/staff/credentials', op)).body['credentials'].length).toBeGreaterThanOrEqual(2);
  });

  it('audits administrative actions with actor, before and after, request id; the log is append-only', async () => {
    const moved = await call('POST', `/v1/storms/${stormId}/status`, admin, {
      status: 'active',
      reason: 'hail confirmed',
    });
    expect(moved.status).toBe(200);
    const log = await call('GET', `/v1/audit?tenant_id=${tenantId}`, op);
    expect(log.status).toBe(200);
    const events = log.body['events'] as Array<Record<string, any>>;
    const actions = new Set(events.map((e) => e['action']));
    for (const a of [
      'tenant.provision',
      'user.create',
      'credential.issue',
      'credential.revoke',
      'tenant.update',
      'storm.status',
    ])
      expect(actions).toContain(a);
    const status = events.find((e) => e['action'] === 'storm.status');
    expect(status).toMatchObject({
      tenant_id: tenantId,
      actor: { kind: 'user', role: 'admin' },
      target: { type: 'storm', id: stormId },
      before: { status: 'planning' },
      after: { status: 'active', reason: 'hail confirmed' },
      request_id: moved.id,
    });
    const own = await call('GET', '/v1/audit', admin);
    expect(own.body['events'].length).toBe(events.length);
    const other = await call('POST', '/v1/tenants', op, {
      org_name: 'Audit Other',
      tier: 'trial',
      admin_email: 'o@o.example',
    });
    expect((await call('GET', `/v1/audit?tenant_id=${other.body['tenant_id']}`, admin)).status).toBe(404);
    const viaCli = await cli('audit', 'list', '--tenant', tenantId, '--since', '2020-01-01', '--json');
    expect(viaCli.code).toBe(0);
    expect((JSON.parse(viaCli.out) as unknown[]).length).toBe(events.length);
    const platform = await cli('audit', 'list', '--json');
    expect((JSON.parse(platform.out) as Array<{ action: string }>).map((e) => e.action)).toContain('credential.issue');

    const db = t().db;
    await expect(sql`update audit_event set action = 'x'`.execute(db.owner)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event`.execute(db.owner)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_event`.execute(db.owner)).rejects.toThrow(/append-only/);
    await expect(db.withTenant(tenantId, (trx) => sql`delete from audit_event`.execute(trx))).rejects.toThrow(
      /append-only|permission denied/,
    );
    await expect(
      db.withPlatform((trx) => sql`update platform_audit_event set action = 'x'`.execute(trx)),
    ).rejects.toThrow(/append-only|permission denied/);
  });

  it('a /v1 route must declare a permission; a public one is reached without a credential', async () => {
    const bare = Fastify();
    installErrorHandling(bare);
    installAuth(bare, t().db, PLATFORM_TOKEN);
    await bare.register(
      async (v1) => {
        v1.get('/open', { config: { permission: 'public' } }, async () => ({ ok: true }));
        v1.get('/closed', { config: { permission: 'storms:read' } }, async () => ({ ok: true }));
      },
      { prefix: '/v1' },
    );
    expect((await bare.inject({ url: '/v1/open' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/v1/closed' })).statusCode).toBe(401);
    expect((await bare.inject({ url: '/v1/closed', headers: op })).statusCode).toBe(200);
    await bare.close();
    const broken = Fastify();
    installAuth(broken, t().db, PLATFORM_TOKEN);
    await expect(
      broken
        .register(
          async (v1) => {
            v1.get('/undeclared', async () => ({}));
          },
          { prefix: '/v1' },
        )
        .ready(),
    ).rejects.toThrow(/declares no permission/);
  });
});
