/**
 * The web app in a real browser against the real API over loopback, on each database backend: the app and the API
 * share one origin without shadowing each other; onboarding creates a trial tenant whose admin then signs in;
 * a storm page draws its map; customer health refuses a tenant credential and lists tenants for staff; axe-core
 * finds no serious or critical violation on any page; each step saves a screenshot (test-results/web/).
 */
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../server/test/databases.ts';
import { newTenant, operator } from '../../server/test/helpers.ts';
import { createStaffCredential } from '../../server/src/domains/auth/staff.service.ts';
import { importStormReports } from '../../server/src/domains/storm-reports/storm-reports.service.ts';
import { HAIL_CSV } from '../../server/src/domains/demo/okc-2013-05-20.ts';
import { applyPolicy } from '../../server/src/domains/policy/policy.service.ts';
import { scoredStorm } from '../../server/src/domains/policy/test-fixtures.ts';
import { CHROMIUM } from './browser.ts';
import { PHONE, PLATFORM_TOKEN, useWebHarness } from './harness.ts';

if (!CHROMIUM) {
  describe.skip('web app in a browser [skipped: no chromium at /usr/bin/chromium; apt-get install chromium]', () =>
    it('needs chromium', () => undefined));
} else {
  describeEachDatabase('web app in a browser', (t) => {
    const { newPage, checkPage, shootOnFail, signInWithKey, ...h } = useWebHarness(t);

    it('serves the app at / beside the API without shadowing it', async () => {
      const html = { accept: 'text/html,application/xhtml+xml' };
      for (const path of ['/', '/onboarding', '/storms/abc', '/customer-health']) {
        const r = await fetch(`${h.base()}${path}`, { headers: html });
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-type'), path).toContain('text/html');
        expect(await r.text()).toContain('<div id="root">');
      }
      // An unknown API path stays the API's JSON (401 before a credential, 404 after), never the app's page.
      const unknownApi = await fetch(`${h.base()}/v1/no-such-thing`, { headers: html });
      expect(unknownApi.status).toBe(401);
      expect(unknownApi.headers.get('content-type')).toContain('application/json');
      const unknownAuthed = await fetch(`${h.base()}/v1/no-such-thing`, {
        headers: { ...html, authorization: `Bearer ${PLATFORM_TOKEN}` },
      });
      expect(unknownAuthed.status).toBe(404);
      expect(((await unknownAuthed.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      const signup = await fetch(`${h.base()}/onboarding`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(signup.status).toBe(400);
      expect((await fetch(`${h.base()}/openapi.json`, { headers: html })).headers.get('content-type')).toContain(
        'json',
      );
      expect((await fetch(`${h.base()}/healthz`, { headers: html })).status).toBe(200);
      expect((await fetch(`${h.base()}/billing/usage`, { headers: html })).status).toBe(401);
      const page = await (await fetch(`${h.base()}/`)).text();
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
      expect(asset).toBeTruthy();
      const js = await fetch(`${h.base()}${asset}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toContain('immutable');
    });

    it('onboarding recommends a plan live, creates a trial tenant, and its admin signs in', async () => {
      const page = await newPage(PHONE);
      await page.goto(`${h.base()}/onboarding`);
      const plan = page.getByTestId('recommended-plan');
      await expect.poll(() => plan.textContent()).toBe('standard');
      await page.getByLabel("Properties in a storm's path").fill('400000');
      await expect.poll(() => plan.textContent()).toBe('enterprise');
      await page.getByLabel("Properties in a storm's path").fill('5000');
      await expect.poll(() => plan.textContent()).toBe('standard');
      const org = `Sooner Storm Roofing ${t().kind} ${Date.now()}`;
      const email = `dana+${Date.now()}@soonerstorm.example`;
      await page.getByLabel('Organization').fill(org);
      await page.getByLabel('Your name').fill('Dana Reyes');
      await page.getByLabel('Work e-mail').fill(email);
      await page.getByLabel('What will you use StormOps for?').fill('Knock the best doors after hail');
      await page.getByLabel('What would make the pilot a success?').fill('1.5 points of lift over the hold-out');
      await page.getByLabel('Go-live date').fill('2027-03-01');
      await checkPage(page, 'onboarding-form-phone');
      await page.getByRole('button', { name: 'Start my trial' }).click();
      const tenantId = (await page.getByTestId('tenant-id').textContent()) ?? '';
      expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
      await checkPage(page, 'onboarding-done');
      const tenant = await fetch(`${h.base()}/v1/tenants/${tenantId}`, {
        headers: { authorization: `Bearer ${PLATFORM_TOKEN}` },
      });
      expect(tenant.status).toBe(200);
      expect(await tenant.json()).toMatchObject({ tenant_id: tenantId, org_name: org, tier: 'trial' });

      // Without SMTP the new tenant's set-password link is shown on the page: the admin opens it, then signs in.
      await page.getByRole('link', { name: 'Set the admin password' }).click();
      await page.getByLabel('New password', { exact: true }).fill('hail-season-2027');
      await page.getByLabel('The same password again').fill('hail-season-2027');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('status').getByText('Your password is set').waitFor();
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Sign in to StormOps' }).waitFor();
      await checkPage(page, 'sign-in-phone');
      await page.getByLabel('E-mail', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill('wrong-password-123');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').waitFor();
      await page.getByLabel('Password', { exact: true }).fill('hail-season-2027');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await shootOnFail(page, 'signed-in', () => page.getByRole('heading', { name: 'Storms' }).waitFor());
      await page.getByText('No storms yet').waitFor();
      await checkPage(page, 'storms-empty-phone');
      await page.getByRole('link', { name: 'Billing' }).click();
      await page.getByRole('heading', { name: /Trial plan/ }).waitFor();
      await checkPage(page, 'billing-phone');
    });

    it('a storm page draws its properties and hail reports on a canvas, by uplift and by arm', async () => {
      const { tenant, storm, ctx } = await scoredStorm(t().db, 3000, 21);
      await importStormReports(ctx, { storm_id: storm.storm_id, text: HAIL_CSV, file_name: '130520_rpts.csv' });
      const run = await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 5 });
      const page = await newPage();
      await signInWithKey(page, tenant.token);
      await page.getByRole('link', { name: 'Test storm' }).click();
      const canvas = page.locator('canvas[data-drawn="3000"][data-outlines="yes"]');
      await canvas.waitFor();
      expect(await page.getByTestId('count-treat').textContent()).toBe(run.treat.toLocaleString('en-US'));
      expect(await page.getByTestId('count-hold').textContent()).toBe(run.hold.toLocaleString('en-US'));
      await checkPage(page, 'storm-map-uplift');
      await page.getByLabel('Arm (treat or hold)').check();
      await page.locator('canvas[aria-label*="coloured by arm"]').waitFor();
      // The arms' colours are on the canvas: treat orange (#c2410c) and hold blue (#1d4ed8).
      const pixels = await page.evaluate(() => {
        const c = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
          'canvas',
        ) as {
          width: number;
          height: number;
          getContext(k: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
        };
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let treat = 0;
        let hold = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] === 0xc2 && d[i + 1] === 0x41 && d[i + 2] === 0x0c) treat++;
          if (d[i] === 0x1d && d[i + 1] === 0x4e && d[i + 2] === 0xd8) hold++;
        }
        return { treat, hold };
      });
      expect(pixels.treat).toBeGreaterThan(0);
      expect(pixels.hold).toBeGreaterThan(0);
      await checkPage(page, 'storm-map-arm');
    });

    it('customer health refuses a tenant credential and lists tenants, sortable and filterable, for staff', async () => {
      const a = await newTenant(t().db);
      const b = await newTenant(t().db);
      const tenantPage = await newPage();
      await signInWithKey(tenantPage, a.token);
      await tenantPage.getByRole('heading', { name: 'Storms' }).waitFor();
      await tenantPage.goto(`${h.base()}/customer-health`);
      await tenantPage.getByRole('alert').waitFor();
      expect(await tenantPage.getByRole('alert').textContent()).toContain('FORBIDDEN');
      await checkPage(tenantPage, 'customer-health-refused');

      const staff = await createStaffCredential(operator(t().db), {
        email: `csm-${Date.now()}@stormops.example`,
        role: 'customer_success_manager',
      });
      const page = await newPage();
      await signInWithKey(page, staff.token);
      const table = page.getByTestId('health-table');
      await shootOnFail(page, 'customer-health-staff', () => table.waitFor());
      await table.getByText(a.orgName).waitFor();
      await table.getByText(b.orgName).waitFor();
      await page.getByRole('button', { name: 'Organization' }).click();
      const names = await table.locator('tbody th').allTextContents();
      expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
      await page.getByLabel('Search organizations').fill(a.orgName);
      await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
      await checkPage(page, 'customer-health-staff');
    });
  });
}
