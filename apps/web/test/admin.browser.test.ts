/**
 * The administration pages in a real browser, on each database backend: models (versions, stages, Qini; a stage
 * move for an admin, none for a viewer), SLOs and alerts (platform staff), team (users, roles, an invitation,
 * credentials) and the audit log. axe-core on every page; screenshots saved.
 */
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../server/test/databases.ts';
import { scoredStorm } from '../../server/src/domains/policy/test-fixtures.ts';
import { createCredential } from '../../server/src/domains/tenants/credentials.service.ts';
import { CHROMIUM } from './browser.ts';
import { trainModel } from '../../server/src/domains/models/models.service.ts';
import { historyCsv } from '../../server/src/domains/demo/properties-csv.ts';
import { PLATFORM_TOKEN, useWebHarness } from './harness.ts';

if (!CHROMIUM) {
  describe.skip('admin pages in a browser [skipped: no chromium]', () => it('needs chromium', () => undefined));
} else {
  describeEachDatabase('admin pages in a browser', (t) => {
    const { newPage, checkPage, shootOnFail, signInWithKey, base } = useWebHarness(t);

    it('models, team and audit log for a tenant admin; a viewer sees models without stage moves', async () => {
      const { tenant, ctx } = await scoredStorm(t().db, 200, 61);
      // A second version trained on a history file, so the page has a hold-out Qini curve to draw.
      await trainModel(ctx, {
        csv: { source: [historyCsv(3000, 5)], sourceName: 'history.csv', treatmentCol: 'arm', outcomeCol: 'converted' },
        learner: 't-learner',
        seed: 1,
      });
      const page = await newPage();
      await signInWithKey(page, tenant.token);
      await page.getByRole('link', { name: 'Models' }).click();
      const models = page.getByTestId('models');
      await shootOnFail(page, 'models', () => models.waitFor());
      expect(await models.locator('tbody tr').count()).toBe(2);
      expect(await models.locator('tbody').textContent()).toContain('production');
      await page.getByRole('combobox', { name: /Move .* v1 to a stage/ }).selectOption('shadow');
      await expect.poll(() => models.locator('tbody').textContent()).toContain('shadow');
      await models.getByRole('button', { name: /v1/ }).click();
      await page.getByRole('heading', { name: /Stage history/ }).waitFor();
      // A version trained before curves were kept says so; a trained one draws its hold-out Qini curve, in words too.
      await page.getByText(/No Qini curve kept for this version/).waitFor();
      await models.getByRole('button', { name: /v2/ }).click();
      const qini = page.getByTestId('qini-chart');
      await qini.waitFor();
      await expect.poll(() => qini.getAttribute('data-drawn')).toBe('yes');
      expect(await qini.getAttribute('aria-label')).toMatch(/best-ranked half of the homes holds/);
      await checkPage(page, 'models');

      await page.getByRole('link', { name: 'Team' }).click();
      await page.getByTestId('users').waitFor();
      await page.getByLabel('E-mail to invite').fill('rep@team.example');
      await page.getByLabel('Invite as').selectOption('canvasser');
      await page.getByRole('button', { name: 'Send the invitation' }).click();
      await page.getByRole('status').getByText('Invited rep@team.example as canvasser').waitFor();
      await page.getByText('rep@team.example as canvasser, until').waitFor();
      await page.getByTestId('credentials').waitFor();
      await checkPage(page, 'team');

      await page.getByRole('link', { name: 'Audit log' }).click();
      const audit = page.getByTestId('audit');
      await audit.waitFor();
      await audit.getByText('model.stage').first().waitFor();
      await checkPage(page, 'audit');

      const viewer = await createCredential(ctx, {
        tenant_id: tenant.tenantId,
        email: 'v@team.example',
        role: 'viewer',
      });
      const view = await newPage();
      await signInWithKey(view, viewer.token);
      await view.goto(`${base()}/models`);
      await shootOnFail(view, 'models-viewer', () => view.getByTestId('models').waitFor());
      expect(await view.getByRole('combobox').count()).toBe(0);
      expect(await view.getByRole('link', { name: 'Team' }).count()).toBe(0);
    });

    it('SLOs and alerts for platform staff', async () => {
      const page = await newPage();
      await signInWithKey(page, PLATFORM_TOKEN);
      await page.getByRole('link', { name: 'SLOs' }).click();
      const slos = page.getByTestId('slos');
      await shootOnFail(page, 'slo', () => slos.waitFor());
      expect(await slos.locator('tbody tr').count()).toBeGreaterThan(2);
      await page.getByText('No open alert.').waitFor();
      await checkPage(page, 'slo');
    });
  });
}
