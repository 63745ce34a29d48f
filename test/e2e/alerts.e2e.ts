// Issue 20 in a real browser. At 390×844 a visitor searches 普工 in 宝安区, taps 订阅这个搜索, signs up with an SMS
// code and lands back on the search, subscribed; the header menu's 职位订阅 leads to /me/alerts, where the alert is
// set to instant SMS. A demo employer posts a matching job, the admin approves it, and the alert is in the seeker's
// inbox and on /admin/outbox. Phone and desktop screenshots, axe checks. The site runs with ALERT_QUIET_HOURS=off:
// its clock is the wall clock, and at night the alert would rightly wait until 07:00.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeProblems, codeFromOutbox, launchBrowser, newPage, openMenu, screenshot, startSite, type Site } from './browser';

let site: Site;
let browser: Browser;
let seeker: { page: Page; context: BrowserContext };
const phone = '13912346620';
const SEARCH = `/jobs?q=${encodeURIComponent('普工')}&district=${encodeURIComponent('宝安区')}`;
const JOB_TITLE = '沙井电子厂普工急招';

beforeAll(async () => {
  site = await startSite({ RATE_LIMIT_CODE_INTERVAL_SECONDS: '1', ALERT_QUIET_HOURS: 'off' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

async function logIn(page: Page, login: string, password: string) {
  await page.goto(`${site.baseUrl}/login`);
  await page.getByLabel('手机号或邮箱').fill(login);
  await page.locator('#f-password').fill(password);
  await clickAndLoad(page, page.locator('main').getByRole('button', { name: '登录' }));
}

it('a visitor subscribes at phone size: 订阅这个搜索, signup with an SMS code, back on the same search, subscribed', async () => {
  seeker = await newPage(browser, 'phone');
  const { page } = seeker;
  await page.goto(site.baseUrl + SEARCH);
  await screenshot(page, 'alerts-1-jobs-visitor-phone', { viewportOnly: true });
  await clickAndLoad(page, page.getByRole('link', { name: '订阅这个搜索' }));
  expect(new URL(page.url()).pathname).toBe('/login');
  await clickAndLoad(page, page.locator('main').getByRole('link', { name: '免费注册' }));
  await page.getByLabel('求职者(找工作)').check();
  await page.getByLabel('手机号或邮箱').fill(phone);
  await clickAndLoad(page, page.getByRole('button', { name: '获取验证码' }));
  await page.locator('#f-code').fill(await codeFromOutbox(browser, site, phone));
  await page.getByLabel('姓名或昵称').fill('周师傅');
  await page.locator('#f-password').fill('kite-river-48');
  await page.getByLabel('确认密码').fill('kite-river-48');
  await page.getByRole('checkbox').check();
  await screenshot(page, 'alerts-2-signup-phone');
  await clickAndLoad(page, page.getByRole('button', { name: '注册' }));

  // Back on the same search, with the subscription made.
  const back = new URL(page.url());
  expect([back.pathname, back.searchParams.get('q'), back.searchParams.get('district'), back.searchParams.get('subscribe')]).toEqual(['/jobs', '普工', '宝安区', null]);
  await expect(page.locator('.flash-success', { hasText: '已订阅' }).innerText()).resolves.toContain('已订阅「普工 · 宝安区」');
  await screenshot(page, 'alerts-3-subscribed-phone', { viewportOnly: true });

  // The header menu has 职位订阅; there the alert becomes an instant SMS (the phone was verified by the signup code).
  await openMenu(page);
  await screenshot(page, 'alerts-3b-menu-phone', { viewportOnly: true });
  await clickAndLoad(page, page.locator('header').getByRole('link', { name: '职位订阅' }));
  expect(new URL(page.url()).pathname).toBe('/me/alerts');
  await page.getByText('修改设置').click();
  await page.getByLabel('即时提醒', { exact: true }).check();
  await page.getByLabel('短信', { exact: true }).check();
  await clickAndLoad(page, page.getByRole('button', { name: '保存' }));
  await expect(page.locator('.item-meta').first().innerText()).resolves.toContain('短信');
  await screenshot(page, 'alerts-4-me-alerts-phone');
  expect(await axeProblems(page)).toEqual([]);
});

it('the admin approves a matching job; the seeker finds the alert in the site inbox, and /admin/outbox shows the SMS', async () => {
  // A demo employer (password printed once in the start log) posts a matching job: 普工 in 宝安区.
  const password = /shown only this once: (demo-[\w-]+)/.exec(site.server.output())![1]!;
  const employer = await newPage(browser, 'desktop');
  const ep = employer.page;
  await logIn(ep, '13800000001', password);
  expect(new URL(ep.url()).pathname).not.toBe('/login');
  await ep.goto(`${site.baseUrl}/employer/jobs/new`);
  await ep.getByLabel('职位名称').fill(JOB_TITLE);
  await ep.getByLabel('职位类型').selectOption('temp');
  await ep.getByLabel('职位类别').selectOption('普工');
  await ep.getByLabel('区域').selectOption('宝安区');
  await ep.getByLabel('详细地址').fill('宝安区沙井街道新桥工业园');
  await ep.getByLabel('最低薪资').fill('230');
  await ep.locator('#f-payUnit').selectOption('day');
  await ep.getByLabel('日结', { exact: true }).check();
  await ep.getByLabel('招聘人数').fill('15');
  await ep.getByLabel('招聘条件').fill('18-45 岁,身体健康,无经验可培训');
  await ep.getByLabel('工作内容').fill('流水线组装和包装,坐着干活,有空调。');
  await ep.locator('#f-contactName').fill('张经理');
  await ep.getByLabel('联系电话').fill('13800138000');
  await ep.getByLabel('本职位不向求职者收取任何费用', { exact: false }).check();
  await clickAndLoad(ep, ep.getByRole('button', { name: '提交审核' }));
  await expect(ep.locator('.manage-item', { hasText: JOB_TITLE }).locator('.status-tag').innerText()).resolves.toBe('待审核');
  await employer.context.close();

  // Submitted is not published: no alert yet.
  await seeker.page.goto(`${site.baseUrl}/me/notifications`);
  expect(await seeker.page.locator('main').innerText()).not.toContain(`职位提醒「普工 · 宝安区」:${JOB_TITLE}`);

  const admin = await newPage(browser, 'desktop');
  const ap = admin.page;
  await logIn(ap, site.admin.login, site.admin.password);
  await ap.goto(`${site.baseUrl}/admin/jobs`);
  await clickAndLoad(ap, ap.locator('.manage-item', { hasText: JOB_TITLE }).getByRole('link', { name: '查看审核' }));
  await clickAndLoad(ap, ap.getByRole('button', { name: '通过并发布' }));
  await expect(ap.locator('.flash-success').innerText()).resolves.toContain(JOB_TITLE);

  // The seeker's inbox (the header shows an unread count) has the alert, linking to the job.
  const { page } = seeker;
  await page.goto(`${site.baseUrl}/me/notifications`);
  const alert = page.locator('main li', { hasText: `职位提醒「普工 · 宝安区」:${JOB_TITLE}` }).first();
  await expect(alert.innerText()).resolves.toContain(JOB_TITLE);
  await screenshot(page, 'alerts-5-inbox-phone');

  // /admin/outbox: the SMS to the seeker's phone, with the job and the one-click unsubscribe link.
  await ap.goto(`${site.baseUrl}/admin/outbox?to=${phone}`);
  const sms = ap.locator('.outbox-item').first();
  await expect(sms.innerText()).resolves.toContain(JOB_TITLE);
  await expect(sms.innerText()).resolves.toMatch(/\/u\/\d+\.[\w-]{10}/);
  await screenshot(ap, 'alerts-6-outbox-desktop', { viewportOnly: true });
  await admin.context.close();

  // Desktop: the list and the signed-in button on /jobs.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${site.baseUrl}/me/alerts`);
  await screenshot(page, 'alerts-7-me-alerts-desktop', { viewportOnly: true });
  expect(await axeProblems(page)).toEqual([]);
  await page.goto(site.baseUrl + SEARCH);
  await screenshot(page, 'alerts-8-jobs-seeker-desktop', { viewportOnly: true });
  const visitor = await newPage(browser, 'desktop');
  await visitor.page.goto(site.baseUrl + SEARCH);
  await screenshot(visitor.page, 'alerts-9-jobs-visitor-desktop', { viewportOnly: true });
  await visitor.context.close();
});
