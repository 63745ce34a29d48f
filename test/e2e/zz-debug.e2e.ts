import { launchBrowser, newPage, startSite } from './browser';
it('debug', async () => {
  const site = await startSite({});
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser, 'phone');
    await page.goto(site.baseUrl + '/jobs');
    console.log(await page.evaluate(() => { const d = (globalThis as any).document; const s = d.querySelector('.menu-button'); const cs = (globalThis as any).getComputedStyle(s); return [s.innerText, cs.color, cs.display, cs.fontSize, cs.width, s.getBoundingClientRect().width, d.querySelector('.menu-icon').getBoundingClientRect().width].join(' | '); }));
    await page.click('.menu-button');
    await page.screenshot({ path: '/tmp/op/menu-open.png' });
  } finally { await browser.close(); await site.stop(); }
}, 120000);
