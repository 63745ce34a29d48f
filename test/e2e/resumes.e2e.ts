// Resumes in a real browser with JavaScript off: upload (token in the form's URL), refusal, rename, and a
// download whose Chinese file name survives Content-Disposition; with JavaScript, the file-name preview and the confirm before delete.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startSite, VIEWPORTS, type Site } from './browser';
import { signUpSeeker, writePdf } from './seeker';

let site: Site;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-e2e-files-'));
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a seeker uploads a resume, sees a wrong file refused, renames it and downloads it, all without JavaScript', async () => {
  const context = await browser.newContext({ viewport: VIEWPORTS.phone, locale: 'zh-CN', acceptDownloads: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await signUpSeeker(page, site, { login: '13912340077', name: '张三', password: 'resume-2026' });

  const pdf = writePdf(dir, '张三的简历.pdf');
  const fake = path.join(dir, 'virus.pdf');
  fs.writeFileSync(fake, 'MZ\x90\x00 not a pdf');

  await page.goto(`${site.baseUrl}/me/resumes`);
  await page.locator('#f-file').setInputFiles(fake);
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await expect(page.locator('#f-file-error').innerText()).resolves.toBe('仅支持 PDF、Word、JPG、PNG 文件');

  await page.locator('#f-file').setInputFiles(pdf);
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await expect(page.locator('.flash-success').innerText()).resolves.toContain('简历「张三的简历」已上传');
  await expect(page.locator('.item-title').first().innerText()).resolves.toContain('默认');

  await page.locator('details.rename summary').first().click();
  await page.locator('.rename-form input[name=title]').first().fill('普工简历 2026');
  await page.getByRole('button', { name: '保存名称' }).first().click();
  await expect(page.locator('.item-title a').first().innerText()).resolves.toBe('普工简历 2026');
  await screenshot(page, 'resumes-phone');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载' }).first().click()]);
  expect(download.suggestedFilename()).toBe('张三的简历.pdf');
  const saved = path.join(dir, 'downloaded.pdf');
  await download.saveAs(saved);
  expect(fs.readFileSync(saved).toString()).toBe(fs.readFileSync(pdf).toString());
  await context.close();
});

it('with JavaScript, the chosen file is named before upload and deleting a resume asks first', async () => {
  const { context, page } = await newPage(browser, 'phone');
  await signUpSeeker(page, site, { login: '13912340078', name: '李四', password: 'resume-2026' });

  const pdf = path.join(dir, '李四简历.pdf');
  fs.writeFileSync(pdf, '%PDF-1.4\n' + 'x'.repeat(3000) + '\n%%EOF\n');
  await page.goto(`${site.baseUrl}/me/resumes`);
  await page.locator('#f-file').setInputFiles(pdf);
  await expect(page.locator('#chosen-file').innerText()).resolves.toBe('已选择:李四简历.pdf(3 KB)');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '上传', exact: true }).click()]);
  await expect(page.locator('.item-title').count()).resolves.toBe(1);

  const asked: string[] = [];
  page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()));
  await page.getByRole('button', { name: '删除' }).click();
  expect(asked[0]).toContain('确定删除「李四简历」');
  await page.reload();
  await expect(page.locator('.item-title').count()).resolves.toBe(1);

  page.once('dialog', (d) => void d.accept());
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '删除' }).click()]);
  await expect(page.locator('.item-title').count()).resolves.toBe(0);
  await screenshot(page, 'resumes-empty-phone');
  await context.close();
});
