// Search in a real browser (issue 19): a worker's query with a word the site does not know still lists jobs, under
// the 部分符合 divider; the admin sees that query on /admin/search, teaches the word with one click, and the same
// search then finds the jobs it means. Phone and desktop; the pages pass axe-core's checks.
import type { Page } from 'playwright-core';
import { axeProblems, newPage, screenshot, useSiteAndBrowser, type ViewportName } from './browser';

const env = useSiteAndBrowser();

async function logInAsAdmin(page: Page) {
  const { baseUrl, admin } = env.site();
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=login]', admin.login);
  await page.fill('input[name=password]', admin.password);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').click()]);
  if (page.url().includes('/me/security')) await Promise.all([page.waitForURL(/\/admin$/), page.getByRole('link', { name: '以后再说' }).click()]);
}

async function searchFor(page: Page, q: string) {
  await page.goto(`${env.site().baseUrl}/jobs`);
  await page.locator('input[name=q]').first().fill(q);
  await Promise.all([page.waitForURL(/\/jobs\?/), page.locator('input[name=q]').first().press('Enter')]);
}

describe.each(['phone', 'desktop'] as ViewportName[])('at %s size', (viewport) => {
  const word = viewport === 'phone' ? '搬砖' : '卸大货';

  it('a query with an unknown word lists partial matches under the divider; the admin teaches the word', async () => {
    const { context, page } = await newPage(env.browser(), viewport);
    await searchFor(page, `${word} 保安`);
    await expect(page.locator('.results-divider').innerText()).resolves.toContain('以下职位部分符合');
    expect(await page.locator('.job-card').count()).toBeGreaterThan(0);
    await screenshot(page, `search-partial-${viewport}`, { viewportOnly: true });
    // A click on a result is counted with its rank (and nothing about who clicked).
    await Promise.all([page.waitForURL(/\/jobs\/\d+\?sq=.*&sr=1/), page.locator('.job-card a').first().click()]);
    await context.close();

    const admin = await newPage(env.browser(), viewport);
    await logInAsAdmin(admin.page);
    // Searches are written a couple of seconds after they happen (off the request path).
    for (let i = 0; i < 20; i++) {
      await admin.page.goto(`${env.site().baseUrl}/admin/search`);
      if ((await admin.page.locator('body').innerText()).includes(word)) break;
      await admin.page.waitForTimeout(500);
    }
    await expect(admin.page.locator('body').innerText()).resolves.toContain(word);
    await screenshot(admin.page, `admin-search-${viewport}`);
    expect(await axeProblems(admin.page)).toEqual([]);
    await Promise.all([admin.page.waitForURL(/word=/), admin.page.locator(`a[href*="word=${encodeURIComponent(word)}"]`).first().click()]);
    await expect(admin.page.locator('#f-word').inputValue()).resolves.toContain(word);
    await admin.page.locator('input[name=category][value="搬运装卸"]').check();
    await Promise.all([admin.page.waitForURL(/\/admin\/search/), admin.page.locator('form[action="/admin/search/terms"] button[type=submit]').click()]);
    await expect(admin.page.locator('.flash-success').innerText()).resolves.toContain(word);
    await admin.context.close();

    const again = await newPage(env.browser(), viewport);
    await searchFor(again.page, word);
    // Now the word means the 搬运装卸 category: its jobs are full matches, no divider above them.
    expect(await again.page.locator('.job-card').count()).toBeGreaterThan(0);
    await expect(again.page.locator('.results-divider').count()).resolves.toBe(0);
    await expect(again.page.locator('.job-card .job-meta').first().innerText()).resolves.toContain('搬运装卸');
    expect(await axeProblems(again.page)).toEqual([]);
    await again.context.close();
  });
});
