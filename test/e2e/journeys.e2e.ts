// The five journeys of the site, end to end in a real browser, at phone and at desktop size, through the forms
// as a person uses them (clicks and typing; no direct HTTP except creating the first admin through the server's env).
// Each size runs with its own fresh seeker, employer and articles on one server; the journeys of a size build on
// each other in order (1 → 2 → 3), then axe-core checks the main pages as each of those users sees them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeProblems, docsScreenshot, launchBrowser, newPage, openFilters, openMenu, screenshot, smallTapTargets, startSite, typeCodeFromOutbox, type Site, type ViewportName } from './browser';
import { writePdf } from './seeker';

const ADMIN = { login: '13900000019', password: 'admin-pass-e2e-2' };
const PASSWORD = 'journey-2026';

let site: Site;
let browser: Browser;
let files: string;

beforeAll(async () => {
  site = await startSite({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password });
  browser = await launchBrowser();
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-e2e-journeys-'));
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
  if (files) fs.rmSync(files, { recursive: true, force: true });
});

/** Clicks and waits for the page the click leads to (a form post answered with a redirect included). */
async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

async function signUp(page: Page, role: 'seeker' | 'employer', login: string, name: string) {
  await page.goto(`${site.baseUrl}/`);
  await openMenu(page);
  await clickAndLoad(page, page.locator('header').getByRole('link', { name: '注册' }));
  await page.getByLabel(role === 'seeker' ? '求职者(找工作)' : '企业(招人)').check();
  await page.getByLabel('手机号或邮箱').fill(login);
  await typeCodeFromOutbox(page, site, login);
  await page.getByLabel('姓名或昵称').fill(name);
  await page.locator('#f-password').fill(PASSWORD);
  await page.getByLabel('确认密码').fill(PASSWORD);
  await page.getByRole('checkbox').check();
  await clickAndLoad(page, page.getByRole('button', { name: '注册' }));
  await openMenu(page);
  await expect(page.locator('.user-name').innerText()).resolves.toBe(name);
}

async function logIn(page: Page, login: string, password: string) {
  await page.goto(`${site.baseUrl}/`);
  await openMenu(page);
  await clickAndLoad(page, page.locator('header').getByRole('link', { name: '登录' }));
  await page.getByLabel('手机号或邮箱').fill(login);
  await page.locator('#f-password').fill(password);
  await clickAndLoad(page, page.locator('main').getByRole('button', { name: '登录' }));
}

/** The first application to an employer asks for consent to share the resume with that company (named): tick it. */
async function consentToShare(page: Page, expectedCompany?: string) {
  const company = (await page.locator('#apply .consent-note strong').innerText()).replace(/^「|」$/g, '');
  if (expectedCompany) expect(company).toBe(expectedCompany);
  await page.locator('#apply').getByLabel(`我同意将我的简历及联系方式提供给 ${company}`).check();
}

/** What one size's journeys share: the users' browser contexts and what they made. */
type Run = {
  seeker: { login: string; name: string; page: Page; context: BrowserContext };
  employer: { login: string; company: string; page: Page; context: BrowserContext };
  admin: { page: Page; context: BrowserContext };
  jobTitle: string;
  jobId?: number;
  articleTitle: string;
  articleId?: number;
};

describe.each(['phone', 'desktop'] as ViewportName[])('at %s size', (viewport) => {
  const n = viewport === 'phone' ? '1' : '2';
  const shot = (page: Page, name: string) => screenshot(page, `journey-${name}-${viewport}`);
  const run = {
    jobTitle: `仓库分拣派遣工 ${viewport === 'phone' ? '甲' : '乙'}班`,
    articleTitle: `深圳发布灵活用工新规 ${viewport === 'phone' ? '手机' : '电脑'}版测试`,
  } as Run;

  beforeAll(async () => {
    const seeker = await newPage(browser, viewport);
    const employer = await newPage(browser, viewport);
    const admin = await newPage(browser, viewport);
    run.seeker = { login: `1390000${n}101`, name: `王${viewport === 'phone' ? '小明' : '大明'}`, ...seeker };
    run.employer = { login: `1390000${n}202`, company: `深圳鹏达人力${viewport === 'phone' ? '一' : '二'}有限公司`, ...employer };
    run.admin = admin;
    // Fail a step in seconds rather than the default 30 s: every page here answers fast.
    for (const { context } of [seeker, employer, admin]) context.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    for (const who of [run.seeker, run.employer, run.admin]) await who?.context.close();
  });

  it('1. a seeker signs up, uploads a resume, searches 普工, filters by district and 日结, applies, and sees the application', async () => {
    const { page } = run.seeker;
    await signUp(page, 'seeker', run.seeker.login, run.seeker.name);
    await expect(page.locator('h1').innerText()).resolves.toBe(`你好,${run.seeker.name}`);
    await shot(page, '1-dashboard');

    const pdf = writePdf(files, `${run.seeker.name}的简历.pdf`);
    await page.goto(`${site.baseUrl}/me/resumes`);
    await page.locator('#f-file').setInputFiles(pdf);
    await clickAndLoad(page, page.getByRole('button', { name: '上传', exact: true }));
    await expect(page.locator('.flash-success').innerText()).resolves.toContain('已上传');
    await shot(page, '1-resumes');

    await page.goto(`${site.baseUrl}/`);
    await openMenu(page);
    await clickAndLoad(page, page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '临时工', exact: true }));
    await page.locator('#jobs-q').fill('普工');
    await clickAndLoad(page, page.getByRole('button', { name: '搜索', exact: true }));
    expect(new URL(page.url()).searchParams.get('q')).toBe('普工');
    // The filters submit themselves when changed (site.js); without JavaScript the 筛选 button does it. On a phone
    // they are folded behind the 筛选 toggle.
    await openFilters(page);
    // (The search already put an empty district= in the address: wait for the chosen one.)
    await Promise.all([page.waitForURL((u) => u.searchParams.get('district') === '宝安区'), page.locator('#f-district').selectOption('宝安区')]);
    await openFilters(page);
    await Promise.all([page.waitForURL(/settlement=daily/), page.locator('#f-settlement').selectOption('daily')]);
    const url = new URL(page.url());
    expect([url.searchParams.get('district'), url.searchParams.get('settlement'), url.searchParams.get('q')]).toEqual(['宝安区', 'daily', '普工']);
    const cards = page.locator('.job-card');
    expect(await cards.count()).toBeGreaterThan(0);
    for (const text of await cards.allInnerTexts()) expect(text).toMatch(/日结[\s\S]*宝安区/);
    await shot(page, '1-search');

    const card = page.locator('.job-card', { hasText: '电子厂普工日结' });
    await expect(card.innerText()).resolves.toMatch(/220.*元\/天[\s\S]*日结[\s\S]*宝安区[\s\S]*包吃/);
    await clickAndLoad(page, card.getByRole('link', { name: '电子厂普工日结' }));
    await expect(page.locator('h1').innerText()).resolves.toBe('电子厂普工日结');
    await page.locator('#f-message').fill('明天就可以到岗');
    await consentToShare(page);
    await shot(page, '1-apply');
    await clickAndLoad(page, page.getByRole('button', { name: '确认投递' }));
    await expect(page.locator('.flash-success').innerText()).resolves.toContain('投递');

    await page.goto(`${site.baseUrl}/me`);
    await clickAndLoad(page, page.locator('main').getByRole('link', { name: /我的投递/ }).first());
    const application = page.locator('li', { hasText: '电子厂普工日结' }).first();
    await expect(application.innerText()).resolves.toContain('已投递');
    await shot(page, '1-applications');
  });

  it('2. an employer completes the profile, posts a dispatch job and sees it pending; an admin approves it; the seeker finds it', async () => {
    const { page } = run.employer;
    await signUp(page, 'employer', run.employer.login, '陈经理');
    // A new employer lands on the profile form: publishing needs the company's details first.
    await expect(page.locator('h1').innerText()).resolves.toBe('企业资料');
    await page.getByLabel('企业名称').fill(run.employer.company);
    await page.getByLabel('统一社会信用代码').fill('91440300708461136T');
    await page.locator('#f-contactName').fill('陈经理');
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByLabel('企业地址').fill('深圳市宝安区西乡街道劳务大厦 8 楼');
    await page.getByLabel('企业简介').fill('专业劳务派遣与人力外包服务,合作工厂遍布宝安、龙华。');
    await page.getByLabel('劳务派遣经营许可证编号').fill('440306202300123');
    await shot(page, '2-profile');
    await clickAndLoad(page, page.getByRole('button', { name: '保存企业资料' }));
    await expect(page.locator('.flash-success').count()).resolves.toBe(1);

    await page.goto(`${site.baseUrl}/employer`);
    await clickAndLoad(page, page.locator('main').getByRole('link', { name: '发布职位' }));
    await page.getByLabel('职位名称').fill(run.jobTitle);
    await page.getByLabel('职位类型').selectOption('dispatch');
    await page.getByLabel('职位类别').selectOption('仓储分拣');
    await page.getByLabel('区域').selectOption('龙华区');
    await page.getByLabel('详细地址').fill('龙华区观澜街道物流园 A 栋');
    await page.getByLabel('最低薪资').fill('5200');
    await page.getByLabel('最高薪资').fill('6800');
    await page.locator('#f-payUnit').selectOption('month');
    await page.getByLabel('月结', { exact: true }).check();
    await page.getByLabel('包吃', { exact: true }).check();
    await page.getByLabel('交社保', { exact: true }).check();
    await page.getByLabel('招聘人数').fill('20');
    await page.getByLabel('招聘条件').fill('能适应白班或夜班,会用手持扫描枪优先,无经验可培训');
    await page.getByLabel('工作内容').fill('电商仓库拣货、分拣、打包,按单作业,有空调,每天 10 小时。');
    await page.getByLabel('派遣单位名称').fill(run.employer.company);
    await page.getByLabel('劳务派遣经营许可证编号').fill('440306202300123');
    await page.getByLabel('用工单位名称').fill('深圳观澜演示物流有限公司');
    await page.locator('#f-contactName').fill('陈经理');
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByLabel('本职位不向求职者收取任何费用', { exact: false }).check();
    await shot(page, '2-job-form');
    await clickAndLoad(page, page.getByRole('button', { name: '提交审核' }));
    const mine = page.locator('.manage-item', { hasText: run.jobTitle });
    await expect(mine.locator('.status-tag').innerText()).resolves.toBe('待审核');
    run.jobId = Number(/\/jobs\/(\d+)/.exec((await mine.locator('.manage-title a').getAttribute('href'))!)![1]);
    await shot(page, '2-pending');

    const admin = run.admin.page;
    await logIn(admin, ADMIN.login, ADMIN.password);
    await expect(admin.locator('h1').innerText()).resolves.toBe('管理后台');
    await admin.goto(`${site.baseUrl}/admin/jobs`);
    const queued = admin.locator('.manage-item', { hasText: run.jobTitle });
    await clickAndLoad(admin, queued.getByRole('link', { name: '查看审核' }));
    await expect(admin.locator('h1').innerText()).resolves.toBe(run.jobTitle);
    await shot(admin, '2-admin-review');
    await clickAndLoad(admin, admin.getByRole('button', { name: '通过并发布' }));
    await expect(admin.locator('.flash-success').innerText()).resolves.toContain(run.jobTitle);

    const seeker = run.seeker.page;
    await seeker.goto(`${site.baseUrl}/`);
    await openMenu(seeker);
    await clickAndLoad(seeker, seeker.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '劳务派遣', exact: true }));
    await seeker.locator('#jobs-q').fill('仓库分拣');
    await clickAndLoad(seeker, seeker.getByRole('button', { name: '搜索', exact: true }));
    const card = seeker.locator('.job-card', { hasText: run.jobTitle });
    await expect(card.innerText()).resolves.toMatch(/5200.*6800.*元\/月[\s\S]*月结[\s\S]*龙华区[\s\S]*交社保/);
    await shot(seeker, '2-seeker-finds');
    if (viewport === 'desktop') await docsScreenshot(seeker, 'desktop-jobs');
    await clickAndLoad(seeker, card.getByRole('link', { name: run.jobTitle }));
    await expect(seeker.locator('h1').innerText()).resolves.toBe(run.jobTitle);
    if (viewport === 'phone') await docsScreenshot(seeker, 'phone-job');
    await consentToShare(seeker, run.employer.company);
    await clickAndLoad(seeker, seeker.getByRole('button', { name: '确认投递' }));
    await expect(seeker.locator('.flash-success').innerText()).resolves.toContain('投递');
  });

  it('3. the employer opens the applicant, downloads the resume and shortlists; the seeker sees the new status and the notification', async () => {
    const { page } = run.employer;
    await page.goto(`${site.baseUrl}/employer`);
    await clickAndLoad(page, page.locator('main').getByRole('link', { name: '我的职位' }));
    const mine = page.locator('.manage-item', { hasText: run.jobTitle });
    await clickAndLoad(page, mine.getByRole('link', { name: /投递|求职者/ }).first());
    const applicant = page.locator('.item', { hasText: run.seeker.name });
    await expect(applicant.locator('.status').innerText()).resolves.toBe('已投递');
    await shot(page, '3-applicants');
    await clickAndLoad(page, applicant.getByRole('link', { name: '查看详情' }));
    await expect(page.locator('h1').innerText()).resolves.toContain(run.seeker.name);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.facts').getByRole('link', { name: /简历/ }).click()]);
    // Issue 17: an employer's download is named 姓名-职位-日期.ext.
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${run.seeker.name}-.+-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
    const saved = path.join(files, `downloaded-${viewport}.pdf`);
    await download.saveAs(saved);
    expect(fs.readFileSync(saved, 'utf8')).toContain('%PDF-1.4');

    await clickAndLoad(page, page.getByRole('button', { name: '通过初筛' }));
    await expect(page.locator('h1 .status').innerText()).resolves.toBe('初筛通过');
    await shot(page, '3-applicant');

    const seeker = run.seeker.page;
    await seeker.goto(`${site.baseUrl}/`);
    await openMenu(seeker);
    const inbox = seeker.locator('header .inbox-link');
    await expect(inbox.locator('.badge').innerText()).resolves.toMatch(/^\d+$/);
    await clickAndLoad(seeker, inbox);
    await expect(seeker.locator('.item.unread', { hasText: run.jobTitle }).first().innerText()).resolves.toContain('初筛');
    await shot(seeker, '3-notifications');
    await seeker.goto(`${site.baseUrl}/me/applications`);
    await expect(seeker.locator('li', { hasText: run.jobTitle }).first().locator('.status').innerText()).resolves.toBe('初筛通过');
    await shot(seeker, '3-applications');
  });

  it('4. an admin imports a news file; the article shows with its source and the disclaimer, and /news/top lists it', async () => {
    const page = run.admin.page;
    const sourceUrl = `https://news.example.cn/flex-work/${viewport}`;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const file = path.join(files, `news-${viewport}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify([
        {
          title: run.articleTitle,
          body: '<p>市人力资源和社会保障局发布通知,规范劳务派遣用工,派遣工与正式工同工同酬。</p><p>用人单位不得向求职者收取押金。</p>',
          sourceName: '深圳特区报',
          sourceUrl,
          publishedAt: yesterday,
          author: '记者 李华',
          category: '政策法规',
        },
      ]),
    );
    await page.goto(`${site.baseUrl}/admin`);
    await clickAndLoad(page, page.getByRole('navigation', { name: /后台/ }).getByRole('link', { name: '资讯', exact: true }));
    await clickAndLoad(page, page.getByRole('link', { name: '批量导入' }));
    await page.getByLabel('作者(文章页显示)').fill('鹏城编辑部');
    await page.locator('#f-file').setInputFiles(file);
    // site.js names the chosen file under any file input.
    await expect(page.locator('#f-file + .file-name').innerText()).resolves.toContain(`news-${viewport}.json`);
    await shot(page, '4-import');
    await clickAndLoad(page, page.getByRole('button', { name: '开始导入' }));
    await expect(page.locator('h1').innerText()).resolves.toBe('导入结果');
    await expect(page.locator('.count-added').innerText()).resolves.toBe('1');
    await shot(page, '4-import-result');

    await clickAndLoad(page, page.locator('.added-list').getByRole('link', { name: run.articleTitle }));
    run.articleId = Number(/\/news\/(\d+)/.exec(page.url())![1]);
    await expect(page.locator('h1').innerText()).resolves.toBe(run.articleTitle);
    await expect(page.locator('.article-source').innerText()).resolves.toContain('深圳特区报');
    await expect(page.locator('.article-source a').getAttribute('href')).resolves.toBe(sourceUrl);
    await expect(page.locator('.article-disclaimer').innerText()).resolves.toContain('本文章内容来源于网络公开内容');

    // A visitor (the seeker) reads it too, then finds it on the TOP500 list from the footer.
    const seeker = run.seeker.page;
    await seeker.goto(`${site.baseUrl}/news/${run.articleId}`);
    await expect(seeker.locator('.article-disclaimer').isVisible()).resolves.toBe(true);
    await shot(seeker, '4-article');
    await clickAndLoad(seeker, seeker.locator('footer').getByRole('link', { name: '人力资讯TOP500' }));
    await expect(seeker.locator('.top-list').getByRole('link', { name: run.articleTitle }).count()).resolves.toBe(1);
    await shot(seeker, '4-top');
  });

  it('5. every footer link and keyword link opens a page (no 404)', async () => {
    const { page } = run.seeker;
    await page.goto(`${site.baseUrl}/`);
    if (viewport === 'phone') await docsScreenshot(page, 'phone-home');
    const links = page.locator('footer a');
    const count = await links.count();
    expect(count).toBeGreaterThan(10);
    const opened: string[] = [];
    // Every page has the same footer: each link is clicked from the page the previous one opened.
    for (let i = 0; i < count; i++) {
      const link = page.locator('footer a').nth(i);
      const href = (await link.getAttribute('href'))!;
      const target = new URL(href, site.baseUrl);
      // tel: dials, and the ICP link goes to the government's site: neither is a page of ours.
      if (target.origin !== site.baseUrl) continue;
      const [response] = await Promise.all([page.waitForNavigation(), link.click()]);
      expect([href, response?.status()]).toEqual([href, 200]);
      await expect(page.locator('h1').count()).resolves.toBe(1);
      opened.push(href);
    }
    for (const required of ['/about', '/join', '/news/top', '/sitemap', '/linshigong', '/jianzhi', '/privacy', '/terms']) expect(opened).toContain(required);
    expect(opened.filter((h) => h.startsWith('/k/')).length).toBeGreaterThan(0);
    await shot(page, '5-last-footer-link');
  });

  it('the main pages have no serious or critical accessibility problems (axe-core) and, on phones, no control under 44px, as each user sees them', async () => {
    const pages: [Page, string][] = [
      [run.seeker.page, '/'],
      [run.seeker.page, '/jobs'],
      [run.seeker.page, `/jobs/${run.jobId}`],
      [run.seeker.page, `/news/${run.articleId}`],
      [run.seeker.page, '/me'],
      [run.employer.page, '/employer'],
      [run.admin.page, '/admin'],
    ];
    const visitor = await newPage(browser, viewport);
    pages.push([visitor.page, '/'], [visitor.page, '/jobs'], [visitor.page, `/jobs/${run.jobId}`], [visitor.page, '/signup'], [visitor.page, '/login']);
    const problems: string[] = [];
    for (const [page, url] of pages) {
      const response = await page.goto(`${site.baseUrl}${url}`);
      expect([url, response?.status()]).toEqual([url, 200]);
      for (const p of await axeProblems(page)) problems.push(`${url} ${p}`);
      // On a phone every control is big enough for a thumb.
      if (viewport === 'phone') for (const p of await smallTapTargets(page)) problems.push(`${url} tap target: ${p}`);
    }
    // The keyboard's focus is visible: the first Tab lands on the skip link, drawn with the focus ring.
    await visitor.page.goto(`${site.baseUrl}/jobs`);
    await visitor.page.keyboard.press('Tab');
    const focused = await visitor.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document;
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } }).getComputedStyle(doc.activeElement);
      return { text: doc.activeElement.textContent, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    expect(focused).toEqual({ text: '跳到主要内容', outline: 'solid 3px' });
    await screenshot(visitor.page, `focus-skip-link-${viewport}`, { viewportOnly: true });

    // A form answered with errors: each error is tied to its field, and the page still passes.
    await visitor.page.goto(`${site.baseUrl}/signup`);
    await clickAndLoad(visitor.page, visitor.page.getByRole('button', { name: '注册' }));
    await expect(visitor.page.locator('#f-login').getAttribute('aria-describedby')).resolves.toContain('f-login-error');
    for (const p of await axeProblems(visitor.page)) problems.push(`/signup (errors) ${p}`);
    await visitor.context.close();
    expect(problems).toEqual([]);
  });
});
