/** Billing and onboarding over HTTP (app.inject): who may call what, status codes, bodies, the invoice PDF. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant } from '../../../test/helpers.ts';
import { buildApp } from '../../http/app.ts';

const PLATFORM_TOKEN = 'platform-token-for-billing-tests-0123456789';
const op = { authorization: `Bearer ${PLATFORM_TOKEN}` };

const intake = {
  organization: 'Sooner Storm Roofing',
  contact_name: 'Dana Reyes',
  contact_email: 'Dana@SoonerStorm.example',
  use_case: 'Knock the best doors after hail in central Oklahoma',
  departments: ['sales', 'production'],
  storms_per_year: 12,
  properties_per_storm: 20_000,
  crews: 4,
  success_criteria: 'Lift of 1.5 points over the hold-out, ROI above 300%',
  go_live_date: '2027-03-01',
};

describeEachDatabase('billing over HTTP', (t) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: PLATFORM_TOKEN });
  });
  afterAll(() => app.close());

  it('serves the plan catalogue to anyone, at /billing/plans and /v1/billing/plans', async () => {
    for (const url of ['/billing/plans', '/v1/billing/plans']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(200);
      expect(r.json().plans.map((p: { plan_code: string }) => p.plan_code)).toEqual([
        'trial',
        'standard',
        'enterprise',
      ]);
    }
  });

  it('answers /billing/usage only to platform staff holding billing:read, however the path is spelled', async () => {
    const { token, tenantId } = await newTenant(t().db);
    expect((await app.inject({ method: 'GET', url: '/billing/usage' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/%62illing/usage' })).statusCode).toBe(401);
    const tenant = await app.inject({
      method: 'GET',
      url: '/billing/usage',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(tenant.statusCode).toBe(403);
    const r = await app.inject({ method: 'GET', url: '/billing/usage', headers: op });
    expect(r.statusCode).toBe(200);
    const row = r.json().tenants.find((x: { tenant_id: string }) => x.tenant_id === tenantId);
    expect(Object.keys(row).sort()).toEqual(
      [
        'components',
        'flags',
        'health_score',
        'org_name',
        'projected_cost_cents',
        'tenant_id',
        'tier',
        'usage_ratio',
      ].sort(),
    );
  });

  it('takes usage events from the operator: 201 when counted, 200 for a repeat, 409 for a reused key', async () => {
    const { tenantId, token } = await newTenant(t().db);
    const event = { tenant_id: tenantId, metric: 'reports_generated', quantity: 2, idempotency_key: 'crm-1' };
    const post = (body: object, headers: Record<string, string> = op) =>
      app.inject({ method: 'POST', url: '/v1/billing/events', headers, payload: body });
    expect((await post({ events: [event] })).statusCode).toBe(201);
    const repeat = await post({ events: [event] });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ created: 0, duplicates: 1, results: [{ status: 'duplicate' }] });
    expect((await post({ events: [{ ...event, quantity: 3 }] })).statusCode).toBe(409);
    expect((await post({ events: [event] }, { authorization: `Bearer ${token}` })).statusCode).toBe(403);
    const tooMany = await post({
      events: Array.from({ length: 101 }, (_, i) => ({ ...event, idempotency_key: `k${i}` })),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toMatch(/at most 100/);
    const unknown = await post({ events: [{ ...event, idempotency_key: 'k', extra: 1 }] });
    expect(unknown.statusCode).toBe(400);
    // The tenant's admin sees its own dashboard, with the usage and a stated projection method.
    const dash = await app.inject({
      method: 'GET',
      url: '/v1/billing/dashboard',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(dash.statusCode).toBe(200);
    expect(dash.json().usage.find((u: { metric: string }) => u.metric === 'reports_generated').quantity).toBe(2);
    expect(dash.json().projected.method).toMatch(/run-rate/);
  });

  it('renders a finalized invoice as PDF for the tenant admin', async () => {
    const { tenantId, token } = await newTenant(t().db);
    const period = new Date().toISOString().slice(0, 7);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/billing/invoices',
      headers: op,
      payload: { tenant_id: tenantId, period },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().invoice_id as string;
    expect(
      (await app.inject({ method: 'POST', url: `/v1/billing/invoices/${id}/finalize`, headers: op })).json(),
    ).toMatchObject({
      status: 'finalized',
    });
    const pdf = await app.inject({
      method: 'GET',
      url: `/v1/billing/invoices/${id}?format=pdf`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Another tenant's admin cannot read it.
    const other = await newTenant(t().db);
    const theirs = await app.inject({
      method: 'GET',
      url: `/v1/billing/invoices/${id}`,
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(theirs.statusCode).toBe(404);
  });

  it('signs a contractor up: 400 naming each bad field, 201 with a plan and ROI, 200 for the same org again', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/onboarding',
      payload: { ...intake, contact_email: 'nope', crews: 0, go_live_date: 'soon', colour: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    const text = JSON.stringify(bad.json());
    for (const field of ['contact_email', 'crews', 'go_live_date', 'colour']) expect(text).toContain(field);
    const first = await app.inject({ method: 'POST', url: '/onboarding', payload: intake });
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body).toMatchObject({ created: true, tier: 'trial', recommended_plan: 'standard' });
    expect(body.plans_compared.map((p: { plan_code: string }) => p.plan_code)).toEqual([
      'trial',
      'standard',
      'enterprise',
    ]);
    expect(body.roi_projection.roi_pct).toBeGreaterThan(0);
    // No API credential in a public answer; the admin sets a password through a one-time link instead.
    expect(JSON.stringify(body)).not.toMatch(/sot_/);
    expect(body.invitation.delivery).toBe('shown');
    const again = await app.inject({
      method: 'POST',
      url: '/v1/onboarding',
      payload: { ...intake, organization: 'sooner storm roofing' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().tenant_id).toBe(body.tenant_id);
    // A large contractor: 5 storms a busy month of 200,000 homes costs least on Enterprise.
    const big = await app.inject({
      method: 'POST',
      url: '/onboarding',
      payload: { ...intake, organization: 'Big Hail Co', storms_per_year: 60, properties_per_storm: 200_000 },
    });
    expect(big.json().recommended_plan).toBe('enterprise');
    const audit = await app.inject({ method: 'GET', url: `/v1/audit?tenant_id=${body.tenant_id}`, headers: op });
    expect(audit.json().events.map((e: { action: string }) => e.action)).toContain('onboarding.signup');
  });
});
