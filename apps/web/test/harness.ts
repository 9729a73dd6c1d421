/**
 * One browser-test suite's world: the real API with the built app on a loopback port (on the suite's database),
 * Debian's Chromium, fresh contexts per page, and the checks every page gets (a screenshot to look at, axe-core).
 */
import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TestDatabase } from '../../server/test/databases.ts';
import { buildApp } from '../../server/src/http/app.ts';
import { defaultWebRoot } from '../../server/src/http/web.ts';
import { launch, screenshot, seriousViolations } from './browser.ts';

export const PLATFORM_TOKEN = 'platform-token-for-web-tests-0123456789abcdef';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

function webRoot(): string {
  const built = defaultWebRoot();
  if (built) return built;
  execFileSync('npm', ['run', 'build:web'], { stdio: 'pipe' });
  const again = defaultWebRoot();
  if (!again) throw new Error('npm run build:web made no apps/web/dist/index.html');
  return again;
}

export interface WebHarness {
  /** The app's origin, e.g. http://127.0.0.1:41234 */
  base(): string;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a screenshot named for the backend and the step, then asserts no serious/critical axe violation. */
  checkPage(page: Page, name: string, fullPage?: boolean): Promise<void>;
  /** Runs a wait; on failure saves a screenshot named FAILED-... first, to see why. */
  shootOnFail(page: Page, name: string, wait: () => Promise<void>): Promise<void>;
  /** Signs in with an API key and waits for the signed-in frame. */
  signInWithKey(page: Page, key: string): Promise<void>;
}

/** Registers the suite's beforeAll/afterAll; call inside describeEachDatabase. */
export function useWebHarness(t: () => TestDatabase): WebHarness {
  let app: FastifyInstance;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await buildApp({ db: t().db, platformToken: PLATFORM_TOKEN, webRoot: webRoot() });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.close();
  });

  const harness: WebHarness = {
    base: () => base,
    async newPage(viewport = DESKTOP) {
      const context = await browser.newContext({
        viewport,
        locale: 'en-US',
        timezoneId: 'America/Chicago',
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    },
    async checkPage(page, name, fullPage = true) {
      await screenshot(page, `${t().kind}-${name}`, fullPage);
      expect(await seriousViolations(page), name).toEqual([]);
    },
    async shootOnFail(page, name, wait) {
      try {
        await wait();
      } catch (err) {
        await screenshot(page, `FAILED-${t().kind}-${name}`);
        throw err;
      }
    },
    async signInWithKey(page, key) {
      await page.goto(`${base}/`);
      await page.getByText('Use an API key').click();
      await page.getByLabel('API key', { exact: true }).fill(key);
      await page.getByRole('button', { name: 'Use this key' }).click();
      // Signed in once the frame shows: navigating before that could race the key being kept.
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
  };
  return harness;
}
