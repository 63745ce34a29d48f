// The phone-first account journey at phone size (390×844), through the forms as a person uses them: sign up with a
// code read from /admin/outbox (an admin in a second browser context), log out, forget the password, reset it,
// log in with a code, and look at /me/security. axe checks each new page; screenshots of each step.
import type { Page } from 'playwright-core';
import { axeProblems, codeFromOutbox, newPage, openMenu, screenshot, typeCodeFromOutbox, useSiteAndBrowser, VIEWPORTS } from './browser';

// A person waits 60 s before asking another code for the same number; the journey asks three in a row.
const run = useSiteAndBrowser({ RATE_LIMIT_CODE_INTERVAL_SECONDS: '1' });
const PHONE = '13912346601';

async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

it('sign up with a code, log out, forget the password, reset it, log in with a code', async () => {
  const site = run.site();
  const browser = run.browser();
  const { context, page } = await newPage(browser, 'phone');
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const check = async (name: string) => {
    for (const p of await axeProblems(page)) problems.push(`${name}: ${p}`);
  };

  // 1. Signup: the phone, then 获取验证码 (a plain form post), the code from the outbox, then the rest.
  await page.goto(`${site.baseUrl}/`);
  await openMenu(page); // on a phone, 登录 / 注册 are behind 菜单
  await clickAndLoad(page, page.locator('header').getByRole('link', { name: '注册' }));
  await page.getByLabel('求职者(找工作)').check();
  await page.getByLabel('手机号或邮箱').fill('139 1234 6601');
  await screenshot(page, 'accounts-1-signup-phone', { viewportOnly: true });
  await clickAndLoad(page, page.getByRole('button', { name: '获取验证码' }));
  await expect(page.locator('.code-sent').innerText()).resolves.toContain('验证码已发送至 139****6601');
  await expect(page.getByLabel('手机号或邮箱').inputValue()).resolves.toBe(PHONE);
  await screenshot(page, 'accounts-2-signup-code-sent-phone', { viewportOnly: true });
  await check('/auth/code (signup)');
  const code = await codeFromOutbox(browser, site, PHONE);
  await page.locator('#f-code').fill(code);
  await page.getByLabel('姓名或昵称').fill('陈师傅');
  await page.locator('#f-password').fill('first-pass-2026');
  await page.getByLabel('确认密码').fill('first-pass-2026');
  await page.getByRole('checkbox').check();
  await clickAndLoad(page, page.getByRole('button', { name: '注册' }));
  await expect(page.locator('.user-name').textContent()).resolves.toBe('陈师傅');
  // The phone came verified: the dashboard does not ask for it.
  await expect(page.locator('.completeness').innerText()).resolves.not.toContain('手机号');
  await screenshot(page, 'accounts-3-signed-up-phone', { viewportOnly: true });

  // 2. Log out.
  await openMenu(page);
  await clickAndLoad(page, page.getByRole('button', { name: '退出' }));
  await expect(page.locator('.user-name').count()).resolves.toBe(0);

  // 3. Forgot the password: /login → 忘记密码? → a code → a new password.
  await openMenu(page);
  await clickAndLoad(page, page.locator('header').getByRole('link', { name: '登录' }));
  await screenshot(page, 'accounts-4-login-phone', { viewportOnly: true });
  await clickAndLoad(page, page.getByRole('link', { name: '忘记密码?' }));
  await page.waitForTimeout(1100); // the 1 s between two codes to one number (60 s on a real site)
  await check('/forgot');
  await page.getByLabel('手机号或邮箱').fill(PHONE);
  await clickAndLoad(page, page.getByRole('button', { name: '获取验证码' }));
  expect(page.url()).toBe(`${site.baseUrl}/forgot/reset`);
  await expect(page.locator('.code-sent').innerText()).resolves.toContain('139****6601');
  await page.locator('#f-code').fill(await codeFromOutbox(browser, site, PHONE));
  await page.locator('#f-password').fill('second-pass-2026');
  await page.getByLabel('确认新密码').fill('second-pass-2026');
  await screenshot(page, 'accounts-5-reset-phone', { viewportOnly: true });
  await check('/forgot/reset');
  await clickAndLoad(page, page.getByRole('button', { name: '重置密码' }));
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('密码已重置,已为你登录');
  await screenshot(page, 'accounts-6-reset-done-phone', { viewportOnly: true });
  // The notice, as the outbox shows it, with the hotline.
  const outbox = await newPage(browser, 'phone');
  await outbox.page.goto(`${site.baseUrl}/login`);
  await outbox.page.getByLabel('手机号或邮箱').fill(site.admin.login);
  await outbox.page.locator('#f-password').fill(site.admin.password);
  await clickAndLoad(outbox.page, outbox.page.locator('main').getByRole('button', { name: '登录' }));
  await outbox.page.goto(`${site.baseUrl}/admin/outbox?to=${PHONE}`);
  await expect(outbox.page.locator('.outbox-body').first().innerText()).resolves.toBe('你在鹏城劳务派遣网的账号密码已重置。如非本人操作请联系客服 0755-8882 8155。');
  await screenshot(outbox.page, 'accounts-7-outbox-phone');
  for (const p of await axeProblems(outbox.page)) problems.push(`/admin/outbox: ${p}`);
  await outbox.context.close();

  // 4. Log out, and in again with a code (no password).
  await openMenu(page);
  await clickAndLoad(page, page.getByRole('button', { name: '退出' }));
  await page.goto(`${site.baseUrl}/login`);
  await clickAndLoad(page, page.getByRole('link', { name: '验证码登录' }));
  await page.waitForTimeout(1100);
  await page.getByLabel('手机号或邮箱').fill(PHONE);
  await typeCodeFromOutbox(page, site, PHONE);
  await screenshot(page, 'accounts-8-code-login-phone', { viewportOnly: true });
  await check('/login/code');
  await clickAndLoad(page, page.getByRole('button', { name: '登录' }));
  await expect(page.locator('.user-name').textContent()).resolves.toBe('陈师傅');

  // 5. 账号安全: the phone verified, this device listed.
  await page.goto(`${site.baseUrl}/me/security`);
  await expect(page.locator('.security-list').innerText()).resolves.toContain('139****6601');
  await expect(page.locator('.session-list').innerText()).resolves.toContain('本机');
  await screenshot(page, 'accounts-9-security-phone');
  await check('/me/security');
  await page.goto(`${site.baseUrl}/me/security/phone`);
  await check('/me/security/phone');
  await screenshot(page, 'accounts-10-security-phone-change-phone', { viewportOnly: true });

  // The new pages fit the phone: nothing wider than the screen.
  for (const path of ['/me/security', '/me/security/phone']) {
    await page.goto(`${site.baseUrl}${path}`);
    const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect({ path, width }).toEqual({ path, width: VIEWPORTS.phone.width });
  }
  await context.close();
  expect(problems).toEqual([]);
});

it('the same pages at desktop size', async () => {
  const site = run.site();
  const { context, page } = await newPage(run.browser(), 'desktop');
  await page.goto(`${site.baseUrl}/signup`);
  await page.getByLabel('手机号或邮箱').fill('13912346602');
  await clickAndLoad(page, page.getByRole('button', { name: '获取验证码' }));
  await screenshot(page, 'accounts-signup-code-sent-desktop', { viewportOnly: true });
  await page.goto(`${site.baseUrl}/login`);
  await page.getByLabel('手机号或邮箱').fill(PHONE);
  await page.locator('#f-password').fill('second-pass-2026');
  await clickAndLoad(page, page.locator('main').getByRole('button', { name: '登录' }));
  await page.goto(`${site.baseUrl}/me/security`);
  // Two sessions of this account now (the phone's from the first journey, and this one).
  await expect(page.locator('.session-item').count()).resolves.toBeGreaterThanOrEqual(1);
  await screenshot(page, 'accounts-security-desktop');
  await context.close();
});
