// SQL metacharacters in text fields and searches: stored and shown verbatim (escaped in HTML), never a 5xx, and a
// search for % or _ is a search for that character, not a wildcard that matches everything.
import { eq } from 'drizzle-orm';
import { employerProfiles, jobReports, jobs, resumes, seekerProfiles, users } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { escaped, SQL_META } from './helpers/fuzz';
import { jobIdsIn } from './helpers/html';
import { jobForm, makeJob, makeProfile, validCreditCode } from './helpers/jobs';
import { insertResume } from './helpers/resumeFixtures';
import { requestCodeFor } from './helpers/codes';

jest.setTimeout(180_000);

/** The metacharacters inside ordinary text (so length and "must contain" rules pass), without the NUL byte. */
const PAYLOADS = SQL_META.filter((p) => p !== '\u0000').map((p) => `甲${p}乙`);


let t: TestApp;
let seeker: { client: TestClient; id: number };
let employer: { client: TestClient; id: number };
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const s = await signedIn(t, 'seeker');
  seeker = { client: s.client, id: s.user.id };
  const e = await signedIn(t, 'employer');
  await makeProfile(t.ctx, e.user.id);
  employer = { client: e.client, id: e.user.id };
  admin = (await signedIn(t, 'admin')).client;
});

afterAll(() => t.close());

describe('SQL metacharacters in text fields are stored and shown verbatim', () => {
  it('seeker profile: name and intro', async () => {
    for (const p of PAYLOADS) {
      const realName = p.slice(0, 20);
      const res = await seeker.client.post('/me/profile', { realName, phone: '13800138000', intro: `自我介绍${p}` });
      expect([p, res.status]).toEqual([p, 303]);
      const [row] = await t.ctx.db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, seeker.id));
      expect(row!.realName).toBe(realName);
      expect(row!.intro).toBe(`自我介绍${p}`);
      const page = await seeker.client.get('/me/profile');
      expect(page.text).toContain(escaped(`自我介绍${p}`));
    }
  });

  it('resume title (rename)', async () => {
    const resume = await insertResume(t.ctx, seeker.id);
    for (const p of PAYLOADS) {
      const res = await seeker.client.post(`/me/resumes/${resume.id}/rename`, { title: p });
      expect([p, res.status]).toEqual([p, 303]);
      const [row] = await t.ctx.db.select().from(resumes).where(eq(resumes.id, resume.id));
      expect(row!.title).toBe(p);
      expect((await seeker.client.get('/me/resumes')).text).toContain(escaped(p));
    }
  });

  it('report text', async () => {
    for (const p of PAYLOADS) {
      // One report per job and person: a job for each.
      const job = await makeJob(t.ctx, employer.id, { title: '举报测试职位' });
      const res = await seeker.client.post(`/jobs/${job}/report`, { reason: 'other', text: p });
      expect([p, res.status < 400]).toEqual([p, true]);
      const [row] = await t.ctx.db.select().from(jobReports).where(eq(jobReports.jobId, job));
      expect(row!.text).toBe(p);
    }
  });

  it('job title, address and description: saved as typed, shown escaped on the job page', async () => {
    for (const p of PAYLOADS.slice(0, 8)) {
      const res = await employer.client.post('/employer/jobs/new', jobForm(t.ctx, { title: `普工${p}`, address: `宝安大道${p}号`, description: `流水线装配${p},坐班` }));
      expect([p, res.status]).toEqual([p, 303]);
      const [row] = await t.ctx.db.select().from(jobs).where(eq(jobs.title, `普工${p}`));
      expect(row).toBeDefined();
      expect(row!.description).toContain(`流水线装配${p}`);
      await t.ctx.db.update(jobs).set({ status: 'published', publishedAt: new Date() }).where(eq(jobs.id, row!.id));
      const page = await t.client().get(`/jobs/${row!.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(escaped(`普工${p}`));
    }
  });

  it('signup display name and company profile', async () => {
    for (const [i, p] of PAYLOADS.entries()) {
      const client = t.client();
      const login = `1390000${String(1000 + i)}`;
      const fields = { role: 'employer', login, displayName: p, consent: 'yes' };
      const code = await requestCodeFor(t, client, 'signup', fields);
      const res = await client.post('/signup', { ...fields, code, password: 'long-enough-1', passwordConfirm: 'long-enough-1' });
      expect([p, res.status]).toEqual([p, 303]);
      const [user] = await t.ctx.db.select().from(users).where(eq(users.login, login));
      expect(user!.displayName).toBe(p);
      await client.get(res.headers.location!);
      const profile = await client.upload('/employer/profile', {
        companyName: `深圳${p}有限公司`,
        creditCode: validCreditCode(),
        contactName: '张经理',
        contactPhone: '13800138000',
        address: `南山区${p}`,
        intro: `企业简介,正规企业${p}`,
        licenseNo: '',
      });
      expect([p, profile.status, profile.status === 303 ? '' : profile.text.match(/class="error"[^>]*>([^<]*)/g)]).toEqual([p, 303, '']);
      const [row] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, user!.id));
      expect([row!.companyName, row!.address, row!.intro]).toEqual([`深圳${p}有限公司`, `南山区${p}`, `企业简介,正规企业${p}`]);
    }
  });
});

describe('a search for % or _ is not a wildcard', () => {
  const contains = (text: string | null | undefined, q: string) => (text ?? '').toLowerCase().replace(/\s+/g, '').includes(q.toLowerCase().replace(/\s+/g, ''));

  it('the job search finds only jobs that contain the characters, never the whole list', async () => {
    const other = await makeUser(t.ctx, 'employer');
    await makeProfile(t.ctx, other.id);
    await makeJob(t.ctx, other.id, { title: '仓库分拣员日结' });
    await makeJob(t.ctx, other.id, { title: '餐厅服务员兼职' });
    const percent = await makeJob(t.ctx, other.id, { title: '销售提成10%周结' });
    const listed = jobIdsIn((await t.client().get('/jobs')).text);
    expect(listed.length).toBeGreaterThan(3);
    for (const q of ['%', '_', '%%', '%_%', '\\', "' OR 1=1 --", "' OR '1'='1", '$$', ';--']) {
      const res = await t.client().get(`/jobs?q=${encodeURIComponent(q)}`);
      expect([q, res.status]).toEqual([q, 200]);
      for (const id of jobIdsIn(res.text)) {
        const [job] = await t.ctx.db.select({ searchText: jobs.searchText }).from(jobs).where(eq(jobs.id, id));
        // "' OR 1=1 --" is searched as its words (or, 1): a hit must hold one of them (issue 19: partial matches are
        // listed below the all-word ones); symbols-only queries must hold the symbols.
        const needles = /[\p{L}\p{N}]/u.test(q) ? q.toLowerCase().match(/[\p{L}\p{N}]+/gu)! : [q];
        expect([q, id, needles.some((n) => contains(job!.searchText, n))]).toEqual([q, id, true]);
      }
    }
    expect(jobIdsIn((await t.client().get('/jobs?q=%25')).text)).toContain(percent);
    expect(jobIdsIn((await t.client().get('/jobs?q=_')).text)).not.toContain(percent);
  });

  it('the admin lists (users, employers) treat % and _ as characters', async () => {
    for (const q of ['%', '_', '%_%', '\\']) {
      const usersPage = await admin.get(`/admin/users?q=${encodeURIComponent(q)}`);
      expect(usersPage.status).toBe(200);
      for (const m of usersPage.text.matchAll(/href="\/admin\/users\/(\d+)"/g)) {
        const [u] = await t.ctx.db.select().from(users).where(eq(users.id, Number(m[1])));
        expect([q, u!.id, contains(u!.displayName, q) || contains(u!.login, q)]).toEqual([q, u!.id, true]);
      }
      const employersPage = await admin.get(`/admin/employers?q=${encodeURIComponent(q)}`);
      expect(employersPage.status).toBe(200);
      for (const m of employersPage.text.matchAll(/href="\/admin\/employers\/(\d+)"/g)) {
        const [e] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, Number(m[1])));
        const [u] = await t.ctx.db.select().from(users).where(eq(users.id, Number(m[1])));
        expect([q, contains(e?.companyName, q) || contains(u!.displayName, q) || contains(u!.login, q)]).toEqual([q, true]);
      }
      expect((await admin.get(`/admin/news?q=${encodeURIComponent(q)}`)).status).toBe(200);
      expect((await admin.get(`/admin/audit?actor=${encodeURIComponent(q)}`)).status).toBe(200);
    }
    // Users whose names hold no % exist, and the % search did not list them.
    const plain = await makeUser(t.ctx, 'seeker', { displayName: '普通用户王五' });
    expect((await admin.get('/admin/users?q=%25')).text).not.toContain(`/admin/users/${plain.id}"`);
  });
});
