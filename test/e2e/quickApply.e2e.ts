// Issue 17 in a real browser at 390×844: a visitor opens a job from search, taps 立即报名 in the bottom bar, fills
// the quick form with a code read from /admin/outbox (the admin in another context), and the application is in,
// within a minute of typing. The employer then sees the online resume and prints it (print stylesheet).
import { launchBrowser, newPage, screenshot, startSite, axeProblems, codeFromOutbox, type Site } from './browser';
import type { Browser } from 'playwright-core';

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

const DEMO_EMPLOYERS = [{ login: '13800000001', company: '鹏城人力' }, { login: '13800000002', company: '南粤物流' }];

it('a visitor quick-applies from a job found by search in under a minute, and the employer prints the online resume', async () => {
  const { context, page } = await newPage(browser, 'phone');
  await page.goto(`${site.baseUrl}/jobs?q=${encodeURIComponent('普工')}`);
  await Promise.all([page.waitForNavigation(), page.locator('.job-title a').first().click()]);
  const jobTitle = (await page.locator('#job-title').innerText()).trim();
  const company = (await page.locator('.company-name').innerText()).trim();
  const bar = page.locator('.job-bar');
  await expect(bar.isVisible()).resolves.toBe(true);
  await screenshot(page, 'quick-apply-1-job-phone', { viewportOnly: true });

  await Promise.all([page.waitForNavigation(), bar.getByRole('link', { name: '立即报名' }).click()]);
  expect(await axeProblems(page)).toEqual([]);
  const phone = '13912345617';
  const started = Date.now();
  await page.locator('#f-realName').fill('刘建国');
  await page.locator('#f-phone').fill(phone);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '获取验证码' }).click()]);
  await page.locator('.code-sent').waitFor();
  await page.locator('#f-code').fill(await codeFromOutbox(browser, site, phone));
  await page.getByLabel('男', { exact: true }).check();
  await page.locator('#f-birthYear').fill('1986');
  await page.locator('input[name=consent]').check();
  await page.locator('input[name=shareConsent]').check();
  await screenshot(page, 'quick-apply-2-form-phone');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交报名' }).click()]);
  const seconds = (Date.now() - started) / 1000;
  expect(seconds).toBeLessThan(60);
  expect(page.url()).toBe(`${site.baseUrl}/me/applications`);
  await expect(page.locator('main').innerText()).resolves.toContain(jobTitle);
  await expect(page.locator('.next-steps').innerText()).resolves.toContain('完善在线简历');
  expect(await axeProblems(page)).toEqual([]);
  await screenshot(page, 'quick-apply-3-applications-phone');
  console.log(`quick apply took ${seconds.toFixed(1)} s from the form opening to the application`);

  // The new seeker completes a section of the online resume.
  await page.goto(`${site.baseUrl}/me/resume`);
  expect(await axeProblems(page)).toEqual([]);
  await page.locator('input[name=certificates][value="叉车证"]').check();
  await Promise.all([page.waitForNavigation(), page.locator('#sec-tags').getByRole('button', { name: '保存' }).click()]);
  await screenshot(page, 'quick-apply-4-resume-phone');
  await context.close();

  // The employer of that job (a demo employer) logs in with a code and opens the application.
  const employer = DEMO_EMPLOYERS.find((e) => company.includes(e.company))!;
  const boss = await newPage(browser, 'desktop');
  await boss.page.goto(`${site.baseUrl}/login/code?next=/employer/notifications`);
  await boss.page.getByLabel('手机号或邮箱').fill(employer.login);
  await Promise.all([boss.page.waitForNavigation(), boss.page.getByRole('button', { name: '获取验证码' }).click()]);
  await boss.page.locator('#f-code').fill(await codeFromOutbox(browser, site, employer.login));
  await Promise.all([boss.page.waitForNavigation(), boss.page.locator('main').getByRole('button', { name: '登录' }).click()]);
  await boss.page.goto(`${site.baseUrl}/employer/notifications`);
  await Promise.all([boss.page.waitForNavigation(), boss.page.locator('main a[href^="/employer/applications/"]').first().click()]);
  const sheet = boss.page.locator('.resume-sheet');
  await expect(sheet.innerText()).resolves.toContain('刘建国');
  await expect(sheet.innerText()).resolves.toContain(phone);
  await expect(sheet.innerText()).resolves.toContain('叉车证');
  expect(await axeProblems(boss.page)).toEqual([]);
  await screenshot(boss.page, 'quick-apply-5-employer-desktop');
  await boss.page.emulateMedia({ media: 'print' });
  await expect(boss.page.locator('.site-header').isVisible()).resolves.toBe(false);
  await expect(boss.page.locator('[data-print]').isVisible()).resolves.toBe(false);
  await expect(sheet.isVisible()).resolves.toBe(true);
  await screenshot(boss.page, 'quick-apply-6-employer-print');
  await boss.context.close();
});
