/**
 * A storm's operations in a real browser, on each database backend: an import by upload shows live progress and the
 * rows it rejected; a policy is previewed (shadow) and applied with the mode chosen; the uplift distribution,
 * territories, outcome progress, the cumulative lift with its band and data health show; the pilot report shows the
 * lift and downloads a PDF; roles see only the buttons they may use. axe-core on every page; screenshots saved.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../server/test/databases.ts';
import { newTenant, tenantCtx } from '../../server/test/helpers.ts';
import { createStorm } from '../../server/src/domains/storms/storms.service.ts';
import { csvChunks, scoredStorm } from '../../server/src/domains/policy/test-fixtures.ts';
import { demoOutcomes } from '../../server/src/domains/demo/demo-outcomes.ts';
import { createCredential } from '../../server/src/domains/tenants/credentials.service.ts';
import { CHROMIUM, SCREENSHOTS } from './browser.ts';
import { useWebHarness } from './harness.ts';

if (!CHROMIUM) {
  describe.skip('storm operations in a browser [skipped: no chromium]', () => it('needs chromium', () => undefined));
} else {
  describeEachDatabase('storm operations in a browser', (t) => {
    const { newPage, checkPage, shootOnFail, signInWithKey, base } = useWebHarness(t);

    it('an import by upload shows live progress, its counts and the rows it rejected', async () => {
      const tenant = await newTenant(t().db);
      await createStorm(tenantCtx(t().db, tenant.tenantId), {
        event_id: 'UPLOAD_1',
        name: 'Upload storm',
      });
      const { chunks } = await csvChunks(20_000, 3);
      const csv = Buffer.concat(chunks).toString('utf8');
      const header = csv.slice(0, csv.indexOf('\n'));
      // Three rows the importer must reject (no address, latitude out of range), beside 20,000 good ones.
      const cols = header.split(',');
      const bad = (over: Record<string, string>) => cols.map((c) => over[c] ?? '').join(',');
      const file = join(SCREENSHOTS, `upload-${t().kind}.csv`);
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(
        file,
        csv.trimEnd() +
          '\n' +
          [
            bad({ external_id: 'BAD-1', address: '' }),
            bad({ external_id: 'BAD-2', address: '1 Main St', latitude: '123', longitude: '-97.5' }),
            bad({ external_id: 'BAD-3', address: '' }),
          ].join('\n') +
          '\n',
      );
      const page = await newPage();
      await signInWithKey(page, tenant.token);
      await page.getByRole('link', { name: 'Upload storm' }).click();
      await page.getByRole('heading', { name: 'Import properties' }).waitFor();
      // Remember every state the import showed, to prove its progress was on screen while it ran.
      await page.evaluate(() => {
        interface El {
          textContent: string | null;
        }
        const w = globalThis as unknown as {
          seen: string[];
          document: { body: unknown; querySelector(s: string): El | null };
          MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
        };
        w.seen = [];
        new w.MutationObserver(() => {
          const p = w.document.querySelector('[data-testid="import-progress"]');
          if (p) w.seen.push(p.textContent ?? '');
        }).observe(w.document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByLabel('Property file (CSV or JSON Lines)').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload and import' }).click();
      const result = page.getByTestId('import-result');
      await shootOnFail(page, 'import', () => result.waitFor({ timeout: 60_000 }));
      const seen = await page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen);
      expect(
        seen.some((s) => s.includes('rows read')),
        seen.join(' | '),
      ).toBe(true);
      expect(await result.getAttribute('data-status')).toBe('completed');
      expect(await result.textContent()).toContain('20,000 new');
      expect(await page.getByTestId('import-invalid').textContent()).toBe('3');
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      expect(await errors.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
      await page.locator('canvas[data-drawn="20000"]').waitFor();
      await checkPage(page, 'storm-import-done');
    });

    it('a policy is previewed and applied; distribution, territories, outcomes, lift and health show', async () => {
      const { tenant, storm, ctx } = await scoredStorm(t().db, 3000, 31);
      const page = await newPage();
      await signInWithKey(page, tenant.token);
      await page.getByRole('link', { name: 'Test storm' }).click();
      await page.locator('[data-testid="uplift-chart"][data-drawn="yes"]').waitFor();
      expect(await page.getByTestId('uplift-summary').textContent()).toContain('3,000 scored');
      await page.getByText('No policy run yet.').waitFor();
      await checkPage(page, 'storm-ops-before');

      await page.getByLabel('Policy mode').selectOption('aggressive');
      await page.getByRole('button', { name: 'Preview (shadow)' }).click();
      const preview = page.getByTestId('policy-preview');
      await shootOnFail(page, 'policy-preview', () => preview.waitFor());
      const previewTreat = Number((await page.getByTestId('run-treat').textContent())?.replaceAll(',', ''));
      expect(previewTreat).toBeGreaterThan(0);
      expect(await page.getByTestId('count-treat').textContent()).toBe('0'); // a preview assigns no arm
      await checkPage(page, 'storm-policy-preview');

      await page.getByRole('button', { name: 'Apply policy' }).click();
      await shootOnFail(page, 'policy-apply', () => page.getByTestId('policy-applied').waitFor());
      expect(await page.getByTestId('policy-applied').textContent()).toContain('aggressive');
      await expect.poll(() => page.getByTestId('count-treat').textContent()).toBe(previewTreat.toLocaleString('en-US'));
      expect(await page.locator('table:has(caption)').getByText('preview').count()).toBe(1);

      await page.getByLabel(/^Canvassers/).fill('Alex, Blair, Casey');
      await page.getByRole('button', { name: 'Split the treat list' }).click();
      await page.getByTestId('territories').getByText('Casey').waitFor();
      expect(await page.getByTestId('territories').locator('tbody tr').count()).toBe(3);
      await page.getByTestId('health-status').waitFor();

      // The crews knock and log outcomes (the demo's generator), then the page shows progress and the lift.
      await demoOutcomes(ctx, { storm_id: storm.storm_id, seed: 8 });
      await page.reload();
      await page.getByTestId('outcome-progress').waitFor();
      await page.locator('[data-testid="lift-chart"][data-drawn="yes"]').waitFor();
      expect(await page.getByTestId('lift-sentence').textContent()).toMatch(/^Lift -?\d+\.\d pts/);
      await checkPage(page, 'storm-ops-after');

      await page.getByRole('link', { name: 'Open the pilot report' }).click();
      const lift = page.getByTestId('report-lift');
      await shootOnFail(page, 'report', () => lift.waitFor());
      expect(await lift.textContent()).toMatch(/^-?\d+\.\d pts$/);
      expect(await page.getByTestId('criteria').locator('tbody tr').count()).toBeGreaterThan(3);
      await page.locator('[data-testid="lift-chart"][data-drawn="yes"]').waitFor();
      await checkPage(page, 'report');
      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download PDF' }).click(),
      ]);
      expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
      expect(
        readFileSync(await pdf.path())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const [md] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download Markdown' }).click(),
      ]);
      expect(readFileSync(await md.path(), 'utf8')).toContain('#');
    });

    it('each role sees only the buttons it may use', async () => {
      const { tenant, storm } = await scoredStorm(t().db, 300, 41);
      const ctx = tenantCtx(t().db, tenant.tenantId);
      const who = async (role: 'analyst' | 'viewer' | 'canvasser') =>
        (await createCredential(ctx, { tenant_id: tenant.tenantId, email: `${role}@roles.example`, role })).token;
      const analyst = await newPage();
      await signInWithKey(analyst, await who('analyst'));
      await analyst.goto(`${base()}/storms/${storm.storm_id}`);
      await analyst.getByRole('button', { name: 'Preview (shadow)' }).waitFor();
      expect(await analyst.getByRole('button', { name: 'Apply policy' }).count()).toBe(0);
      expect(await analyst.getByRole('button', { name: 'Upload and import' }).count()).toBe(1);

      const viewer = await newPage();
      await signInWithKey(viewer, await who('viewer'));
      await viewer.goto(`${base()}/storms/${storm.storm_id}`);
      await viewer.getByRole('heading', { name: 'Policy' }).waitFor();
      await viewer.getByText('No policy run yet.').waitFor();
      for (const name of ['Preview (shadow)', 'Apply policy', 'Upload and import', 'Split the treat list'])
        expect(await viewer.getByRole('button', { name }).count(), name).toBe(0);
      await checkPage(viewer, 'storm-viewer');

      const canvasser = await newPage();
      await signInWithKey(canvasser, await who('canvasser'));
      await canvasser.getByRole('heading', { name: 'My doors' }).waitFor();
      await canvasser.goto(`${base()}/storms/${storm.storm_id}`);
      await canvasser.getByRole('link', { name: 'Open my doors in this storm' }).waitFor();
      expect(await canvasser.getByRole('heading', { name: 'Policy' }).count()).toBe(0);
      expect(
        await canvasser
          .getByRole('button')
          .filter({ hasText: /Apply|Preview|import/ })
          .count(),
      ).toBe(0);
    });
  });
}
