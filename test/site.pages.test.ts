// The site's own pages: 关于我们/加入我们, the privacy policy and user agreement, the keyword landing pages,
// and what every public page carries for search engines (unique title, description, canonical, Open Graph).
import { eq } from 'drizzle-orm';
import { articles, users } from '../src/db/schema';
import { PRIVACY_POLICY_VERSION } from '../src/domain/policy';
import { fillFacts } from '../src/features/site/facts';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { settingsForm } from './helpers/admin';
import { fieldError, inputValue, jobIdsIn } from './helpers/html';
import { makeJob, signedInEmployer } from './helpers/jobs';
import { mainOf, pageText } from './helpers/news';

let t: TestApp;
let employerId: number;
// http: an https PUBLIC_URL makes the session cookie Secure, which the plain-HTTP test client would not send back.
const PUBLIC_URL = 'http://www.pengcheng.example';

beforeAll(async () => {
  t = await createTestApp({ seed: true, env: { PUBLIC_URL, RESUME_RETENTION_DAYS: '200' } });
  employerId = (await signedInEmployer(t, '落地页测试企业')).id;
});
afterAll(() => t.close());

function head(html: string) {
  const meta = (re: RegExp) => re.exec(html)?.[1];
  return {
    title: meta(/<title>([^<]*)<\/title>/),
    description: meta(/<meta name="description" content="([^"]*)">/),
    canonical: meta(/<link rel="canonical" href="([^"]*)">/),
    ogTitle: meta(/<meta property="og:title" content="([^"]*)">/),
    ogUrl: meta(/<meta property="og:url" content="([^"]*)">/),
    robots: meta(/<meta name="robots" content="([^"]*)">/),
  };
}

describe('关于我们 and 加入我们', () => {
  it('show the settings text as paragraphs, with the page title, breadcrumbs and the company contact', async () => {
    const s = await t.ctx.settings.get();
    const about = await t.client().get('/about');
    expect(about.status).toBe(200);
    expect(head(about.text).title).toBe(`关于我们 - ${s.siteName}`);
    expect(about.text).toContain('<nav class="breadcrumbs"');
    const main = mainOf(about.text);
    expect(main).toContain('<h1 id="page-title">关于我们</h1>');
    // The default text has two paragraphs.
    expect((main.match(/<p class="prose">/g) ?? []).length).toBe(2);
    expect(main).toContain(`href="tel:${s.hotline.replace(/[^0-9+]/g, '')}"`);
    // The description is the text's beginning, on one line, at most 120 characters.
    const description = head(about.text).description!;
    expect(description.startsWith(fillFacts(s.aboutContent, s).slice(0, 40))).toBe(true);
    expect(description.length).toBeLessThanOrEqual(120);
    expect(description).not.toContain('\n');

    const join = await t.client().get('/join');
    expect(head(join.text).title).toBe(`加入我们 - ${s.siteName}`);
    expect(pageText(mainOf(join.text))).toContain('招聘顾问');
  });
});

describe('the privacy policy and the user agreement', () => {
  it('the policy names what is collected, who sees it, how long it is kept, and how to export or delete it', async () => {
    const res = await t.client().get('/privacy');
    expect(res.status).toBe(200);
    const text = pageText(mainOf(res.text));
    expect(text).toContain(`版本:${PRIVACY_POLICY_VERSION}`);
    expect(text).toContain('生效日期:2026年11月28日');
    for (const must of [
      '登录账号(手机号或邮箱)',
      '显示名称',
      '简历',
      '投递',
      'IP 地址',
      'Cookie',
      '只有三方能看到',
      '你投递的职位所属的企业',
      '只向已登录的用户显示',
      '138****5678',
      '超过 200 天', // RESUME_RETENTION_DAYS from the environment
      '删除前 7 天',
      '最长 14 天',
      '下载我的数据',
      '我的数据.html',
      '已注销用户',
      '重新输入密码',
      // issue 8: what the privacy features do, said as they do it
      '我同意将我的简历及联系方式提供给',
      '对未登录访客和搜索引擎同样打码',
      '提醒发出满 7 天后才会删除',
      '仍在进行中的投递改为“已撤回”',
      '招聘中的职位会被自动关闭',
      '勾选同意后才能继续使用',
      '不记录密码、表单内容和简历内容',
    ]) {
      expect(text).toContain(must);
    }
    const s = await t.ctx.settings.get();
    expect(text).toContain(s.contactEmail);
    expect(text).toContain(s.hotline);
    expect(res.text).toContain('<a href="/me/export">');
    // Written for people: no words of the trade (docs/privacy.md has those).
    for (const jargon of ['Argon2id', 'CSRF', 'POST', 'data.json', 'User-Agent', 'JSON', '/me/delete<']) expect(text).not.toContain(jargon);
  });

  it('the agreement: free for seekers, reporting, truthful postings, the dispatch license, no discrimination', async () => {
    const res = await t.client().get('/terms');
    expect(res.status).toBe(200);
    const text = pageText(mainOf(res.text));
    for (const must of ['本站对求职者完全免费', '举报', '信息真实', '劳务派遣经营许可证', '不得歧视', '网络招聘服务管理规定', `版本:${PRIVACY_POLICY_VERSION}`]) {
      expect(text).toContain(must);
    }
  });
});

describe('the keyword landing pages', () => {
  let dispatchJob: number;
  let dailyTemp: number;
  let weeklyTemp: number;

  beforeAll(async () => {
    const dispatch = { dispatchAgencyName: '深圳某劳务派遣公司', dispatchAgencyLicense: '440300202100001', worksiteEmployerName: '某电子厂' };
    dispatchJob = await makeJob(t.ctx, employerId, { title: '落地页派遣普工', type: 'dispatch', ...dispatch });
    dailyTemp = await makeJob(t.ctx, employerId, { title: '落地页日结临时工', type: 'temp', settlement: 'daily' });
    weeklyTemp = await makeJob(t.ctx, employerId, { title: '落地页周结临时工', type: 'temp', settlement: 'weekly' });
  });

  it('each footer keyword has its own page: its title in <title> and <h1>, its text, and the jobs of its filter', async () => {
    const s = await t.ctx.settings.get();
    expect(s.keywordPages.map((k) => k.label)).toEqual(['劳务派遣', '深圳劳务派遣公司', '劳务派遣公司', '深圳临时工派遣公司', '深圳临时工派遣中介']);
    for (const k of s.keywordPages) {
      const res = await t.client().get(`/k/${k.slug}`);
      expect(res.status).toBe(200);
      expect(head(res.text).title).toBe(`${k.title} - ${s.siteName}`);
      expect(res.text).toContain(`<h1 id="kw-title">${k.title}</h1>`);
      expect(pageText(mainOf(res.text))).toContain(fillFacts(k.text, s).slice(0, 30));
      // The title says what the link said.
      expect(k.title).toContain(k.label);
      expect(res.text).toContain(`<li><span aria-current="page">${k.label}</span></li>`);
    }
    const dispatchPage = jobIdsIn((await t.client().get('/k/laowu-paiqian')).text);
    expect(dispatchPage).toContain(dispatchJob);
    expect(dispatchPage).not.toContain(dailyTemp);
    // 深圳临时工派遣中介: temp jobs paid daily.
    const daily = jobIdsIn((await t.client().get('/k/shenzhen-linshigong-paiqian-zhongjie')).text);
    expect(daily).toContain(dailyTemp);
    expect(daily).not.toContain(weeklyTemp);
    expect(daily).not.toContain(dispatchJob);
  });

  it('the five pages list five different sets of jobs, each with its own heading', async () => {
    const s = await t.ctx.settings.get();
    const shown = new Map<string, string>();
    for (const k of s.keywordPages) {
      const html = (await t.client().get(`/k/${k.slug}`)).text;
      const ids = jobIdsIn(html);
      expect([k.label, ids.length]).toEqual([k.label, expect.any(Number)]);
      expect(ids.length).toBeGreaterThan(0);
      const key = ids.join(',');
      expect([k.label, shown.get(key)]).toEqual([k.label, undefined]);
      shown.set(key, k.label);
    }
    expect(new Set(s.keywordPages.map((k) => k.title)).size).toBe(5);
  });

  it('refuses a keyword page whose filter repeats another page\'s, beside the field, keeping what was typed', async () => {
    const admin = (await signedIn(t, 'admin')).client;
    const form = await settingsForm(admin, 'keywords');
    const res = await admin.post('/admin/settings/keywords', { ...form, kw_2_category: '', kw_2_type: 'dispatch', kw_2_title: '劳务派遣公司:派遣岗位' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'kw_2_q')).toContain('与「劳务派遣」完全相同');
    expect(inputValue(res.text, 'kw_2_title')).toBe('劳务派遣公司:派遣岗位');
  });

  it('shows 20 jobs and links to the full list with the same filter', async () => {
    for (let i = 0; i < 21; i++) await makeJob(t.ctx, employerId, { title: `落地页批量临时工${i}`, type: 'temp', settlement: 'daily' });
    const res = await t.client().get('/k/shenzhen-linshigong-paiqian-zhongjie');
    expect(jobIdsIn(res.text)).toHaveLength(20);
    const total = Number(/共 <strong>(\d+)<\/strong> 个职位/.exec(res.text)![1]);
    expect(total).toBeGreaterThan(20);
    expect(res.text).toContain(`<a class="btn btn-primary" href="/jobs?type=temp&amp;settlement=daily">查看全部 ${total} 个职位 ›</a>`);
    const list = await t.client().get('/jobs?type=temp&settlement=daily');
    expect(list.text).toContain(`共 <strong>${total}</strong> 个职位`);
  });

  it('an unknown slug is the 404 page', async () => {
    for (const slug of ['nope', 'LAOWU-PAIQIAN', '%3Cscript%3E']) expect((await t.client().get(`/k/${slug}`)).status).toBe(404);
  });
});

describe('every page says what it is', () => {
  it('the main pages each have their own non-empty title, a description, a canonical URL and og:title', async () => {
    const [article] = await t.ctx.db.select({ id: articles.id }).from(articles).where(eq(articles.status, 'published')).limit(1);
    const s = await t.ctx.settings.get();
    const [jobId] = jobIdsIn((await t.client().get('/jobs')).text);
    const paths = [
      '/',
      '/jobs',
      '/linshigong',
      '/jianzhi',
      '/paiqian',
      `/jobs/${jobId}`,
      '/news',
      '/news/top',
      `/news/${article!.id}`,
      '/about',
      '/join',
      '/sitemap',
      '/privacy',
      '/terms',
      ...s.keywordPages.map((k) => `/k/${k.slug}`),
      '/login',
      '/signup',
    ];
    const titles = new Map<string, string>();
    for (const path of paths) {
      const res = await t.client().get(path);
      expect(res.status).toBe(200);
      const h = head(res.text);
      expect(h.title?.trim()).toBeTruthy();
      expect(h.description?.trim()).toBeTruthy();
      expect(h.canonical).toBe(PUBLIC_URL + path);
      expect(h.ogTitle).toBe(h.title);
      expect(h.ogUrl).toBe(h.canonical);
      if (titles.has(h.title!)) throw new Error(`${path} has the same title as ${titles.get(h.title!)}: ${h.title}`);
      titles.set(h.title!, path);
    }
    expect(titles.size).toBe(paths.length);
  });

  it('deep pages carry breadcrumbs; the home page does not', async () => {
    const [jobId] = jobIdsIn((await t.client().get('/jobs')).text);
    const admin = (await signedIn(t, 'admin')).client;
    for (const path of [`/jobs/${jobId}`, '/about', '/privacy', '/k/laowu-paiqian', '/sitemap']) {
      expect((await t.client().get(path)).text).toContain('<nav class="breadcrumbs" aria-label="当前位置">');
    }
    for (const path of ['/admin/settings?section=words', '/admin/users', '/admin/employers', '/admin/audit', `/admin/users/${employerId}`]) {
      expect((await admin.get(path)).text).toMatch(/<nav class="breadcrumbs"[\s\S]*<a href="\/admin">后台<\/a>/);
    }
    expect((await t.client().get('/')).text).not.toContain('<nav class="breadcrumbs"');
    // The news pages of the back office carry the admin navigation too.
    for (const path of ['/admin/news', '/admin/news/new', '/admin/news/import']) {
      expect((await admin.get(path)).text).toContain('<a href="/admin/news" aria-current="page">资讯</a>');
    }
  });

  it('canonical URLs keep the page of a list and drop filters, searches and tracking parameters', async () => {
    const canonical = async (path: string) => head((await t.client().get(path)).text).canonical;
    expect(await canonical('/jobs?page=2')).toBe(`${PUBLIC_URL}/jobs?page=2`);
    expect(await canonical('/linshigong?page=2&sort=latest&benefits=%E5%8C%85%E5%90%83')).toBe(`${PUBLIC_URL}/linshigong?page=2`);
    expect(await canonical('/jobs?q=%E6%99%AE%E5%B7%A5&utm_source=x')).toBe(`${PUBLIC_URL}/jobs`);
    expect(await canonical('/news?category=policy&utm_source=x')).toBe(`${PUBLIC_URL}/news?category=policy`);
    expect(await canonical('/k/laowu-paiqian?from=footer')).toBe(`${PUBLIC_URL}/k/laowu-paiqian`);
    expect(await canonical('/about?x=1')).toBe(`${PUBLIC_URL}/about`);
    // The second page of a list is a page of its own, with its own title.
    const page2 = head((await t.client().get('/jobs?page=2')).text);
    expect(page2.title).toContain('第2页');
  });

  it('the pages of an employer whose account is disabled disappear from the keyword pages too', async () => {
    const { id } = await signedInEmployer(t, '停用测试企业');
    const job = await makeJob(t.ctx, id, { title: '停用企业的派遣职位', type: 'dispatch', dispatchAgencyName: '某派遣公司', dispatchAgencyLicense: '440300202100002', worksiteEmployerName: '某厂' });
    expect(jobIdsIn((await t.client().get('/k/laowu-paiqian')).text)).toContain(job);
    await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, id));
    expect(jobIdsIn((await t.client().get('/k/laowu-paiqian')).text)).not.toContain(job);
  });
});

describe('a 404 speaks of what was asked for', () => {
  it('an article, a job, a keyword page, a back-office record or any other address each get their own words and way on', async () => {
    const page = async (path: string, client = t.client()) => {
      const res = await client.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      return pageText(mainOf(res.text));
    };
    const article = await page('/news/abc');
    expect(article).toContain('这篇资讯不存在');
    expect(article).not.toContain('职位');
    expect(await page('/news/999999')).toContain('这篇资讯不存在');
    expect(await page('/jobs/999999')).toContain('这个职位不存在');
    expect(await page('/k/no-such-keyword')).toContain('这个专题页面不存在');
    const admin = (await signedIn(t, 'admin')).client;
    expect(await page('/admin/users/999999', admin)).toContain('要找的记录或后台页面不存在');
    const other = await page('/no/such/page');
    expect(other).toContain('你要找的页面不存在');
    expect(other).not.toContain('职位可能已经结束');
  });
});
