// What the job pages do at scale (issue 10): lists count up to 1,000 (1000+, 50 pages), and similar jobs,
// now one index walk per score, keep their order: same category and district first, type breaks ties.
import { sql } from 'drizzle-orm';
import { chinaDate } from '../src/domain/dates';
import { COUNT_CAP, listSimilarJobs } from '../src/features/jobs/jobs.queries';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
let employerId: number;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

beforeAll(async () => {
  t = await createTestApp();
  employerId = (await makeUser(t.ctx, 'employer')).id;
  await makeProfile(t.ctx, employerId, '深圳规模测试有限公司');
});
afterAll(() => t.close());

describe('similar jobs', () => {
  it('rank same category and district first, then category, then district; type breaks ties; newest first within a score', async () => {
    const base = { category: '保洁', district: '罗湖区', type: 'fulltime' as const };
    const job = await makeJob(t.ctx, employerId, { title: '写字楼保洁', ...base, payUnit: 'month', payMin: 4200, settlement: 'monthly' }, 'published', hoursAgo(50));
    const at = (h: number) => hoursAgo(h);
    const monthly = { payUnit: 'month' as const, payMin: 4300, settlement: 'monthly' as const };
    const ids = {
      // score 3.5: category, district and type
      all: await makeJob(t.ctx, employerId, { title: '商场保洁 全职', ...base, ...monthly }, 'published', at(30)),
      // score 3: category and district; two of them, the newer first
      catDistOld: await makeJob(t.ctx, employerId, { title: '小区保洁 兼职 A', ...base, ...monthly, type: 'parttime' }, 'published', at(20)),
      catDistNew: await makeJob(t.ctx, employerId, { title: '小区保洁 兼职 B', ...base, ...monthly, type: 'parttime' }, 'published', at(10)),
      // score 2.5: category and type
      catType: await makeJob(t.ctx, employerId, { title: '医院保洁', ...base, ...monthly, district: '福田区' }, 'published', at(5)),
      // score 2: category only
      cat: await makeJob(t.ctx, employerId, { title: '民宿保洁 兼职', ...base, ...monthly, district: '大鹏新区', type: 'parttime' }, 'published', at(4)),
      // score 1.5: district and type
      distType: await makeJob(t.ctx, employerId, { title: '罗湖保安 全职', ...base, ...monthly, category: '保安' }, 'published', at(3)),
      // score 1: district only; pushed out by the six above
      dist: await makeJob(t.ctx, employerId, { title: '罗湖 餐厅服务员', ...base, ...monthly, category: '服务员', type: 'parttime' }, 'published', at(1)),
      // never: another category and district, or not listed
      unrelated: await makeJob(t.ctx, employerId, { title: '宝安普工', category: '普工', district: '宝安区' }, 'published', at(1)),
      closed: await makeJob(t.ctx, employerId, { title: '已结束的保洁', ...base, ...monthly }, 'closed', at(1)),
    };
    const row = { id: job, ...base };
    const similar = await listSimilarJobs(t.ctx.db, row, chinaDate(t.ctx.now()));
    expect(similar.map((j) => j.id)).toEqual([ids.all, ids.catDistNew, ids.catDistOld, ids.catType, ids.cat, ids.distType]);
    const page = await t.client().get(`/jobs/${job}`);
    expect(jobIdsIn(page.text)).toEqual([ids.all, ids.catDistNew, ids.catDistOld, ids.catType, ids.cat, ids.distType]);
    // With room for more, the district-only job follows.
    expect((await listSimilarJobs(t.ctx.db, row, chinaDate(t.ctx.now()), 10)).map((j) => j.id)).toEqual([ids.all, ids.catDistNew, ids.catDistOld, ids.catType, ids.cat, ids.distType, ids.dist]);
  });
});

describe('a list of more than 1,000 jobs', () => {
  beforeAll(async () => {
    // COUNT_CAP + 5 more listed copies of one posting, in one statement.
    const source = await makeJob(t.ctx, employerId, { title: '物流园分拣员 夜班', category: '仓储分拣', district: '龙华区' }, 'published', hoursAgo(100));
    await t.ctx.db.execute(sql`
      insert into jobs (employer_id, title, type, category, district, address, pay_min, pay_unit, pay_daily, settlement, headcount,
        description, contact_name, contact_phone, status, valid_until, published_at, search_vector, search_text)
      select employer_id, title, type, category, district, address, pay_min, pay_unit, pay_daily, settlement, headcount,
        description, contact_name, contact_phone, status, valid_until, published_at - n * interval '1 minute', search_vector, search_text
      from jobs, generate_series(1, ${COUNT_CAP + 5}) as n where id = ${source}`);
  });

  it('says 1000+ and offers 50 pages; page 51 does not exist', async () => {
    const client = t.client();
    const list = await client.get('/jobs');
    expect(list.text).toContain('共 <strong>1000+</strong> 个职位');
    expect((await client.get('/jobs?page=50')).status).toBe(200);
    expect((await client.get('/jobs?page=51')).status).toBe(404);
    const search = await client.get(`/jobs?q=${encodeURIComponent('分拣员')}`);
    expect(search.text).toContain('共 <strong>1000+</strong> 个职位');
  });

  it('still counts exactly below the cap', async () => {
    const res = await t.client().get(`/jobs?q=${encodeURIComponent('保洁')}`);
    expect(res.text).toMatch(/共 <strong>\d{1,3}<\/strong> 个职位/);
  });
});
