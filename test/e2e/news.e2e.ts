// The seed article in a real browser: laid out like the original page (title, author/date line, caption, body, source, disclaimer).
import fs from 'node:fs';
import path from 'node:path';
import { newPage, screenshot, useSiteAndBrowser, type ViewportName } from './browser';

type SeedArticle = { title: string; imageCaption: string; source: string; disclaimer: string };
const original = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../src/db/seed-data/article.json'), 'utf8'),
) as SeedArticle;

const run = useSiteAndBrowser();

describe.each(['phone', 'desktop'] as ViewportName[])('at %s size', (viewport) => {
  it('the seed article reads like the original: title, author and date, caption, body, source and disclaimer', async () => {
    const { context, page } = await newPage(run.browser(), viewport);
    await page.goto(`${run.site().baseUrl}/news`);
    await page.getByRole('link', { name: original.title }).first().click();

    await expect(page.locator('h1').innerText()).resolves.toBe(original.title);
    await expect(page.locator('.article-byline').innerText()).resolves.toMatch(/^Admin\s-\sadmin 于2022年04月17日发表$/);
    await expect(page.locator('.article-caption').innerText()).resolves.toBe(original.imageCaption);
    const body = await page.locator('.article-body').innerText();
    expect(body.length).toBeGreaterThan(200);
    await expect(page.locator('.article-source').innerText()).resolves.toBe(`(来源:${original.source})`);
    await expect(page.locator('.article-disclaimer').innerText()).resolves.toContain(original.disclaimer);

    // Nothing overflows the phone's width: the body text wraps instead of scrolling sideways.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `article-${viewport}`);
    await context.close();
  });
});
