// Issue 20 in a real browser at 390×844: a new seeker searches 普工, taps 订阅这个搜索, and manages the
// subscription on /me/alerts (phone and desktop screenshots, axe check).
import type { Browser, Page } from 'playwright-core';
import { axeProblems, codeFromOutbox, launchBrowser, newPage, openMenu, screenshot, startSite, type Site } from './browser';

let site: Site;
let browser: Browser;
beforeAll(async () => {
  site = await startSite({ RATE_LIMIT_CODE_INTERVAL_SECONDS: '1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

it('a seeker subscribes to a search at phone size and changes it to a daily digest', async () => {
  const { page } = await newPage(browser, 'phone');
  const phone = '13912346620';
  await page.goto(`${site.baseUrl}/signup`);
  await page.getByLabel('求职者(找工作)').check();
  await page.getByLabel('手机号或邮箱').fill(phone);
  await clickAndLoad(page, page.getByRole('button', { name: '获取验证码' }));
  await page.locator('#f-code').fill(await codeFromOutbox(browser, site, phone));
  await page.getByLabel('姓名或昵称').fill('周师傅');
  await page.locator('#f-password').fill('kite-river-48');
  await page.getByLabel('确认密码').fill('kite-river-48');
  await page.getByRole('checkbox').check();
  await clickAndLoad(page, page.getByRole('button', { name: '注册' }));

  await page.goto(`${site.baseUrl}/jobs?q=${encodeURIComponent('普工')}&district=${encodeURIComponent('宝安区')}`);
  await screenshot(page, 'alerts-1-jobs-button-phone', { viewportOnly: true });
  await clickAndLoad(page, page.getByRole('button', { name: '订阅这个搜索' }));
  expect(page.url()).toContain('/me/alerts');
  await expect(page.locator('.flash, [role=status]').first().innerText()).resolves.toContain('已订阅「普工 · 宝安区」');
  await page.getByText('修改设置').click();
  await page.getByLabel('每日汇总', { exact: true }).check();
  await page.locator('select[name=digestHour]').selectOption('18');
  await screenshot(page, 'alerts-2-settings-phone');
  expect(await axeProblems(page)).toEqual([]);
  await clickAndLoad(page, page.getByRole('button', { name: '保存' }));
  await expect(page.locator('.item-meta').first().innerText()).resolves.toContain('每日汇总 18:00');

  const desktop = await newPage(browser, 'desktop');
  await desktop.page.goto(`${site.baseUrl}/jobs?q=${encodeURIComponent('普工')}`);
  await openMenu(desktop.page);
  await screenshot(desktop.page, 'alerts-3-jobs-visitor-desktop', { viewportOnly: true });
  expect(await desktop.page.locator('a', { hasText: '订阅这个搜索' }).getAttribute('href')).toContain('/login?next=');
});
