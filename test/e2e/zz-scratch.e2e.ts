import { launchBrowser, newPage, startSite } from './browser';
const ADMIN = { login: '13900000009', password: 'admin-pass-e2e-1' };
it('scratch', async () => {
  const site = await startSite({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password });
  const browser = await launchBrowser();
  try {
    const out = process.env.SHOT_DIR ?? '/tmp/op';
    const pages = (process.env.SHOT_PAGES ?? '/,/jobs').split(',');
    for (const vp of ['phone', 'desktop'] as const) {
      const { context, page } = await newPage(browser, vp);
      if (process.env.SHOT_ADMIN) {
        await page.goto(`${site.baseUrl}/login`);
        await page.fill('input[name=login]', ADMIN.login);
        await page.fill('input[name=password]', ADMIN.password);
        await Promise.all([page.waitForURL(/\/admin$/), page.locator('main form button[type=submit]').click()]);
      }
      for (const p of pages) {
        await page.goto(site.baseUrl + p);
        const name = p.replace(/[^a-z0-9]+/gi, '_') || 'root';
        if (process.env.SHOT_SELECTOR) {
          const els = page.locator(process.env.SHOT_SELECTOR);
          for (let i = 0; i < (await els.count()); i++) await els.nth(i).screenshot({ path: `${out}/${vp}${name}-el${i}.png` });
        } else await page.screenshot({ path: `${out}/${vp}${name}.png`, fullPage: process.env.SHOT_FULL === '1' });
        const y = await page.evaluate(() => { const el = (globalThis as any).document.querySelector('.job-card'); return el ? el.getBoundingClientRect().top : null; });
        const h = await page.evaluate(() => { const el = (globalThis as any).document.querySelector('.site-header'); return el ? el.getBoundingClientRect().height : null; });
        console.log(vp, p, 'first card y', y, 'header h', h);
      }
      await context.close();
    }
  } finally { await browser.close(); await site.stop(); }
}, 300000);
