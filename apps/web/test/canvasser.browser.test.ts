/**
 * The canvasser's phone view in a real browser, on each database backend: the assigned doors in walking order, one
 * tap logs a knock and one an outcome; taps made offline (Playwright's offline emulation) wait in the outbox and are
 * sent once the phone is back online, each exactly once (idempotency keys). axe-core on every page.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../server/test/databases.ts';
import { applyPolicy } from '../../server/src/domains/policy/policy.service.ts';
import { planTerritories } from '../../server/src/domains/policy/crew.service.ts';
import { scoredStorm } from '../../server/src/domains/policy/test-fixtures.ts';
import { createCredential } from '../../server/src/domains/tenants/credentials.service.ts';
import { CHROMIUM } from './browser.ts';
import { PHONE, useWebHarness } from './harness.ts';

if (!CHROMIUM) {
  describe.skip('canvasser view in a browser [skipped: no chromium]', () => it('needs chromium', () => undefined));
} else {
  describeEachDatabase('canvasser view in a browser', (t) => {
    const { newPage, checkPage, shootOnFail, signInWithKey } = useWebHarness(t);

    it('a canvasser logs knocks and outcomes on a phone, including ones made offline, each once', async () => {
      const { tenant, storm, ctx } = await scoredStorm(t().db, 600, 51);
      await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'aggressive', seed: 3 });
      await planTerritories(ctx, { storm_id: storm.storm_id, canvassers: ['Alex', 'Blair'] });
      const rep = await createCredential(ctx, {
        tenant_id: tenant.tenantId,
        email: 'alex@canvass.example',
        role: 'canvasser',
      });
      const logged = () =>
        t().db.withTenant(tenant.tenantId, async (trx) => {
          const k = await sql<{
            n: number;
            keys: number;
          }>`select count(*)::int as n, count(distinct idempotency_key)::int as keys from knock where storm_id = ${storm.storm_id}`.execute(
            trx,
          );
          const o = await sql<{
            n: number;
          }>`select count(*)::int as n from outcome where storm_id = ${storm.storm_id}`.execute(trx);
          return { knocks: k.rows[0]!.n, knockKeys: k.rows[0]!.keys, outcomes: o.rows[0]!.n };
        });

      const page = await newPage(PHONE);
      await signInWithKey(page, rep.token);
      await page.getByRole('heading', { name: 'My doors' }).waitFor();
      await page.getByRole('link', { name: 'Test storm' }).click();
      const doors = page.getByTestId('door');
      await shootOnFail(page, 'canvass-doors', () => doors.first().waitFor());
      await page.getByLabel('I am').selectOption('Alex');
      const firstSeq = await doors.first().locator('strong').textContent();
      expect(firstSeq).toMatch(/^1\. /);
      await checkPage(page, 'canvass-phone', false);

      const outbox = page.getByTestId('outbox');
      // Online: one tap each, sent at once.
      await doors.nth(0).getByRole('button', { name: 'No answer' }).click();
      await doors.nth(0).getByRole('button', { name: 'Job signed' }).click();
      await expect.poll(() => outbox.getAttribute('data-waiting')).toBe('0');
      await expect.poll(logged).toEqual({ knocks: 1, knockKeys: 1, outcomes: 1 });

      // Offline: the taps wait on the phone...
      await page.context().setOffline(true);
      await doors.nth(1).getByRole('button', { name: 'Signed', exact: true }).click();
      await doors.nth(1).getByRole('button', { name: 'Job signed' }).click();
      await doors.nth(2).getByRole('button', { name: 'Not interested' }).click();
      await expect.poll(() => outbox.getAttribute('data-waiting')).toBe('3');
      expect(await outbox.textContent()).toContain('Offline');
      expect(await doors.nth(1).getByTestId('door-state').textContent()).toContain('waiting to send');
      await checkPage(page, 'canvass-offline', false);
      expect(await logged()).toEqual({ knocks: 1, knockKeys: 1, outcomes: 1 });

      // ...and are sent, each once, when the signal comes back.
      const back = Date.now();
      await page.context().setOffline(false);
      await shootOnFail(page, 'canvass-back-online', () =>
        expect.poll(() => outbox.getAttribute('data-waiting'), { timeout: 20_000 }).toBe('0'),
      );
      await expect.poll(logged).toEqual({ knocks: 3, knockKeys: 3, outcomes: 2 });
      expect(Date.now() - back, 'sent on the online event, not the 15 s timer').toBeLessThan(10_000);
      expect(await doors.nth(1).getByTestId('door-state').textContent()).toContain('(sent)');
      await checkPage(page, 'canvass-synced', false);
    });
  });
}
