// A seeker takes their data and leaves, in a real browser with JavaScript off: the export downloads a ZIP
// holding the uploaded resume byte for byte, and the deletion (wrong password first) ends the account.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzip } from '../helpers/unzip';
import { screenshot, useSiteAndBrowser, VIEWPORTS } from './browser';
import { signUpSeeker, writePdf } from './seeker';

const e2e = useSiteAndBrowser();
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-e2e-privacy-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('a seeker exports their data and deletes the account', async () => {
  const site = e2e.site();
  const context = await e2e.browser().newContext({ viewport: VIEWPORTS.phone, locale: 'zh-CN', acceptDownloads: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await signUpSeeker(page, site, { login: '13912340088', name: '李四', password: 'privacy-2026' });

  const pdf = writePdf(dir, '李四的简历.pdf');
  await page.goto(`${site.baseUrl}/me/resumes`);
  await page.locator('#f-file').setInputFiles(pdf);
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('已上传');

  // Export from the dashboard's 账户与隐私.
  await page.goto(`${site.baseUrl}/me`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出我的数据' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^我的数据-\d{4}-\d{2}-\d{2}\.zip$/);
  const saved = path.join(dir, 'export.zip');
  await download.saveAs(saved);
  const entries = unzip(fs.readFileSync(saved));
  const data = JSON.parse(entries.get('data.json')!.toString('utf8'));
  expect(data.account.login).toBe('13912340088');
  expect(entries.get(data.resumes[0].file)!.equals(fs.readFileSync(pdf))).toBe(true);

  // Delete: a wrong password is refused beside the field, the right one ends the account.
  await page.getByRole('link', { name: '注销账户' }).click();
  await expect(page.locator('h1').innerText()).resolves.toBe('注销账户');
  await page.getByLabel('当前密码').fill('not-my-password');
  await page.getByRole('button', { name: '确认注销并删除我的数据' }).click();
  await expect(page.locator('#f-password-error').innerText()).resolves.toBe('密码不正确,账户未注销');
  await screenshot(page, 'privacy-delete-phone');
  await page.getByLabel('当前密码').fill('privacy-2026');
  await page.getByRole('button', { name: '确认注销并删除我的数据' }).click();
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('你的账户已注销');
  expect(new URL(page.url()).pathname).toBe('/');

  // Gone: the account cannot log in, and /me asks for a login.
  await page.goto(`${site.baseUrl}/login`);
  await page.getByLabel('手机号或邮箱').fill('13912340088');
  await page.getByLabel('密码').fill('privacy-2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('.form-errors, .error').first().innerText()).resolves.toContain('手机号/邮箱或密码错误');
  await context.close();
});
