/** Self-serve signup end to end over HTTP: the admin's set-password link (shown, or e-mailed), signing in, the limit. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { startMailCatcher, textOf, tokenIn, type MailCatcher } from '../../../test/mail-catcher.ts';
import { buildApp } from '../../http/app.ts';
import { smtpMailer } from '../users/mailer.ts';

const intake = (org: string, email: string) => ({
  organization: org,
  contact_name: 'Dana Reyes',
  contact_email: email,
  use_case: 'Knock the best doors after hail',
  departments: ['sales'],
  storms_per_year: 6,
  properties_per_storm: 8_000,
  crews: 3,
  success_criteria: 'A lift of 1.5 points',
  go_live_date: '2027-04-01',
});

describeEachDatabase('onboarding', (t) => {
  let app: FastifyInstance;
  let mailed: FastifyInstance;
  let smtp: MailCatcher;
  beforeAll(async () => {
    smtp = await startMailCatcher();
    app = await buildApp({ db: t().db, platformToken: 'p'.repeat(40), onboardingPerIpPerHour: 4 });
    mailed = await buildApp({
      db: t().db,
      platformToken: 'p'.repeat(40),
      signIn: {
        deps: { mailer: smtpMailer(smtp.url, 'StormOps <no-reply@stormops.test>'), publicUrl: 'https://app.test' },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await mailed.close();
    await smtp.close();
  });

  it('gives a new tenant’s admin a set-password link without SMTP, and the admin signs in with it', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/onboarding',
      payload: intake('Plains Roofing', 'owner@plains.example'),
    });
    expect(r.statusCode).toBe(201);
    const inv = r.json().invitation;
    expect(inv).toMatchObject({ delivery: 'shown' });
    const token = new URL(inv.link).searchParams.get('token');
    const set = await app.inject({
      method: 'POST',
      url: '/v1/auth/password-reset',
      payload: { token, password: 'hail-season-2027' },
    });
    expect(set.statusCode).toBeLessThan(300);
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'owner@plains.example', password: 'hail-season-2027' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { role: 'admin' }, tenant: { tenant_id: r.json().tenant_id } });
    // A repeat of the signup never shows a link: someone who knows the organization and e-mail gets nothing.
    const again = await app.inject({
      method: 'POST',
      url: '/onboarding',
      payload: intake('Plains Roofing', 'owner@plains.example'),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().invitation).toEqual({ delivery: 'none', message: expect.any(String) });
  });

  it('e-mails the link through SMTP when configured, and shows none', async () => {
    const r = await mailed.inject({
      method: 'POST',
      url: '/v1/onboarding',
      payload: intake('Mesa Exteriors', 'ops@mesa.example'),
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().invitation).toMatchObject({ delivery: 'email' });
    expect(JSON.stringify(r.json())).not.toContain('token=');
    const mail = await smtp.next('ops@mesa.example');
    expect(textOf(mail)).toContain('https://app.test/reset-password?token=');
    expect(tokenIn(mail)).toMatch(/^rst_/);
  });

  it('e-mails quota alerts to the tenant admin when SMTP is configured', async () => {
    const { recordUsageEvents } = await import('../billing/usage.service.ts');
    const { mailQuotaAlertsWith } = await import('../billing/metering.ts');
    const { PLATFORM } = await import('../auth/principal.ts');
    const r = await app.inject({
      method: 'POST',
      url: '/onboarding',
      payload: intake('Quota Mail Roofing', 'owner@quotamail.example'),
    });
    mailQuotaAlertsWith(smtpMailer(smtp.url, 'StormOps <no-reply@stormops.test>'));
    try {
      await recordUsageEvents(
        { db: t().db, principal: PLATFORM },
        {
          events: [{ tenant_id: r.json().tenant_id, metric: 'api_calls', quantity: 8_000, idempotency_key: 'qm-1' }],
        },
      );
    } finally {
      mailQuotaAlertsWith(undefined);
    }
    const mail = await smtp.next('owner@quotamail.example');
    expect(textOf(mail)).toContain('8000 of the 10000 api calls');
  });

  it('limits signups per address with a clear 429, across both spellings of the path', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const url = i % 2 ? '/v1/onboarding' : '/onboarding';
      const r = await app.inject({
        method: 'POST',
        url,
        remoteAddress: '203.0.113.9',
        payload: intake(`Limit Test ${i}`, `x${i}@limit.example`),
      });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) {
        expect(r.json().error.code).toBe('RATE_LIMITED');
        expect(r.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });
});
