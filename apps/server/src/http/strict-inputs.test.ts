/** Strict inputs: no route's body or query string drops an unknown key, at any depth; a 400 names the key. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDatabase } from '../../test/databases.ts';
import { buildApp } from './app.ts';
import { looseObjects } from './strict-inputs.ts';
import { README, renderApiTable, withApiTable } from './api-table.ts';
import { readFileSync } from 'node:fs';

const PLATFORM_TOKEN = 'strict-test-platform-token-0123456789';
const op = { authorization: `Bearer ${PLATFORM_TOKEN}` };

describeEachDatabase('strict inputs', (t) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: PLATFORM_TOKEN });
  });
  afterAll(() => app.close());

  it('every body and query schema, and every object inside them, refuses unknown keys', () => {
    // The walker itself finds loose objects at any depth.
    const probe = z.object({ a: z.array(z.object({ b: z.string() }).optional()), c: z.object({}).strict() });
    expect(looseObjects(probe)).toEqual(['(root)', 'a[]']);
    const v1 = app.routeInputs.filter((r) => r.url.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(40);
    const loose = v1.flatMap((r) => [
      ...looseObjects(r.body).map((p) => `${r.method} ${r.url} body ${p}`),
      ...looseObjects(r.querystring).map((p) => `${r.method} ${r.url} query ${p}`),
    ]);
    expect(loose).toEqual([]);
  });

  it('answers 400 naming the unknown key (policy apply with dry_run, a query with a typo)', async () => {
    const tenant = (
      await app.inject({
        method: 'POST',
        url: '/v1/tenants',
        headers: op,
        payload: { org_name: 'Strict Roofing', tier: 'standard', admin_email: 'a@strict.example' },
      })
    ).json() as { tenant_id: string; admin_token: string };
    const auth = { authorization: `Bearer ${tenant.admin_token}` };
    const storm = (
      await app.inject({ method: 'POST', url: '/v1/storms', headers: auth, payload: { event_id: 'S', name: 'S' } })
    ).json() as { storm_id: string };
    const apply = await app.inject({
      method: 'POST',
      url: `/v1/storms/${storm.storm_id}/policy/apply`,
      headers: auth,
      payload: { mode: 'aggressive', dry_run: true },
    });
    expect(apply.statusCode).toBe(400);
    expect(apply.json().error.message).toMatch(/dry_run/);
    const list = await app.inject({ method: 'GET', url: '/v1/storms?statuss=active', headers: auth });
    expect(list.statusCode).toBe(400);
    expect(list.json().error.message).toMatch(/statuss/);
    const nested = await app.inject({
      method: 'PUT',
      url: '/v1/policies/moderate',
      headers: auth,
      payload: { params: { crews: 2, crew: 3 } },
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.message).toMatch(/"crew"/);
  });

  it("README's API table is generated from /openapi.json (regenerate: npx tsx apps/server/src/http/api-table.ts)", async () => {
    await app.ready();
    const readme = readFileSync(README, 'utf8');
    const table = renderApiTable(app.swagger() as never);
    expect(withApiTable(readme, table)).toBe(readme);
  });
});
