// Steps of a seeker in the browser that several e2e files take: signing up through the real form, and the
// resume file they upload.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { typeCodeFromOutbox, type Site } from './browser';

/** Writes a small real PDF (it passes the content check) as `dir/name` and returns its path, for setInputFiles. */
export function writePdf(dir: string, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  return file;
}

/** Signs up as a seeker (JavaScript on or off), with the code from /admin/outbox, and waits for the seeker's home page. */
export async function signUpSeeker(page: Page, site: Site, who: { login: string; name: string; password: string }): Promise<void> {
  await page.goto(`${site.baseUrl}/signup`);
  await page.getByLabel('求职者(找工作)').check();
  await page.getByLabel('手机号或邮箱').fill(who.login);
  await typeCodeFromOutbox(page, site, who.login);
  await page.getByLabel('姓名或昵称').fill(who.name);
  await page.locator('#f-password').fill(who.password);
  await page.getByLabel('确认密码').fill(who.password);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page.locator('h1').innerText()).resolves.toBe(`你好,${who.name}`);
}
