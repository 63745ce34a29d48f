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

/**
 * Screenshots go to test-results/screenshots/<run> (ignored by git): the run is named once by the e2e global set-up
 * (test/e2e/setup.ts, E2E_RUN_ID = the start time), so every file of one run shares the folder. E2E_SCREENSHOT_DIR overrides.
 */
export const SCREENSHOT_DIR =
  process.env.E2E_SCREENSHOT_DIR ??
  path.resolve(__dirname, '../../test-results/screenshots', process.env.E2E_RUN_ID ?? `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);

/** `admin`: the site's first admin (from ADMIN_LOGIN), who reads the codes a journey needs from /admin/outbox. */
export type Site = { baseUrl: string; server: Proc & { port: number }; dataDir: string; admin: { login: string; password: string }; stop(): Promise<void> };

/** The admin every site gets unless the test names its own. */
export const E2E_ADMIN = { login: 'e2e-admin@example.com', password: 'e2e-admin-pass-1' };

export async function startSite(env: Record<string, string> = {}): Promise<Site> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-e2e-'));
  const admin = { login: env.ADMIN_LOGIN ?? E2E_ADMIN.login, password: env.ADMIN_PASSWORD ?? E2E_ADMIN.password };
  const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'true', ADMIN_LOGIN: admin.login, ADMIN_PASSWORD: admin.password, ...env });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    server,
    dataDir,
    admin,
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
      '--lang=zh-CN', // the browser's own words (file pickers, date fields) in Chinese, as the site's users see them
    ],
  });
}

export async function newPage(browser: Browser, viewport: ViewportName): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  return { context, page };
}

/** A full-page PNG of the page in the run's folder; `viewportOnly` keeps it to what the screen shows. */
export async function screenshot(page: Page, name: string, { viewportOnly = false } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: !viewportOnly });
  return file;
}

/** On a phone the header's menu is folded behind 菜单: open it (nothing to do on a wide screen, or when it is open). */
export async function openMenu(page: Page): Promise<void> {
  const button = page.locator('.site-menu > .menu-button');
  if ((await button.isVisible()) && (await page.locator('.site-menu[open]').count()) === 0) await button.click();
}

/** On a phone the job filters are folded behind 筛选: open them (nothing to do on a wide screen, or when open). */
export async function openFilters(page: Page): Promise<void> {
  const button = page.locator('.filter-panel > .filter-toggle');
  if ((await button.isVisible()) && (await page.locator('.filter-panel[open]').count()) === 0) await button.click();
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

/**
 * With E2E_DOCS_SCREENSHOTS=1, also saves what the screen shows as docs/screenshots/<name>.png (the README's pictures):
 * `E2E_DOCS_SCREENSHOTS=1 npm run test:e2e -- test/e2e/journeys.e2e.ts` refreshes them.
 */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_DOCS_SCREENSHOTS !== '1') return;
  const dir = path.resolve(__dirname, '../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

/**
 * Controls smaller than a finger (44 px high; a checkbox or radio counts by its label), as "tag "text" WxH" lines.
 * Links inside running text are left out: they are text, not controls.
 */
export async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Box = { width: number; height: number };
    type El = { tagName: string; type?: string; textContent: string | null; getBoundingClientRect(): Box; closest(s: string): El | null };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document;
    const controls =
      'button, .btn, select, textarea, input:not([type=hidden]), summary, .chip, .tabs a, .nav-links a, .account-menu a, ' +
      '.footer-links a, .keyword-links a, .pagination a, .quick-links a, .admin-nav a, .call-bar, .hotline, .more';
    const small: string[] = [];
    for (const el of doc.querySelectorAll(controls)) {
      const own = el.getBoundingClientRect();
      if (!own.width || !own.height) continue; // hidden
      const box = el.type === 'checkbox' || el.type === 'radio' ? (el.closest('label')?.getBoundingClientRect() ?? own) : own;
      if (box.height < 43.5) small.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
    return small;
  });
}

/** axe-core's serious and critical violations of the page, as "rule: target" lines. */
export async function axeProblems(page: Page): Promise<string[]> {
  // Run in the page through the DevTools protocol: the site's CSP (no inline script) does not apply to it.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    // The page's globals, typed here (the tests compile without the DOM library).
    type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const page = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: object): Promise<AxeResult> } };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.targets.map((t) => `${v.id}: ${t}`));
}

/** One signed-in admin page per site and browser, kept open: reading a code is then one page load. */
const outboxReaders = new Map<string, Promise<Page>>();

async function outboxReader(browser: Browser, site: Site): Promise<Page> {
  const key = site.baseUrl;
  let reader = outboxReaders.get(key);
  if (!reader) {
    reader = (async () => {
      const { page } = await newPage(browser, 'desktop');
      await page.goto(`${site.baseUrl}/login`);
      await page.getByLabel('手机号或邮箱').fill(site.admin.login);
      await page.locator('#f-password').fill(site.admin.password);
      await Promise.all([page.waitForNavigation(), page.locator('main').getByRole('button', { name: '登录' }).click()]);
      return page;
    })();
    outboxReaders.set(key, reader);
  }
  return reader;
}

/**
 * The newest code sent to `to`, read as a tester reads it in development: signed in as the admin in a second
 * browser context, on /admin/outbox (the outbox driver shows the message whole).
 */
export async function codeFromOutbox(browser: Browser, site: Site, to: string): Promise<string> {
  const page = await outboxReader(browser, site);
  await page.goto(`${site.baseUrl}/admin/outbox?to=${encodeURIComponent(to)}`);
  const text = await page.locator('.outbox-item').first().locator('.outbox-body').innerText();
  const code = /验证码(?:是)? (\d{6})/.exec(text)?.[1];
  if (!code) throw new Error(`no code for ${to} on /admin/outbox: ${text}`);
  return code;
}

/** On a form with a 获取验证码 button: presses it (the page comes back with what was typed), then types the code. */
export async function typeCodeFromOutbox(page: Page, site: Site, to: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /获取验证码|重新获取/ }).click()]);
  await page.locator('.code-sent').waitFor();
  const browser = page.context().browser()!;
  await page.locator('#f-code').fill(await codeFromOutbox(browser, site, to));
}
