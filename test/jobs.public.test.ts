// Seekers' side of jobs: the list with its filters and clamping, category pages, a job's page with its
// JSON-LD, the ended page, escaping, the hidden contact phone, and reports.
import { eq } from 'drizzle-orm';
import { jobReports, users } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn, jsonLdBlocks } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
let employerId: number;
const ids: Record<string, number> = {};
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

beforeAll(async () => {
  t = await createTestApp();
  const employer = await makeUser(t.ctx, 'employer');
  employerId = employer.id;
  await makeProfile(t.ctx, employerId, '深圳公开测试有限公司');
  ids.factory = await makeJob(t.ctx, employerId, { title: '电子厂普工日结', district: '宝安区', payMin: 220, payUnit: 'day', benefits: ['包吃', '包住'] }, 'published', hoursAgo(5));
  ids.waiter = await makeJob(t.ctx, employerId, { title: '餐厅服务员兼职', type: 'parttime', category: '服务员', district: '福田区', payMin: 22, payUnit: 'hour', settlement: 'weekly', benefits: ['餐补'], description: '午市晚市点餐传菜收台,时间灵活。' }, 'published', hoursAgo(4));
  ids.guard = await makeJob(t.ctx, employerId, { title: '小区保安 月休四天', type: 'fulltime', category: '保安', district: '南山区', payMin: 5500, payMax: 6000, payUnit: 'month', settlement: 'monthly', benefits: ['包住', '交社保'], description: '住宅小区门岗和巡逻,登记来访车辆。' }, 'published', hoursAgo(3));
  ids.dispatch = await makeJob(
    t.ctx,
    employerId,
    { title: '派遣 电子厂操作工', type: 'dispatch', category: '操作工', district: '光明区', payMin: 4800, payMax: 6200, payUnit: 'month', settlement: 'monthly', dispatchAgencyName: '深圳派遣服务有限公司', dispatchAgencyLicense: '440305202300128', worksiteEmployerName: '光明精密电子有限公司' },
    'published',
    hoursAgo(2),
  );
  ids.piece = await makeJob(t.ctx, employerId, { title: '服装车位工 计件', category: '操作工', district: '龙岗区', payMin: 1.5, payMax: 3, payUnit: 'piece', settlement: 'completion', benefits: [] }, 'published', hoursAgo(1));
  ids.closed = await makeJob(t.ctx, employerId, { title: '已经关闭的分拣员' }, 'closed', hoursAgo(6));
  ids.pending = await makeJob(t.ctx, employerId, { title: '还在审核的职位' }, 'pending');
  ids.draft = await makeJob(t.ctx, employerId, { title: '还是草稿的职位' }, 'draft');
});
afterAll(() => t.close());

describe('the job list', () => {
  it('lists published jobs only, newest first', async () => {
    const res = await t.client().get('/jobs');
    expect(res.status).toBe(200);
    expect(jobIdsIn(res.text)).toEqual([ids.piece, ids.dispatch, ids.guard, ids.waiter, ids.factory]);
    expect(res.text).not.toContain('已经关闭的分拣员');
    expect(res.text).not.toContain('还在审核的职位');
    expect(res.text).not.toContain('还是草稿的职位');
    expect(res.text).toContain('共 <strong>5</strong> 个职位');
  });

  it('filters by type, district, settlement, category, daily pay and benefits, keeping them in the form', async () => {
    const get = async (qs: string) => jobIdsIn((await t.client().get(`/jobs?${qs}`)).text);
    expect(await get('type=parttime')).toEqual([ids.waiter]);
    expect(await get('district=南山区')).toEqual([ids.guard]);
    expect(await get(`district=${encodeURIComponent('南山')}`)).toEqual([ids.guard]);
    expect(await get('settlement=monthly')).toEqual([ids.dispatch, ids.guard]);
    expect(await get(`category=${encodeURIComponent('操作工')}`)).toEqual([ids.piece, ids.dispatch]);
    // 元/天: 220/day, 22×8 = 176/day, 5500/21.75 ≈ 252.87/day, 4800/21.75 ≈ 220.69/day; piece pay has none.
    expect(await get('payMin=221')).toEqual([ids.guard]);
    expect(await get('payMin=200')).toEqual([ids.dispatch, ids.guard, ids.factory]);
    expect(await get(`benefits=${encodeURIComponent('包住')}`)).toEqual([ids.dispatch, ids.guard, ids.factory]);
    expect(await get(`benefits=${encodeURIComponent('包住')}&benefits=${encodeURIComponent('包吃')}`)).toEqual([ids.dispatch, ids.factory]);
    const page = await t.client().get(`/jobs?district=${encodeURIComponent('南山区')}&payMin=200&benefits=${encodeURIComponent('包住')}`);
    expect(page.text).toContain('<option value="南山区" selected>');
    expect(page.text).toMatch(/name="payMin"[^>]*value="200"/);
    expect(page.text).toMatch(/name="benefits" value="包住" checked/);
    expect(page.text).toContain('aria-label="去掉条件:南山区"');
  });

  it('sorts by pay (元/天) and by time', async () => {
    expect(jobIdsIn((await t.client().get('/jobs?sort=pay')).text)).toEqual([ids.guard, ids.dispatch, ids.factory, ids.waiter, ids.piece]);
    expect(jobIdsIn((await t.client().get('/jobs?sort=latest&q=电子厂')).text)).toEqual([ids.dispatch, ids.factory]);
  });

  it('never fails on wrong or out-of-range query values', async () => {
    const cases = [
      'payMin=-5',
      'payMin=abc',
      'page=abc',
      'page=-1',
      'sort=bogus',
      'type=bogus',
      'district=%E7%81%AB%E6%98%9F',
      'benefits=%3Cscript%3E',
      `q=${'a'.repeat(10_000)}`,
      `q=${encodeURIComponent('普工'.repeat(700))}`,
      `q=${encodeURIComponent("普工 & | ! ( ) :* ' \\ %_")}`,
      'q[]=a&q[]=b',
      'type=temp&type=parttime',
    ];
    for (const qs of cases) {
      const res = await t.client().get(`/jobs?${qs}`);
      expect([qs, res.status]).toEqual([qs, 200]);
    }
    expect(jobIdsIn((await t.client().get('/jobs?type=bogus&payMin=-5&sort=bogus&page=abc')).text)).toHaveLength(5);
    // Past Node's 16 KB header limit the server itself answers 431, still not a 500.
    expect((await t.client().get(`/jobs?q=${encodeURIComponent('普工'.repeat(5000))}`)).status).toBe(431);
  });

  it('answers a page past the end with the 404 page', async () => {
    const res = await t.client().get('/jobs?page=99999');
    expect(res.status).toBe(404);
    expect(res.text).toContain('页面不存在');
    expect((await t.client().get('/jobs?page=2')).status).toBe(404);
    expect((await t.client().get('/jobs?page=1')).status).toBe(200);
  });

  it('shows a friendly empty state with suggestions and links that remove filters', async () => {
    const res = await t.client().get(`/jobs?q=${encodeURIComponent('宇航员')}&district=${encodeURIComponent('福田区')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('没有找到“宇航员”相关的职位');
    expect(res.text).toContain(`href="/jobs?q=${encodeURIComponent('宇航员')}">去掉“福田区”</a>`);
    expect(res.text).toContain(`href="/jobs?district=${encodeURIComponent('福田区')}">不限关键词</a>`);
    expect(res.text).toContain(`href="/jobs?q=${encodeURIComponent('普工')}"`);
    expect(res.text).toContain('大家都在搜');
  });
});

describe('pagination', () => {
  it('shows 20 a page and keeps the filters in its links', async () => {
    const local = await createTestApp();
    try {
      const e = await makeUser(local.ctx, 'employer');
      await makeProfile(local.ctx, e.id);
      for (let i = 0; i < 23; i++) await makeJob(local.ctx, e.id, { title: `分页测试职位${i}`, district: '龙华区' }, 'published', hoursAgo(30 - i));
      const first = await local.client().get(`/jobs?district=${encodeURIComponent('龙华区')}`);
      expect(jobIdsIn(first.text)).toHaveLength(20);
      expect(first.text).toContain('第 1 / 2 页');
      expect(first.text).toContain(`href="/jobs?district=${encodeURIComponent('龙华区')}&amp;page=2"`);
      const second = await local.client().get(`/jobs?district=${encodeURIComponent('龙华区')}&page=2`);
      expect(jobIdsIn(second.text)).toHaveLength(3);
      expect(second.text).toContain(`rel="prev" href="/jobs?district=${encodeURIComponent('龙华区')}"`);
    } finally {
      await local.close();
    }
  });
});

describe('category pages', () => {
  it('preset the type, with their own heading, title and description', async () => {
    const cases: [string, string, string, number[]][] = [
      ['/linshigong', '临时工招聘信息', '深圳临时工招聘信息', [ids.piece, ids.factory]],
      ['/jianzhi', '兼职招聘信息', '深圳兼职招聘信息', [ids.waiter]],
      ['/paiqian', '劳务派遣', '深圳劳务派遣招聘', [ids.dispatch]],
    ];
    for (const [path, h1, title, expected] of cases) {
      const res = await t.client().get(`${path}?type=fulltime`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<h1 id="jobs-title">${h1}</h1>`);
      expect(res.text).toMatch(new RegExp(`<title>${title}[^<]*</title>`));
      expect(res.text).toMatch(/<meta name="description" content="深圳[^"]+">/);
      expect(jobIdsIn(res.text)).toEqual(expected);
      expect(res.text).toContain(`action="${path}"`);
      expect(res.text).not.toContain('id="f-type"');
    }
  });
});

describe("a job's page", () => {
  it('shows everything about the job, its employer, and similar jobs', async () => {
    const res = await t.client().get(`/jobs/${ids.factory}`);
    expect(res.status).toBe(200);
    for (const text of ['电子厂普工日结', '220元/天', '日结', '宝安区', '沙井街道新桥工业园', '招 10 人', '8:00-20:00', '18-45 岁', '身体健康,能吃苦', '流水线组装和包装', '包吃', '深圳公开测试有限公司', '本职位不向求职者收取任何费用']) {
      expect(res.text).toContain(text);
    }
    expect(res.text).toContain('<li><a href="/jobs">职位</a></li>');
    expect(res.text).toContain('<span aria-current="page">电子厂普工日结</span>');
    // Nothing else listed shares its category (普工) or district (宝安区).
    expect(res.text).not.toContain('相似职位');
    const dispatch = await t.client().get(`/jobs/${ids.dispatch}`);
    expect(dispatch.text).toContain('相似职位');
    expect(jobIdsIn(dispatch.text)).toEqual([ids.piece]); // the same category, 操作工
  });

  it('shows both parties of a dispatch job', async () => {
    const res = await t.client().get(`/jobs/${ids.dispatch}`);
    expect(res.text).toContain('派遣单位</dt><dd>深圳派遣服务有限公司');
    expect(res.text).toContain('劳务派遣经营许可证:440305202300128');
    expect(res.text).toContain('用工单位</dt><dd>光明精密电子有限公司');
  });

  it('carries a JobPosting JSON-LD block', async () => {
    const res = await t.client().get(`/jobs/${ids.guard}`);
    const [data] = jsonLdBlocks(res.text);
    expect(data).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'JobPosting',
      title: '小区保安 月休四天',
      employmentType: 'FULL_TIME',
      directApply: false,
      hiringOrganization: { '@type': 'Organization', name: '深圳公开测试有限公司' },
      jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: '深圳', addressRegion: '广东', addressCountry: 'CN', streetAddress: '南山区沙井街道新桥工业园' } },
      baseSalary: { '@type': 'MonetaryAmount', currency: 'CNY', value: { '@type': 'QuantitativeValue', minValue: 5500, maxValue: 6000, unitText: 'MONTH' } },
    });
    expect(data!.description).toContain('住宅小区门岗和巡逻');
    expect(new Date(data!.datePosted as string).getTime()).toBeLessThanOrEqual(Date.now());
    expect(data!.validThrough).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\+08:00$/);

    const dispatch = jsonLdBlocks((await t.client().get(`/jobs/${ids.dispatch}`)).text)[0]!;
    expect(dispatch.employmentType).toBe('TEMPORARY');
    expect(dispatch.hiringOrganization).toEqual({ '@type': 'Organization', name: '深圳派遣服务有限公司' });
    const hourly = jsonLdBlocks((await t.client().get(`/jobs/${ids.waiter}`)).text)[0]!;
    expect(hourly).toMatchObject({ employmentType: 'PART_TIME', baseSalary: { value: { value: 22, unitText: 'HOUR' } } });
    const piece = jsonLdBlocks((await t.client().get(`/jobs/${ids.piece}`)).text)[0]!;
    expect(piece.employmentType).toBe('TEMPORARY');
    expect(piece.baseSalary).toBeUndefined();
  });

  it('marks a closed job 已结束, without apply button, JSON-LD, or indexing, and keeps it out of lists', async () => {
    const res = await t.client().get(`/jobs/${ids.closed}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div class="banner banner-ended" role="status"><strong>已结束</strong>');
    expect(res.text).not.toContain('登录后投递');
    expect(res.text).not.toContain('/apply');
    expect(jsonLdBlocks(res.text)).toEqual([]);
    expect(res.text).toContain('<meta name="robots" content="noindex">');
    const live = await t.client().get(`/jobs/${ids.factory}`);
    expect(live.text).not.toContain('<meta name="robots" content="noindex">');
    expect(live.text).toContain(`href="/jobs/${ids.factory}/apply">立即报名</a>`);
  });

  it('shows seekers the apply form naming the company, a save button, and anonymous visitors quick apply and a login link', async () => {
    const { client } = await signedIn(t, 'seeker');
    const res = await client.get(`/jobs/${ids.factory}`);
    expect(res.text).toMatch(new RegExp(`<form method="post" action="/jobs/${ids.factory}/apply\\?_csrf=[^"]+" enctype="multipart/form-data"`));
    expect(res.text).toContain('发送给');
    expect(res.text).toContain(`action="/jobs/${ids.factory}/save"`);
    const anon = await t.client().get(`/jobs/${ids.factory}`);
    expect(anon.text).toContain(`<a class="btn btn-primary" href="/jobs/${ids.factory}/apply">立即报名</a>`);
    expect(anon.text).toContain(`href="/login?next=${encodeURIComponent(`/jobs/${ids.factory}`)}">已有账号,登录</a>`);
  });

  it('lists a job a seeker opened under 最近浏览 on /me', async () => {
    const { client } = await signedIn(t, 'seeker');
    const before = await client.get('/me');
    expect(before.text).not.toContain(`href="/jobs/${ids.factory}"`);
    await client.get(`/jobs/${ids.factory}`);
    const after = await client.get('/me');
    expect(after.text).toContain(`href="/jobs/${ids.factory}"`);
  });

  it('shows the contact phone only to signed-in users', async () => {
    const anon = await t.client().get(`/jobs/${ids.factory}`);
    expect(anon.text).not.toContain('13800138000');
    expect(anon.text).toContain('138****8000');
    expect(anon.text).toContain('登录后查看完整电话');
    const { client } = await signedIn(t, 'seeker');
    const seen = await client.get(`/jobs/${ids.factory}`);
    expect(seen.text).toContain('<a class="contact-phone" href="tel:13800138000">13800138000</a>');
  });

  it('is a 404 for ids that do not exist or are not numbers, and for unpublished jobs', async () => {
    for (const path of ['/jobs/999999', '/jobs/abc', '/jobs/1.5', '/jobs/-1', `/jobs/${ids.pending}`, `/jobs/${ids.draft}`]) {
      expect([path, (await t.client().get(path)).status]).toEqual([path, 404]);
    }
  });

  it('hides the jobs of a disabled employer account', async () => {
    const e = await makeUser(t.ctx, 'employer');
    await makeProfile(t.ctx, e.id);
    const id = await makeJob(t.ctx, e.id, { title: '停用账号的职位' });
    expect((await t.client().get('/jobs')).text).toContain('停用账号的职位');
    await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, e.id));
    expect((await t.client().get('/jobs')).text).not.toContain('停用账号的职位');
    expect((await t.client().get(`/jobs/${id}`)).status).toBe(404);
  });
});

describe('text with HTML in it', () => {
  it('is shown escaped on the list, the page and in the JSON-LD', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '<script>alert(1)</script>普工', description: '</script><img src=x onerror=alert(2)>' });
    const list = await t.client().get('/jobs');
    expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;普工');
    expect(list.text).not.toContain('<script>alert(1)</script>');
    const page = await t.client().get(`/jobs/${id}`);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
    const [data] = jsonLdBlocks(page.text);
    expect(data!.title).toBe('<script>alert(1)</script>普工');
    expect(page.text).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
  });
});

describe('reports', () => {
  it('needs a signed-in user: anonymous visitors are sent to login and see a login link', async () => {
    const anon = t.client();
    const page = await anon.get(`/jobs/${ids.factory}`);
    expect(page.text).toContain('登录后举报');
    const res = await anon.post(`/jobs/${ids.factory}/report`, { reason: 'fee' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
    expect(await t.ctx.db.$count(jobReports)).toBe(0);
  });

  it('files a report with a reason and text, once per person while it is open', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const page = await client.get(`/jobs/${ids.waiter}`);
    for (const label of ['收取费用', '虚假待遇', '冒充企业', '刷单诈骗', '歧视', '其他']) expect(page.text).toContain(label);
    const res = await client.post(`/jobs/${ids.waiter}/report`, { reason: 'fee', text: '面试时要求先交 200 元服装费' });
    expect(res.status).toBe(303);
    expect((await client.get(res.headers.location!)).text).toContain('举报已提交');
    const again = await client.post(`/jobs/${ids.waiter}/report`, { reason: 'scam' });
    expect((await client.get(again.headers.location!)).text).toContain('你已经举报过这个职位');
    const rows = await t.ctx.db.select().from(jobReports).where(eq(jobReports.reporterId, user.id));
    expect(rows).toEqual([expect.objectContaining({ jobId: ids.waiter, reason: 'fee', text: '面试时要求先交 200 元服装费', status: 'open' })]);
  });

  it('refuses a report without a reason or with too long a text (422, the page with the errors)', async () => {
    const { client } = await signedIn(t, 'seeker');
    const none = await client.post(`/jobs/${ids.guard}/report`, { text: '有问题' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('请选择举报原因');
    expect(none.text).toContain('<details open>');
    const long = await client.post(`/jobs/${ids.guard}/report`, { reason: 'other', text: '长'.repeat(501) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('补充说明不能超过 500 个字');
    const bogus = await client.post(`/jobs/${ids.guard}/report`, { reason: 'bogus' });
    expect(bogus.status).toBe(422);
    expect((await client.post(`/jobs/${ids.pending}/report`, { reason: 'fee' })).status).toBe(404);
  });

  it('limits reports per IP (429)', async () => {
    const limited = await createTestApp({ limits: { reportPerIp: 2 } });
    try {
      const e = await makeUser(limited.ctx, 'employer');
      await makeProfile(limited.ctx, e.id);
      const jobIds = [await makeJob(limited.ctx, e.id), await makeJob(limited.ctx, e.id), await makeJob(limited.ctx, e.id)];
      const { client } = await signedIn(limited, 'seeker');
      expect((await client.post(`/jobs/${jobIds[0]}/report`, { reason: 'fee' })).status).toBe(303);
      expect((await client.post(`/jobs/${jobIds[1]}/report`, { reason: 'fee' })).status).toBe(303);
      const third = await client.post(`/jobs/${jobIds[2]}/report`, { reason: 'fee' });
      expect(third.status).toBe(429);
      expect(third.text).toContain('举报过于频繁');
      expect(await limited.ctx.db.$count(jobReports)).toBe(2);
    } finally {
      await limited.close();
    }
  });
});

describe('the home page', () => {
  it('lists the latest published jobs', async () => {
    const res = await t.client().get('/');
    expect(res.text).toContain('电子厂普工日结');
    expect(res.text).not.toContain('还在审核的职位');
  });
});
