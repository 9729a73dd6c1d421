/**
 * Access control tested as an attacker, from outside the process: a real server on loopback, requests over TCP.
 * - The role matrix generated from /openapi.json: every operation x every role and staff kind x own tenant and
 *   another tenant. A principal without the operation's x-permission gets exactly 403; one with it gets exactly what
 *   the operator gets for the same request (the operator holds everything), except that a tenant principal naming
 *   another tenant's resources gets 404. Never a 5xx; an operation without a declared permission fails the test.
 * - Forged, truncated, expired, revoked and other-tenant tokens; scope escalation.
 * - Randomized cross-tenant requests (1,000 on server Postgres): 0 leaks of the other tenant's data, 0 5xx.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { ACTIONS, PUBLIC, ROLES, roleHolds, type Action, type Role } from '../src/domains/auth/permissions.ts';
import { createCredential } from '../src/domains/tenants/credentials.service.ts';
import { createStaffCredential } from '../src/domains/auth/staff.service.ts';
import { listImports } from '../src/domains/properties/properties.service.ts';
import { createStorm } from '../src/domains/storms/storms.service.ts';
import { importInto } from '../src/domains/policy/test-fixtures.ts';
import { describeEachDatabase } from './databases.ts';
import { newTenant, operator } from './helpers.ts';

const PLATFORM_TOKEN = `attacker-platform-${randomBytes(16).toString('hex')}`;

interface Operation {
  method: string;
  path: string;
  permission: Action | typeof PUBLIC;
  params: Array<{ in: string; name: string }>;
  bodyProps: string[] | undefined;
  json: boolean;
}

interface Tenant {
  id: string;
  org: string;
  adminEmail: string;
  stormId: string;
  eventId: string;
  propertyIds: string[];
  importId: string;
  tokens: Record<'admin' | 'analyst' | 'canvasser' | 'viewer', string>;
  tokenIds: string[];
  adminUserId: string;
}

interface Reply {
  status: number;
  text: string;
  body: { error?: { code?: string; details?: { issues?: Array<{ field?: string }> } } } | undefined;
}

describeEachDatabase('attacker over loopback', (t) => {
  let app: FastifyInstance;
  let base: string;
  let ops: Operation[];
  const tenants: Tenant[] = [];
  const staff: Record<'customer_success_manager' | 'support', string> = { customer_success_manager: '', support: '' };
  let staffDecoy = '';

  async function send(method: string, url: string, token: string | undefined, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${base}${url}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let parsed: Reply['body'];
    try {
      parsed = JSON.parse(text) as Reply['body'];
    } catch {
      parsed = undefined;
    }
    return { status: r.status, text, body: parsed };
  }

  async function setUpTenant(name: string): Promise<Tenant> {
    const db = t().db;
    const made = await newTenant(db, 'enterprise');
    const ctx = operator(db);
    const storm = await createStorm(ctx, { tenant_id: made.tenantId, event_id: `EV-${name}`, name: `Storm ${name}` });
    await importInto(db, storm.storm_id, 20, name.charCodeAt(0));
    const imports = await listImports(ctx, { storm_id: storm.storm_id });
    const props = await db.withTenant(made.tenantId, (trx) =>
      trx.selectFrom('property').select('property_id').where('storm_id', '=', storm.storm_id).execute(),
    );
    const tokens = { admin: made.token } as Tenant['tokens'];
    for (const role of ['analyst', 'canvasser', 'viewer'] as const)
      tokens[role] = (
        await createCredential(ctx, { tenant_id: made.tenantId, email: `${role}@${name}.example`, role })
      ).token;
    const tokenIds: string[] = [];
    for (let i = 0; i < 3; i++)
      tokenIds.push(
        (await createCredential(ctx, { tenant_id: made.tenantId, email: `decoy@${name}.example`, role: 'viewer' }))
          .token_id,
      );
    return {
      id: made.tenantId,
      org: made.orgName,
      adminEmail: made.view.admin_email,
      stormId: storm.storm_id,
      eventId: `EV-${name}`,
      propertyIds: props.map((p) => p.property_id),
      importId: String(imports[0]?.import_id),
      tokens,
      tokenIds,
      adminUserId: made.view.admin_user_id,
    };
  }

  beforeAll(async () => {
    const db = t().db;
    app = await buildApp({ db, platformToken: PLATFORM_TOKEN });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    tenants.push(await setUpTenant('alpha'), await setUpTenant('bravo'));
    for (const role of ['customer_success_manager', 'support'] as const)
      staff[role] = (await createStaffCredential(operator(db), { email: `${role}@platform.example`, role })).token;
    staffDecoy = (await createStaffCredential(operator(db), { email: 'decoy@platform.example', role: 'support' }))
      .token_id;

    const doc = (await send('GET', '/openapi.json', undefined)).body as unknown as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    ops = [];
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods)) {
        const content = (op['requestBody'] as { content?: Record<string, { schema?: { properties?: object } }> })
          ?.content;
        const json = content?.['application/json'];
        ops.push({
          method: method.toUpperCase(),
          path,
          permission: op['x-permission'] as Action,
          params: (op['parameters'] as Array<{ in: string; name: string }> | undefined) ?? [],
          bodyProps: json ? Object.keys(json.schema?.properties ?? {}) : undefined,
          json: json !== undefined,
        });
      }
  }, 120_000);
  afterAll(async () => {
    await app.close();
  });

  /** The request an operation makes against a tenant: its ids in the path, and in tenant_id/storm_id fields. */
  function requestFor(op: Operation, target: Tenant, tokenIndex: number): { url: string; body: unknown } {
    const ids: Record<string, string> = {
      tenant_id: target.id,
      storm_id: target.stormId,
      property_id: target.propertyIds[0] ?? randomUUID(),
      import_id: target.importId,
      model_id: randomUUID(),
      user_id: target.adminUserId,
      token_id: op.path.startsWith('/v1/staff') ? staffDecoy : (target.tokenIds[tokenIndex % 3] as string),
      mode: 'moderate',
      name: 'matrix',
    };
    const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? 'x');
    const query = op.params.some((p) => p.in === 'query' && p.name === 'tenant_id') ? `?tenant_id=${target.id}` : '';
    let body: unknown;
    if (op.json) {
      const b: Record<string, unknown> = {};
      for (const k of ['tenant_id', 'storm_id', 'property_id']) if (op.bodyProps?.includes(k)) b[k] = ids[k];
      body = b;
    }
    return { url: `${path}${query}`, body };
  }

  const principals: Array<{ role: Role; token: (own: Tenant) => string }> = [
    { role: 'operator', token: () => PLATFORM_TOKEN },
    { role: 'customer_success_manager', token: () => staff.customer_success_manager },
    { role: 'support', token: () => staff.support },
    ...(['admin', 'analyst', 'canvasser', 'viewer'] as const).map((role) => ({
      role,
      token: (own: Tenant) => own.tokens[role],
    })),
  ];

  /** A refusal of the request's shape (validation of body, query or params; media type): the same for any tenant. */
  function shapeRefusal(r: Reply): boolean {
    if (r.status === 415) return true;
    const field = r.body?.error?.details?.issues?.[0]?.field ?? '';
    return r.status === 400 && /^(body|querystring|params)/.test(field);
  }

  const referencesTenant = (op: Operation) =>
    /\{(tenant_id|storm_id|property_id|import_id|token_id|model_id|user_id)\}/.test(op.path.replace('/v1/staff', '')) ||
    op.params.some((p) => p.name === 'tenant_id') ||
    (op.bodyProps ?? []).some((k) => ['tenant_id', 'storm_id', 'property_id'].includes(k));

  it('every operation declares a permission of the table, and every role x operation x tenant answers as the matrix says', async () => {
    expect(ops.length).toBeGreaterThan(50);
    expect(
      ops
        .filter((o) => !ACTIONS.includes(o.permission as Action) && o.permission !== PUBLIC)
        .map((o) => `${o.method} ${o.path}`),
    ).toEqual([]);
    const [own, other] = tenants as [Tenant, Tenant];
    const mismatches: string[] = [];
    let checked = 0;
    let k = 0;
    const oracleStatuses: Record<number, number> = {};
    for (const op of ops) {
      for (const target of [own, other]) {
        const req = requestFor(op, target, k++);
        const oracle = await send(op.method, req.url, PLATFORM_TOKEN, req.body);
        oracleStatuses[oracle.status] = (oracleStatuses[oracle.status] ?? 0) + 1;
        for (const p of principals) {
          const r = p.role === 'operator' ? oracle : await send(op.method, req.url, p.token(own), req.body);
          checked++;
          const permitted = op.permission === PUBLIC || roleHolds(p.role, op.permission as Action);
          const isTenantRole = !['operator', 'customer_success_manager', 'support'].includes(p.role);
          let expected: number;
          if (!permitted) expected = 403;
          // A public route (signing in) authenticates nobody: everyone gets the answer the operator gets.
          else if (op.permission === PUBLIC) expected = oracle.status;
          else if (isTenantRole && target === other && referencesTenant(op) && !shapeRefusal(oracle)) expected = 404;
          else expected = oracle.status;
          const bad = r.status >= 500 || r.status !== expected || (!permitted && r.body?.error?.code !== 'FORBIDDEN');
          const operatorRefused = op.permission !== PUBLIC && (r.status === 401 || r.status === 403);
          if (bad || (p.role === 'operator' && operatorRefused))
            mismatches.push(
              `${p.role} ${op.method} ${op.path} [${target === own ? 'own' : 'other'}]: ${r.status}, expected ${expected} ${r.text.slice(0, 160)}`,
            );
        }
      }
    }
    console.log(
      `role matrix [${t().kind}]: ${ops.length} operations x ${principals.length} principals x 2 tenants = ${checked} requests; operator answers ${JSON.stringify(oracleStatuses)}`,
    );
    expect(mismatches).toEqual([]);
  }, 90_000);

  it('refuses forged, truncated, expired, revoked and other-tenant tokens with 401, and scope escalation', async () => {
    const [a, b] = tenants as [Tenant, Tenant];
    const hexA = a.id.replace(/-/g, '');
    const hexB = b.id.replace(/-/g, '');
    const secretA = a.tokens.admin.slice(-32);
    const forged = [
      `sot_${hexA}_${randomBytes(24).toString('base64url')}`,
      a.tokens.admin.slice(0, -1),
      `${a.tokens.admin}x`,
      `sot_${hexB}_${secretA}`,
      `sos_${randomBytes(32).toString('base64url')}`,
      staff.support.slice(0, -2),
      PLATFORM_TOKEN.slice(0, -1),
      'null',
      '',
    ];
    for (const token of forged) {
      const r = await send('GET', `/v1/storms/${a.stormId}`, token || undefined);
      expect([token, r.status, r.body?.error?.code]).toEqual([token, 401, 'UNAUTHENTICATED']);
    }
    const db = t().db;
    const expiring = await createCredential(operator(db), {
      tenant_id: a.id,
      email: 'exp@alpha.example',
      role: 'admin',
    });
    await sql`update api_token set expires_at = now() - interval '1 minute' where token_id = ${expiring.token_id}`.execute(
      db.owner,
    );
    expect((await send('GET', '/v1/storms', expiring.token)).status).toBe(401);
    const revoking = await createCredential(operator(db), {
      tenant_id: a.id,
      email: 'rev@alpha.example',
      role: 'admin',
    });
    expect((await send('GET', '/v1/storms', revoking.token)).status).toBe(200);
    expect((await send('DELETE', `/v1/tenants/${a.id}/credentials/${revoking.token_id}`, a.tokens.admin)).status).toBe(
      200,
    );
    expect((await send('GET', '/v1/storms', revoking.token)).status).toBe(401);
    // Another tenant's admin cannot revoke, list or issue A's credentials.
    expect((await send('GET', `/v1/tenants/${a.id}/credentials`, b.tokens.admin)).status).toBe(404);
    expect(
      (await send('POST', `/v1/tenants/${a.id}/credentials`, b.tokens.admin, { email: 'x@b.example', role: 'admin' }))
        .status,
    ).toBe(404);

    // Scope escalation: more than the role holds is refused; a scoped key stays within its scopes.
    const escalate = await send('POST', `/v1/tenants/${a.id}/credentials`, a.tokens.admin, {
      email: 'v@alpha.example',
      role: 'viewer',
      scopes: ['storms:read', 'storms:write'],
    });
    expect([escalate.status, escalate.body?.error?.code]).toEqual([400, 'VALIDATION']);
    expect(escalate.text).toContain('storms:write');
    const scoped = await send('POST', `/v1/tenants/${a.id}/credentials`, a.tokens.admin, {
      email: 'int@alpha.example',
      role: 'analyst',
      scopes: ['outcomes:write'],
    });
    const key = (scoped.body as unknown as { token: string }).token;
    expect((await send('GET', '/v1/storms', key)).status).toBe(403);
    expect(
      (await send('POST', `/v1/tenants/${a.id}/credentials`, key, { email: 'me@alpha.example', role: 'admin' })).status,
    ).toBe(403);
    expect(
      (await send('POST', `/v1/tenants/${a.id}/credentials`, a.tokens.analyst, { email: 'a@a.example', role: 'admin' }))
        .status,
    ).toBe(403);
    expect((await send('PATCH', `/v1/tenants/${a.id}`, a.tokens.admin, { tier: 'enterprise' })).status).toBe(403);
    const staffEscalate = await send('POST', '/v1/staff/credentials', staff.customer_success_manager, {
      email: 'me@platform.example',
      role: 'customer_success_manager',
    });
    expect(staffEscalate.status).toBe(403);
  });

  it('randomized cross-tenant requests: no leak of the other tenant, no 5xx', async () => {
    const [a, b] = tenants as [Tenant, Tenant];
    const n = t().kind === 'postgres' ? 1000 : 250;
    let seed = 0x5eed;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const secrets = [
      b.id,
      b.org,
      b.adminEmail,
      b.stormId,
      b.eventId,
      b.importId,
      b.adminUserId,
      ...b.propertyIds,
      ...b.tokenIds,
    ];
    const bIds = [b.id, b.stormId, b.importId, b.adminUserId, ...b.propertyIds, ...b.tokenIds];
    const counts = { requests: 0, leaks: 0, errors5xx: 0, byStatus: {} as Record<number, number> };
    const leaks: string[] = [];
    const value = (key: string): unknown => {
      if (/_id$/.test(key)) return pick([...bIds, randomUUID(), a.stormId]);
      return pick([b.org, b.eventId, 1, true, 'moderate', 'active', [b.stormId], { tenant_id: b.id }, null]);
    };
    for (let i = 0; i < n; i++) {
      const op = pick(ops);
      const method = rand() < 0.1 ? pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) : op.method;
      const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        name === 'mode' ? pick(['moderate', 'custom']) : name === 'name' ? 'm' : pick(bIds),
      );
      const queryKeys = op.params.filter((p) => p.in === 'query').map((p) => p.name);
      const query = queryKeys
        .filter(() => rand() < 0.5)
        .map((q) => `${q}=${encodeURIComponent(String(value(q)))}`)
        .join('&');
      let body: Record<string, unknown> | undefined;
      if (method !== 'GET' && (op.json || rand() < 0.3)) {
        body = {};
        for (const k of op.bodyProps ?? ['tenant_id', 'storm_id']) if (rand() < 0.7) body[k] = value(k);
        if (rand() < 0.2) body['tenant_id'] = b.id;
      }
      const url = `${path}${query ? `?${query}` : ''}`;
      const role = pick(['admin', 'analyst', 'canvasser', 'viewer'] as const);
      const r = await send(method, url, a.tokens[role], body);
      counts.requests++;
      counts.byStatus[r.status] = (counts.byStatus[r.status] ?? 0) + 1;
      if (r.status >= 500) counts.errors5xx++;
      const sent = `${url} ${JSON.stringify(body ?? {})}`;
      const leaked = secrets.filter((s) => r.text.includes(s) && !sent.includes(s));
      if (leaked.length) {
        counts.leaks++;
        leaks.push(`${role} ${method} ${url} -> ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
    console.log(
      `cross-tenant [${t().kind}]: ${counts.requests} requests, ${counts.leaks} leaks, ${counts.errors5xx} 5xx; statuses ${JSON.stringify(counts.byStatus)}`,
    );
    expect(leaks).toEqual([]);
    expect(counts.errors5xx).toBe(0);
    expect(counts.requests).toBe(n);
  }, 90_000);

  it('names every role of the table in the matrix', () => {
    expect(principals.map((p) => p.role).sort()).toEqual([...ROLES].sort());
  });
});
