// The dispatch company's front office in a browser: a client company submits a demand at phone size (code from
// /admin/outbox); an admin creates a consultant; the consultant, at desktop size, takes the lead, signs it,
// converts it, completes and submits the first job, approves it, and the job is public; a seeker quick-applies on
// a phone, and the consultant sees the first applicant in the staff inbox, shortlists them and shares the shortlist. Screenshots of each step.
import type { Page } from 'playwright-core';
import { axeProblems, E2E_ADMIN, newPage, screenshot, typeCodeFromOutbox, useSiteAndBrowser } from './browser';

const run = useSiteAndBrowser({ RATE_LIMIT_CODE_INTERVAL_SECONDS: '1' });
const CLIENT_PHONE = '13912347701';
const SEEKER_PHONE = '13912347703';
const CONSULTANT = { login: '13912347702', password: 'harbor-lamp-73', name: '林顾问' };

async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

async function login(page: Page, baseUrl: string, login: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('手机号或邮箱').fill(login);
  await page.locator('#f-password').fill(password);
  await clickAndLoad(page, page.locator('form[action="/login"] button[type="submit"]'));
}

it('a client submits a demand on a phone; a consultant converts it and publishes the first job', async () => {
  const site = run.site();
  const browser = run.browser();
  const problems: string[] = [];

  // 1. The client, on a phone: home page → 企业招聘 → the form, the code from the outbox, submit.
  const { context: phoneContext, page: phone } = await newPage(browser, 'phone');
  phoneContext.setDefaultTimeout(15_000);
  await phone.goto(`${site.baseUrl}/`);
  await clickAndLoad(phone, phone.getByRole('link', { name: '企业招聘' }));
  expect(phone.url()).toBe(`${site.baseUrl}/hire`);
  await phone.getByLabel('公司名称').fill('深圳市宏发电子有限公司');
  await phone.getByLabel('联系人').fill('王经理');
  await phone.getByLabel('手机号').fill(CLIENT_PHONE);
  await phone.getByLabel('需要人数').fill('50');
  await phone.getByLabel('工种').selectOption('普工');
  await phone.getByLabel('工作区域').selectOption('宝安区');
  const start = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await phone.getByLabel('开工日期').fill(start);
  await phone.getByLabel('长期').check();
  await phone.getByLabel('包吃').check();
  await typeCodeFromOutbox(phone, site, CLIENT_PHONE);
  // What was typed came back with the page.
  await expect(phone.getByLabel('公司名称').inputValue()).resolves.toBe('深圳市宏发电子有限公司');
  for (const p of await axeProblems(phone)) problems.push(`/hire: ${p}`);
  await screenshot(phone, 'leads-1-hire-phone');
  await clickAndLoad(phone, phone.getByRole('button', { name: '提交需求' }));
  await expect(phone.locator('h1').innerText()).resolves.toContain('需求已提交');
  await screenshot(phone, 'leads-2-thanks-phone', { viewportOnly: true });

  // 2. The admin makes a consultant account.
  const { page: admin } = await newPage(browser, 'desktop');
  await login(admin, site.baseUrl, E2E_ADMIN.login, E2E_ADMIN.password);
  await admin.goto(`${site.baseUrl}/admin/users/new`);
  await admin.getByLabel('登录手机号或邮箱').fill(CONSULTANT.login);
  await admin.getByLabel('姓名').fill(CONSULTANT.name);
  await admin.locator('#f-password').fill(CONSULTANT.password);
  await admin.getByLabel('确认密码').fill(CONSULTANT.password);
  await clickAndLoad(admin, admin.getByRole('button', { name: '创建顾问账号' }));
  await expect(admin.locator('.flash').first().innerText()).resolves.toContain('已创建顾问账号');

  // 3. The consultant, at desktop size: the leads list, the lead, take it and sign it.
  const { context: deskContext, page: desk } = await newPage(browser, 'desktop');
  deskContext.setDefaultTimeout(15_000);
  await login(desk, site.baseUrl, CONSULTANT.login, CONSULTANT.password);
  // An account an admin made has an unproved phone: the first login offers to verify it; later.
  if (desk.url().includes('/me/security/phone')) await clickAndLoad(desk, desk.getByRole('link', { name: '以后再说' }));
  expect(desk.url()).toBe(`${site.baseUrl}/admin/leads`);
  for (const p of await axeProblems(desk)) problems.push(`/admin/leads: ${p}`);
  await screenshot(desk, 'leads-3-list-desktop');
  await clickAndLoad(desk, desk.getByRole('link', { name: '深圳市宏发电子有限公司' }));
  await desk.getByLabel('改变状态').selectOption('following');
  await clickAndLoad(desk, desk.getByRole('button', { name: '保存状态' }));
  await desk.getByLabel('添加跟进记录').fill('已电话沟通,客户确认下周开工');
  await clickAndLoad(desk, desk.getByRole('button', { name: '添加记录' }));
  await desk.getByLabel('改变状态').selectOption('signed');
  await clickAndLoad(desk, desk.getByRole('button', { name: '保存状态' }));

  // 4. Convert: the client company with its credit code, and the first draft job.
  await desk.getByLabel('统一社会信用代码').fill('91440300MA5DC8EX6Q');
  await desk.getByLabel('第一个职位名称').fill('电子厂普工');
  for (const p of await axeProblems(desk)) problems.push(`/admin/leads/:id: ${p}`);
  await screenshot(desk, 'leads-4-lead-desktop');
  await clickAndLoad(desk, desk.getByRole('button', { name: '转为客户企业' }));
  await expect(desk.locator('.flash').first().innerText()).resolves.toContain('已创建客户企业和职位草稿');

  // 5. Complete the job and submit it, approve it in the review queue, and it is public.
  await clickAndLoad(desk, desk.getByRole('link', { name: '编辑职位草稿' }));
  await desk.getByLabel('详细地址').fill('宝安区福永街道工业园 A 栋');
  await desk.getByLabel('最低薪资').fill('25');
  await desk.getByLabel('劳务派遣经营许可证编号').fill('440300123456');
  await desk.getByLabel('工作内容').fill('流水线装配、包装,包吃,做六休一,长期稳定。');
  await desk.getByLabel('招聘条件').fill('18-45 岁,身体健康,能适应站立工作');
  await desk.locator('input[name="feeAttested"]').check();
  await screenshot(desk, 'leads-5-job-form-desktop');
  await clickAndLoad(desk, desk.getByRole('button', { name: '提交审核' }));
  // Back on /admin/client-jobs: the job, now 待审核, is opened in the review queue.
  const href = await desk.getByRole('link', { name: '电子厂普工' }).getAttribute('href');
  const jobId = /\/admin\/client-jobs\/(\d+)\/edit/.exec(href ?? '')?.[1];
  await desk.goto(`${site.baseUrl}/admin/jobs/${jobId}`);
  await clickAndLoad(desk, desk.locator('form[action$="/approve"] button[type="submit"]'));
  await desk.goto(`${site.baseUrl}/admin/client-jobs`);
  await screenshot(desk, 'leads-6-client-jobs-desktop');
  await clickAndLoad(desk, desk.getByRole('link', { name: '查看' }));
  await expect(desk.locator('main').innerText()).resolves.toContain('深圳市宏发电子有限公司');

  // 6. A seeker without an account quick-applies on a phone, with the code from the outbox.
  const { page: seeker } = await newPage(browser, 'phone');
  await seeker.goto(`${site.baseUrl}/jobs/${jobId}/apply`);
  await seeker.locator('#f-realName').fill('刘建国');
  await seeker.locator('#f-phone').fill(SEEKER_PHONE);
  await seeker.getByLabel('男', { exact: true }).check();
  await seeker.locator('#f-birthYear').fill('1986');
  await typeCodeFromOutbox(seeker, site, SEEKER_PHONE);
  await seeker.locator('input[name=consent]').check();
  // The consent names the dispatch company as the receiver, not the client company.
  await expect(seeker.locator('label:has(input[name=shareConsent])').innerText()).resolves.not.toContain('深圳市宏发电子有限公司');
  await seeker.locator('input[name=shareConsent]').check();
  await clickAndLoad(seeker, seeker.getByRole('button', { name: '提交报名' }));
  expect(seeker.url()).toBe(`${site.baseUrl}/me/applications`);

  // 7. The consultant sees the first applicant in the staff inbox, opens it (phone in full) and shortlists them.
  await desk.goto(`${site.baseUrl}/admin/applicants`);
  await expect(desk.locator('main').innerText()).resolves.toContain('刘建国');
  for (const p of await axeProblems(desk)) problems.push(`/admin/applicants: ${p}`);
  await screenshot(desk, 'leads-7-applicants-desktop');
  await clickAndLoad(desk, desk.getByRole('link', { name: '刘建国' }));
  await expect(desk.locator('main').innerText()).resolves.toContain(SEEKER_PHONE);
  await clickAndLoad(desk, desk.getByRole('button', { name: '通过初筛' }));
  await expect(desk.locator('.flash').first().innerText()).resolves.toContain('初筛通过');
  for (const p of await axeProblems(desk)) problems.push(`/admin/applicants/:id: ${p}`);
  await screenshot(desk, 'leads-8-applicant-desktop');

  // 8. The shortlist goes to the client company's contact by SMS (seen in the outbox); the share is on record.
  await clickAndLoad(desk, desk.locator('main').getByRole('link', { name: '电子厂普工' }));
  await desk.getByLabel(/刘建国/).check();
  await clickAndLoad(desk, desk.getByRole('button', { name: '发送给用工单位' }));
  await expect(desk.locator('.flash').first().innerText()).resolves.toContain('已把 1 位求职者');
  await expect(desk.locator('#shortlist').innerText()).resolves.toContain('分享记录');
  for (const p of await axeProblems(desk)) problems.push(`/admin/applicants?job=: ${p}`);
  await desk.setViewportSize({ width: 390, height: 844 });
  await screenshot(desk, 'leads-9-shortlist-phone');
  await admin.goto(`${site.baseUrl}/admin/outbox`);
  await expect(admin.locator('main').innerText()).resolves.toContain(`刘建国 ${Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date())) - 1986}岁 ${SEEKER_PHONE}`);

  expect(problems).toEqual([]);
});
