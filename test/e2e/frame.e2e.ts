// The frame in a real browser: home page, hotline, footer, and an account's name in the header.
import { newPage, openMenu, screenshot, typeCodeFromOutbox, useSiteAndBrowser, type ViewportName } from './browser';

const run = useSiteAndBrowser();

describe.each(['phone', 'desktop'] as ViewportName[])('at %s size', (viewport) => {
  it('the home page shows the hotline as a tel: link and the footer links', async () => {
    const { context, page } = await newPage(run.browser(), viewport);
    await page.goto(`${run.site().baseUrl}/`);
    await expect(page.locator('h1').count()).resolves.toBe(1);
    const hotline = page.locator('header a.hotline');
    await expect(hotline.getAttribute('href')).resolves.toBe('tel:075588828155');
    await expect(hotline.innerText()).resolves.toContain('0755-8882 8155');
    const footer = await page.locator('footer').innerText();
    for (const label of ['关于我们', '加入我们', '人力资讯TOP500', '网站地图', '临时工招聘信息', '兼职招聘信息', '深圳劳务派遣公司']) {
      expect(footer).toContain(label);
    }
    if (viewport === 'phone') {
      // On phones the hotline is also a bar fixed to the bottom of the screen.
      const bar = page.locator('a.call-bar');
      await expect(bar.isVisible()).resolves.toBe(true);
    }
    await screenshot(page, `home-${viewport}`);
    await context.close();
  });

  it('a seeker signs up, logs out, logs in again and sees their name in the header', async () => {
    const { context, page } = await newPage(run.browser(), viewport);
    const login = viewport === 'phone' ? '13912340001' : '13912340002';
    await page.goto(`${run.site().baseUrl}/signup`);
    await page.getByLabel('求职者(找工作)').check();
    await page.getByLabel('手机号或邮箱').fill(login);
    await typeCodeFromOutbox(page, run.site(), login);
    await page.getByLabel('姓名或昵称').fill('李小龙');
    await page.locator('#f-password').fill('kungfu-2026');
    await page.getByLabel('确认密码').fill('kungfu-2026');
    await page.getByRole('checkbox').check();
    await screenshot(page, `signup-${viewport}`);
    await page.getByRole('button', { name: '注册' }).click();
    await openMenu(page);
    await expect(page.locator('.user-name').innerText()).resolves.toBe('李小龙');

    await page.getByRole('button', { name: '退出' }).click();
    await expect(page.locator('.user-name').count()).resolves.toBe(0);

    await page.goto(`${run.site().baseUrl}/login`);
    await page.getByLabel('手机号或邮箱').fill(login);
    await page.locator('#f-password').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('.form-errors').innerText()).resolves.toContain('手机号/邮箱或密码错误');
    await page.locator('#f-password').fill('kungfu-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.goto(`${run.site().baseUrl}/`);
    await openMenu(page);
    await expect(page.locator('.user-name').innerText()).resolves.toBe('李小龙');
    await screenshot(page, `home-signed-in-${viewport}`);
    await context.close();
  });
});
