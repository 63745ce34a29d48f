// Starts the real server on a fresh data dir and Debian's chromium through playwright-core, for the browser journeys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type Proc } from '../helpers/processes';

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Screenshots go to test-results/screenshots/<run> (ignored by git); E2E_SCREENSHOT_DIR overrides. */
export const SCREENSHOT_DIR =
  process.env.E2E_SCREENSHOT_DIR ?? path.resolve(__dirname, '../../test-results/screenshots', new Date().toISOString().slice(0, 10));

export type Site = { baseUrl: string; server: Proc & { port: number }; dataDir: string; stop(): Promise<void> };

export async function startSite(env: Record<string, string> = {}): Promise<Site> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-e2e-'));
  const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'true', ...env });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    server,
    dataDir,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  // Playwright's launch() gives chromium a fresh temporary profile (--user-data-dir) each time.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function newPage(browser: Browser, viewport: ViewportName): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Registers beforeAll/afterAll that start a site and a browser for one test file; read them through the returned getters. */
export function useSiteAndBrowser(env: Record<string, string> = {}): { site(): Site; browser(): Browser } {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await startSite(env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });
  return {
    site: () => site ?? fail('the site has not started'),
    browser: () => browser ?? fail('the browser has not started'),
  };
}

function fail(message: string): never {
  throw new Error(message);
}
