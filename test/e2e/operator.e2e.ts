// Issue 23 in a real browser: the phone header in one row with its menu (also without JavaScript), the job list's
// first card above the fold, the dashboard's charts, the audit log's sentences, the rich-text news editor under the
// site's CSP (with an image upload), a refused upload leaving no token in the address bar, and axe on these pages.
import type { BrowserContext, Page } from 'playwright-core';
import { tinyPng } from '../helpers/news';
import { axeProblems, newPage, screenshot, useSiteAndBrowser, VIEWPORTS } from './browser';

const ADMIN = { login: '13900000023', password: 'admin-pass-e2e-23' };

const run = useSiteAndBrowser({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password });

/** Content-Security-Policy violations the page reports (a blocked inline style or script would show here). */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (apply|execute|load)/i.test(msg.text())) violations.push(msg.text());
  });
  return violations;
}

async function logInAsAdmin(page: Page) {
  await page.goto(`${run.site().baseUrl}/login`);
  await page.fill('input[name=login]', ADMIN.login);
  await page.fill('input[name=password]', ADMIN.password);
  await Promise.all([page.waitForURL(/\/admin$/), page.locator('main form button[type=submit]').click()]);
}

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe('on a phone (390×844)', () => {
  it('the header is one row, its menu a button that opens the nav; the first job is above the fold, the filters behind 筛选', async () => {
    const { context, page } = await newPage(run.browser(), 'phone');
    const csp = watchCsp(page);
    await page.goto(`${run.site().baseUrl}/jobs`);
    const header = await box(page, '.site-header');
    expect(header.height).toBeLessThanOrEqual(64);
    const [logo, hotline, menu] = [await box(page, '.logo'), await box(page, 'header a.hotline'), await box(page, '.menu-button')];
    for (const b of [hotline, menu]) expect(Math.abs(b.y + b.height / 2 - (logo.y + logo.height / 2))).toBeLessThan(4);
    expect(await page.locator('.nav-links').isVisible()).toBe(false);

    // The first job card, whole, above the call bar at the bottom of the screen.
    const card = await box(page, '.job-card');
    const callBar = await box(page, '.call-bar');
    expect(card.y).toBeGreaterThan(0);
    expect(card.y + card.height).toBeLessThanOrEqual(callBar.y);
    expect(callBar.y + callBar.height).toBeLessThanOrEqual(VIEWPORTS.phone.height + 1);
    expect(await page.locator('#f-district').isVisible()).toBe(false);
    await screenshot(page, 'operator-phone-jobs', { viewportOnly: true });

    await page.locator('.filter-toggle').click();
    expect(await page.locator('#f-district').isVisible()).toBe(true);
    await page.selectOption('#f-district', '宝安区'); // submits itself
    await page.waitForURL(/district=/);
    expect(await page.locator('.filter-toggle .badge').innerText()).toBe('1');

    await page.locator('.menu-button').click();
    expect(await page.locator('.nav-links a', { hasText: '人力资讯' }).isVisible()).toBe(true);
    await screenshot(page, 'operator-phone-menu', { viewportOnly: true });
    expect(await axeProblems(page)).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('without JavaScript the menu and the filters still open', async () => {
    const context: BrowserContext = await run.browser().newContext({ viewport: VIEWPORTS.phone, locale: 'zh-CN', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${run.site().baseUrl}/jobs`);
    await page.locator('.menu-button').click();
    await page.locator('.nav-links a', { hasText: '劳务派遣' }).click();
    await page.waitForURL(/\/paiqian$/);
    await page.locator('.filter-toggle').click();
    expect(await page.locator('#f-settlement').isVisible()).toBe(true);
    await context.close();
  });
});

describe('on a desktop (1280×800)', () => {
  it('the menu is the header\'s second row and the filters are open, as before', async () => {
    const { context, page } = await newPage(run.browser(), 'desktop');
    await page.goto(`${run.site().baseUrl}/jobs`);
    expect(await page.locator('.menu-button').isVisible()).toBe(false);
    expect(await page.locator('.nav-links a', { hasText: '人力资讯' }).isVisible()).toBe(true);
    expect(await page.locator('.filter-toggle').isVisible()).toBe(false);
    expect(await page.locator('#f-district').isVisible()).toBe(true);
    expect((await box(page, '.job-card')).y).toBeLessThan(VIEWPORTS.desktop.height);
    await screenshot(page, 'operator-desktop-jobs', { viewportOnly: true });
    await context.close();
  });
});

describe('the back office', () => {
  for (const viewport of ['phone', 'desktop'] as const) {
    it(`the dashboard draws its charts with no script and no style attributes (${viewport})`, async () => {
      const { context, page } = await newPage(run.browser(), viewport);
      const csp = watchCsp(page);
      await logInAsAdmin(page);
      const chart = page.locator(`svg.chart-${viewport === 'phone' ? 'narrow' : 'wide'}`);
      expect(await chart.isVisible()).toBe(true);
      expect(await chart.getAttribute('aria-label')).toMatch(/^近 30 天.*新职位 \d+/);
      expect(await page.locator('svg.chart-bars').first().isVisible()).toBe(true);
      await page.locator('.chart-table summary').first().click();
      expect(await page.locator('.chart-table table').first().isVisible()).toBe(true);
      await screenshot(page, `operator-dashboard-${viewport}`);
      expect(await axeProblems(page)).toEqual([]);
      expect(csp).toEqual([]);
      await context.close();
    });
  }

  it('the audit log reads as sentences, the raw record one click away', async () => {
    const { context, page } = await newPage(run.browser(), 'desktop');
    await logInAsAdmin(page);
    await page.goto(`${run.site().baseUrl}/admin/settings`);
    await page.fill('#f-hotline', '0755-2300 0023');
    await Promise.all([page.waitForURL(/section=basic/), page.locator('form.settings-form button[type=submit]').click()]);
    await page.goto(`${run.site().baseUrl}/admin/audit`);
    const entry = page.locator('.audit-entry').first();
    expect(await entry.locator('.audit-sentence').innerText()).toMatch(/^管理员( \S+)? 修改了网站设置:客服热线/);
    expect(await entry.locator('table').innerText()).toContain('0755-2300 0023');
    expect(await entry.locator('.audit-raw pre').isVisible()).toBe(false);
    await entry.locator('.audit-raw summary').click();
    expect(await entry.locator('.audit-raw pre').innerText()).toContain('"action": "settings.update"');
    await screenshot(page, 'operator-audit-desktop');
    expect(await axeProblems(page)).toEqual([]);
    await context.close();
  });

  it('the news editor formats text, links and uploads an image under the CSP; the article shows them', async () => {
    const { context, page } = await newPage(run.browser(), 'desktop');
    const csp = watchCsp(page);
    await logInAsAdmin(page);
    await page.goto(`${run.site().baseUrl}/admin/news/new`);
    const editor = page.locator('.editor-content');
    expect(await editor.isVisible()).toBe(true);
    expect(await page.locator('textarea#f-body').isVisible()).toBe(false);

    await page.fill('#f-title', '编辑器测试:春季招聘会');
    await editor.click();
    await page.keyboard.type('招聘会安排');
    await page.locator('.editor-h2').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('本周六在宝安区举行,');
    await page.locator('.editor-bold').click();
    await page.keyboard.type('免费入场');
    await page.locator('.editor-bold').click();
    await page.keyboard.press('Enter');
    await page.locator('.editor-bulletList').click();
    await page.keyboard.type('普工 200 人');
    await page.keyboard.press('Enter');
    await page.keyboard.type('分拣员 50 人');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // leaves the list
    await page.keyboard.type('报名方式见官网');
    await page.keyboard.down('Shift');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.up('Shift');
    const answers = ['https://www.example.cn/baoming', '招聘会现场'];
    page.on('dialog', (d) => void d.accept(answers.shift() ?? ''));
    await page.locator('.editor-link').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.editor-image').click()]);
    await chooser.setFiles({ name: '现场.png', mimeType: 'image/png', buffer: tinyPng() });
    await page.locator('.editor-content img').waitFor();
    expect(await page.locator('.editor-status').innerText()).toBe('图片已插入');
    await screenshot(page, 'operator-news-editor-desktop');
    expect(await axeProblems(page)).toEqual([]);

    await page.selectOption('#f-status', 'published');
    await Promise.all([page.waitForURL(/\/admin\/news\/\d+\/edit$/), page.locator('form.form button[type=submit]').click()]);
    const id = /\/admin\/news\/(\d+)\/edit$/.exec(page.url())![1];
    // What was saved is what the editor made: the sanitizer kept every tag.
    const saved = await page.locator('textarea#f-body').inputValue();
    expect(saved).toContain('<h2>招聘会安排</h2>');
    expect(saved).toContain('<strong>免费入场</strong>');
    expect(saved).toMatch(/<ul><li><p>普工 200 人<\/p><\/li><li><p>分拣员 50 人<\/p><\/li><\/ul>/);
    expect(saved).toMatch(/<a href="https:\/\/www\.example\.cn\/baoming" rel="nofollow noopener">官网<\/a>/);
    expect(saved).toMatch(/<img src="\/files\/news\/\d+" alt="招聘会现场"/);
    // The editor opens the saved article as it was.
    expect(await page.locator('.editor-content h2').innerText()).toBe('招聘会安排');

    const reader = await run.browser().newContext({ viewport: VIEWPORTS.phone, locale: 'zh-CN' });
    const article = await reader.newPage();
    await article.goto(`${run.site().baseUrl}/news/${id}`);
    const img = article.locator('.article-body img');
    await img.waitFor();
    expect(await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(2);
    expect(await img.getAttribute('alt')).toBe('招聘会现场');
    await reader.close();
    expect(csp).toEqual([]);
    await context.close();
  });

  it('without JavaScript the news form is today\'s HTML box', async () => {
    const context = await run.browser().newContext({ viewport: VIEWPORTS.desktop, locale: 'zh-CN', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${run.site().baseUrl}/login`);
    await page.fill('input[name=login]', ADMIN.login);
    await page.fill('input[name=password]', ADMIN.password);
    await Promise.all([page.waitForURL(/\/admin$/), page.locator('main form button[type=submit]').click()]);
    await page.goto(`${run.site().baseUrl}/admin/news/new`);
    expect(await page.locator('textarea#f-body').isVisible()).toBe(true);
    expect(await page.locator('.editor-toolbar').count()).toBe(0);
    await context.close();
  });

  it('after a refused upload the address bar shows the page, not its CSRF token', async () => {
    const { context, page } = await newPage(run.browser(), 'desktop');
    await logInAsAdmin(page);
    await page.goto(`${run.site().baseUrl}/admin/news/import`);
    await page.setInputFiles('input[type=file]', { name: 'photo.png', mimeType: 'image/png', buffer: tinyPng() });
    const [response] = await Promise.all([page.waitForNavigation(), page.locator('form.form button[type=submit]').click()]);
    expect(response!.status()).toBe(415);
    expect(await page.locator('.field.has-error .error').first().innerText()).toContain('导入文件仅支持');
    await page.waitForFunction(() => !(globalThis as unknown as { location: { search: string } }).location.search.includes('_csrf'));
    expect(page.url()).toBe(`${run.site().baseUrl}/admin/news/import`);
    // The form still posts with a token checked before the upload is read.
    expect(await page.locator('form.form').getAttribute('action')).toMatch(/^\/admin\/news\/import\?_csrf=/);
    await context.close();
  });
});

describe('accessibility of the changed pages', () => {
  it('has no serious or critical axe violations', async () => {
    const { context, page } = await newPage(run.browser(), 'phone');
    await logInAsAdmin(page);
    const problems: string[] = [];
    for (const path of ['/', '/jobs', '/k/shenzhen-linshigong-paiqian-zhongjie', '/privacy', '/join', '/news/abc', '/admin/help', '/admin/audit', '/admin/settings?section=keywords']) {
      await page.goto(`${run.site().baseUrl}${path}`);
      for (const p of await axeProblems(page)) problems.push(`${path} ${p}`);
    }
    await page.goto(`${run.site().baseUrl}/admin/help`);
    await screenshot(page, 'operator-help-phone', { viewportOnly: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
