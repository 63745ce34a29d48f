// The employer workspace in a real browser (issue 18): at desktop size the employer filters the applicant inbox,
// changes two applicants' status in bulk, invites one to an interview and exports the list (the .xlsx opened with
// exceljs); at phone size the seeker accepts the interview. Part 2: a job refreshed (更新于), a status change undone,
// a bulk rejection with a template, the talent pool searched by keyword and an invitation applied to in one tap. The app runs in this process on a fresh embedded
// database, so the fixtures are made through the same services the unit tests use.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { boot } from '../../src/bootstrap';
import { parseConfig } from '../../src/config';
import type { AppContext } from '../../src/context';
import { employerProfiles, notifications } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { dateIso } from '../../src/web/format';
import { RELAXED_LIMITS, type TestApp } from '../helpers/app';
import { TestClient } from '../helpers/client';
import { signedIn, TEST_PASSWORD } from '../helpers/factories';
import { applicant, employerWithJobs } from '../helpers/workspace';
import { launchBrowser, newPage, screenshot, smallTapTargets } from './browser';

let browser: Browser;
let server: http.Server;
let baseUrl: string;
let t: TestApp;
let dataDir: string;
let ctx: AppContext;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-e2e-workspace-'));
  const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'e2e-secret-e2e-secret', LOG_LEVEL: 'silent', SEED_DEMO: 'false', MESSAGE_WORKER: 'false' });
  ({ ctx } = await boot(config, createLogger('silent'), { migrate: true, seed: false, limits: RELAXED_LIMITS }));
  const app = createApp(ctx);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = { app, ctx, client: () => new TestClient(app), close: async () => {} } as TestApp;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await ctx?.messaging.stop();
  await ctx?.dbHandle.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function logIn(page: Page, login: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('手机号或邮箱').fill(login);
  await page.locator('#f-password').fill(TEST_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main').getByRole('button', { name: '登录' }).click()]);
}

async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

it('the employer filters the inbox, shortlists two in bulk, invites one, exports; the seeker accepts on a phone', async () => {
  const employer = await employerWithJobs(t, 2, '深圳市工作台演示有限公司');
  const wang = await applicant(t, employer.jobs[0]!.id, { realName: '王一', district: '宝安区' });
  const li = await applicant(t, employer.jobs[1]!.id, { realName: '李二', district: '龙华区' });
  const zhao = await applicant(t, employer.jobs[1]!.id, { realName: '赵三', district: '宝安区' });

  const desk = await newPage(browser, 'desktop');
  const page = desk.page;
  await logIn(page, employer.user.login);
  await page.goto(`${baseUrl}/employer`);
  await clickAndLoad(page, page.locator('.stat-grid a[href="/employer/applicants?status=new"]'));
  await expect(page.locator('.inbox-item').count()).resolves.toBe(3);

  // Filter by the second job: a GET form, so the filtered view is a link.
  await page.locator('#f-job').selectOption(String(employer.jobs[1]!.id));
  await clickAndLoad(page, page.getByRole('button', { name: '筛选', exact: true }));
  expect(page.url()).toContain(`job=${employer.jobs[1]!.id}`);
  await expect(page.locator('.inbox-item .item-title a').allInnerTexts()).resolves.toEqual(['赵三', '李二']);
  await screenshot(page, 'workspace-inbox-desktop');

  await page.locator(`#tick-${li.applicationId}`).check();
  await page.locator(`#tick-${zhao.applicationId}`).check();
  await page.locator('#bulk-status').selectOption('shortlisted');
  await clickAndLoad(page, page.getByRole('button', { name: '确定' }));
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('已将 2 位求职者更新为「初筛通过」');
  // Back on the filtered list (status=new): both moved out of it.
  await expect(page.locator('.inbox-item').count()).resolves.toBe(0);

  // Invite 李二 to an interview tomorrow at 10:00.
  await page.goto(`${baseUrl}/employer/applications/${li.applicationId}`);
  await clickAndLoad(page, page.getByRole('link', { name: '邀请面试' }));
  const tomorrow = dateIso(new Date(Date.now() + 86_400_000));
  await page.locator('#f-date').fill(tomorrow);
  await page.locator('#f-time').fill('10:00');
  await page.locator('#f-place').fill('龙华区观澜街道物流园 A 栋 2 楼');
  await screenshot(page, 'workspace-invite-desktop');
  await clickAndLoad(page, page.getByRole('button', { name: '发送面试邀请' }));
  await expect(page.locator('#interviews .status').first().innerText()).resolves.toBe('待回复');
  await screenshot(page, 'workspace-applicant-desktop');

  // The export, with the same filters, opened with exceljs.
  await page.goto(`${baseUrl}/employer/applicants?job=${employer.jobs[1]!.id}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^求职者-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const saved = path.join(dataDir, 'export.xlsx');
  await download.saveAs(saved);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(saved);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  expect(rows[0]![2]).toBe('姓名');
  expect(rows.slice(1).map((r) => [r[2], r[5], r[8]])).toEqual([
    ['赵三', zhao.user.login, '初筛通过'],
    ['李二', li.user.login, '初筛通过'],
  ]);
  expect(rows.map((r) => r[2])).not.toContain('王一');
  expect(wang.applicationId).toBeGreaterThan(0);
  await desk.context.close();

  // The seeker, on a phone, accepts.
  const phone = await newPage(browser, 'phone');
  await logIn(phone.page, li.user.login);
  await phone.page.goto(`${baseUrl}/me/interviews`);
  await expect(phone.page.locator('.item').first().innerText()).resolves.toContain('龙华区观澜街道物流园 A 栋 2 楼');
  await screenshot(phone.page, 'workspace-my-interviews-phone');
  await phone.page.locator('textarea[name=reply]').fill('准时到');
  await clickAndLoad(phone.page, phone.page.getByRole('button', { name: '接受' }));
  await expect(phone.page.locator('.flash-success').innerText()).resolves.toContain('已接受面试邀请');
  await expect(phone.page.locator('.item .status').first().innerText()).resolves.toBe('已接受');
  await phone.context.close();

  // The employer's inbox on a phone: the answer shows on the row; every control is big enough to tap.
  const employerPhone = await newPage(browser, 'phone');
  await logIn(employerPhone.page, employer.user.login);
  await employerPhone.page.goto(`${baseUrl}/employer/applicants`);
  await expect(employerPhone.page.locator(`#application-${li.applicationId}`).innerText()).resolves.toContain('面试已接受');
  await screenshot(employerPhone.page, 'workspace-inbox-phone');
  expect(await smallTapTargets(employerPhone.page)).toEqual([]);
  await employerPhone.context.close();
});

it('the talent pool and the interview form at phone size: no control under 44px', async () => {
  const employer = await employerWithJobs(t, 1, '深圳市人才库演示有限公司');
  await ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employer.user.id));
  const seeker = await applicant(t, employer.jobs[0]!.id, { realName: '钱多多', district: '南山区' });
  await seeker.client.post('/me/talent', { optIn: 'yes' });

  const { context, page } = await newPage(browser, 'phone');
  await logIn(page, employer.user.login);
  await page.goto(`${baseUrl}/employer/talent`);
  await expect(page.locator(`#talent-${seeker.user.id}`).innerText()).resolves.toContain('钱先生');
  await screenshot(page, 'workspace-talent-phone');
  expect(await smallTapTargets(page)).toEqual([]);
  await page.goto(`${baseUrl}/employer/applications/${seeker.applicationId}/interview`);
  await screenshot(page, 'workspace-invite-phone');
  expect(await smallTapTargets(page)).toEqual([]);
  await context.close();

  const mine = await newPage(browser, 'phone');
  await logIn(mine.page, seeker.user.login);
  await mine.page.goto(`${baseUrl}/me/talent`);
  await screenshot(mine.page, 'workspace-my-talent-phone');
  expect(await smallTapTargets(mine.page)).toEqual([]);
  await mine.context.close();
});

it('part 2: refresh, undo, bulk reject with a template; the talent pool searched by keyword, an invitation applied to in one tap on a phone', async () => {
  const employer = await employerWithJobs(t, 2, '深圳市人才邀请演示有限公司');
  await ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employer.user.id));
  const sun = await applicant(t, employer.jobs[0]!.id, { realName: '孙一', district: '宝安区' });
  const zhou = await applicant(t, employer.jobs[0]!.id, { realName: '周二', district: '宝安区' });
  const wu = await applicant(t, employer.jobs[0]!.id, { realName: '吴三', district: '龙岗区' });
  // A seeker who wrote the online resume and opted into the pool, and another who only mentions forklifts.
  const forklift = await signedIn(t, 'seeker');
  for (const form of [
    { section: 'who', realName: '郑叉车', gender: 'male', birthYear: '1994', district: '宝安区' },
    { section: 'wants', desiredTypes: ['temp'], desiredCategories: ['仓储分拣'], minPay: '260', minPayUnit: 'day', preferredSettlement: 'daily', availability: 'now' },
    { section: 'tags', certificates: ['叉车证'], skills: '' },
  ]) {
    expect((await forklift.client.post('/me/resume', form)).status).toBe(303);
  }
  await forklift.client.post('/me/talent', { optIn: 'yes' });
  const mention = await signedIn(t, 'seeker');
  await mention.client.post('/me/resume', { section: 'who', realName: '冯提及', gender: 'female', birthYear: '1999', district: '龙华区' });
  await mention.client.post('/me/resume', { section: 'about', intro: '想学开叉车' });
  await mention.client.post('/me/talent', { optIn: 'yes' });

  const desk = await newPage(browser, 'desktop');
  const page = desk.page;
  await logIn(page, employer.user.login);

  // Refresh a job: 更新于 on the employer's list and on the public card.
  await page.goto(`${baseUrl}/employer/jobs`);
  await clickAndLoad(page, page.locator(`#job-${employer.jobs[0]!.id}`).getByRole('button', { name: '刷新' }));
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('职位已刷新');
  await expect(page.locator(`#job-${employer.jobs[0]!.id} .job-meta`).innerText()).resolves.toContain('更新于');
  await page.goto(`${baseUrl}/jobs`);
  await expect(page.locator('article.job-card', { has: page.locator(`a[href="/jobs/${employer.jobs[0]!.id}"]`) }).innerText()).resolves.toContain('更新于');

  // A status change, undone within the window.
  await page.goto(`${baseUrl}/employer/applicants`);
  await page.locator(`#tick-${sun.applicationId}`).check();
  await page.locator('#bulk-status').selectOption('shortlisted');
  await clickAndLoad(page, page.getByRole('button', { name: '确定' }));
  const sunRow = page.locator(`#application-${sun.applicationId}`);
  await expect(sunRow.locator('.status').first().innerText()).resolves.toBe('初筛通过');
  await clickAndLoad(page, sunRow.getByRole('button', { name: '撤销' }));
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('已撤销');
  await expect(page.locator(`#application-${sun.applicationId} .status`).first().innerText()).resolves.not.toBe('初筛通过');

  // Bulk reject with a template: both seekers are told the template's text.
  await page.locator(`#tick-${zhou.applicationId}`).check();
  await page.locator(`#tick-${wu.applicationId}`).check();
  await page.locator('#bulk-status').selectOption('rejected');
  await page.locator('#bulk-template').selectOption('filled');
  await screenshot(page, 'workspace2-bulk-reject-desktop');
  await clickAndLoad(page, page.getByRole('button', { name: '确定' }));
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('已将 2 位求职者更新为「未通过」');
  const told = await ctx.db.select().from(notifications).where(eq(notifications.userId, zhou.user.id));
  expect(told.map((n) => n.body).join('\n')).toContain('该岗位已经招满');

  // The talent pool, searched by a synonym of 叉车: the 叉车证 holder first, no name or phone.
  await page.goto(`${baseUrl}/employer/talent`);
  await page.locator('#talent-q').fill('铲车');
  await clickAndLoad(page, page.getByRole('button', { name: '搜索', exact: true }));
  await expect(page.locator('.item-list .item').evaluateAll((items) => items.map((i) => i.id))).resolves.toEqual([`talent-${forklift.user.id}`, `talent-${mention.user.id}`]);
  const card = page.locator(`#talent-${forklift.user.id}`);
  await expect(card.innerText()).resolves.toContain('郑先生');
  await expect(card.innerText()).resolves.toContain('叉车证');
  await expect(page.locator('main').innerText()).resolves.not.toContain('郑叉车');
  await screenshot(page, 'workspace2-talent-desktop');
  await clickAndLoad(page, card.getByRole('link', { name: '郑先生' }));
  await page.locator('#f-jobId').selectOption(String(employer.jobs[1]!.id));
  await screenshot(page, 'workspace2-talent-profile-desktop');
  await clickAndLoad(page, page.getByRole('button', { name: '发送邀请' }));
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('已发出投递邀请');
  await expect(page.locator('main').innerText()).resolves.not.toContain(forklift.user.login);

  // The seeker, on a phone: the invitation, and applying is one tap.
  const phone = await newPage(browser, 'phone');
  await logIn(phone.page, forklift.user.login);
  await phone.page.goto(`${baseUrl}/me/talent`);
  const invitation = phone.page.locator('.item-list .item').first();
  await expect(invitation.innerText()).resolves.toContain('深圳市人才邀请演示有限公司');
  await screenshot(phone.page, 'workspace2-my-talent-phone');
  expect(await smallTapTargets(phone.page)).toEqual([]);
  await clickAndLoad(phone.page, invitation.getByRole('button', { name: '同意并投递' }));
  expect(new URL(phone.page.url()).pathname).toBe('/me/applications');
  await expect(phone.page.locator('.flash-success').innerText()).resolves.toContain('投递');
  await phone.page.goto(`${baseUrl}/me/talent`);
  await expect(phone.page.locator('.item-list .item').first().innerText()).resolves.toContain('已投递');
  await phone.context.close();

  // Only now does the employer get the name and phone.
  await page.goto(`${baseUrl}/employer/applicants?job=${employer.jobs[1]!.id}`);
  const row = page.locator('.inbox-item').first();
  await expect(row.innerText()).resolves.toContain('郑叉车');
  await clickAndLoad(page, row.getByRole('link', { name: '郑叉车' }));
  await expect(page.locator('main').innerText()).resolves.toContain(forklift.user.login);
  await desk.context.close();

  // The talent pages at phone size.
  const employerPhone = await newPage(browser, 'phone');
  await logIn(employerPhone.page, employer.user.login);
  await employerPhone.page.goto(`${baseUrl}/employer/talent?q=${encodeURIComponent('叉车')}`);
  await screenshot(employerPhone.page, 'workspace2-talent-phone');
  expect(await smallTapTargets(employerPhone.page)).toEqual([]);
  await employerPhone.page.goto(`${baseUrl}/employer/talent/${forklift.user.id}`);
  await screenshot(employerPhone.page, 'workspace2-talent-profile-phone');
  expect(await smallTapTargets(employerPhone.page)).toEqual([]);
  await employerPhone.context.close();
});
