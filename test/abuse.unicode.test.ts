// Unicode edge cases in names, text and search: emoji (ZWJ sequences, astral characters), full-width forms, bidi and
// zero-width marks, combining marks, and 10,000-character strings. Never a 5xx; a limit gives its Chinese message.
import { eq } from 'drizzle-orm';
import { articles, jobs, users } from '../src/db/schema';
import { normalizeText } from '../src/domain/text';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { escaped, expectSafeAnswer, MARKUP, UNICODE_EDGE } from './helpers/fuzz';
import { fieldError, jobIdsIn } from './helpers/html';
import { jobForm, makeJob, makeProfile } from './helpers/jobs';
import { articleForm } from './helpers/news';
import { insertResume } from './helpers/resumeFixtures';
import { requestCodeFor } from './helpers/codes';

jest.setTimeout(180_000);

/** `n` different CJK characters: text that neither compresses nor repeats (the worst case for index rows). */
function distinctHan(n: number): string {
  return Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');
}

const LONG = {
  han: '好'.repeat(10_000),
  ascii: 'a'.repeat(10_000),
  emoji: '👨‍👩‍👧‍👦'.repeat(1_500),
  mixed: distinctHan(10_000),
};


let t: TestApp;
let seeker: TestClient;
let employer: { client: TestClient; id: number };
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  seeker = (await signedIn(t, 'seeker')).client;
  const e = await signedIn(t, 'employer');
  await makeProfile(t.ctx, e.user.id);
  employer = { client: e.client, id: e.user.id };
  admin = (await signedIn(t, 'admin')).client;
});

afterAll(() => t.close());

describe('names with Unicode edge cases', () => {
  it('a display name of emoji, full-width, bidi, zero-width or combining characters is kept (NFKC) and shown escaped', async () => {
    for (const [i, raw] of UNICODE_EDGE.filter((s) => s.trim()).entries()) {
      const name = `王${raw}`;
      const client = t.client();
      const login = `1370000${String(1000 + i)}`;
      const fields = { role: 'seeker', login, displayName: name, consent: 'yes' };
      const code = await requestCodeFor(t, client, 'signup', fields);
      const res = await client.post('/signup', { ...fields, code, password: 'long-enough-1', passwordConfirm: 'long-enough-1' });
      expectSafeAnswer(res, `signup ${JSON.stringify(name)}`);
      if (res.status === 422) {
        expect(fieldError(res.text, 'displayName')).toMatch(/[\u4e00-\u9fff]/);
        continue;
      }
      expect([name, res.status]).toEqual([name, 303]);
      const [user] = await t.ctx.db.select().from(users).where(eq(users.login, login));
      expect(user!.displayName).toBe(normalizeText(name).trim());
      const page = await client.get('/me');
      expect(page.text).toContain(escaped(user!.displayName));
    }
  });

  it('a 10,000-character display name is refused with the length message, nothing saved', async () => {
    for (const long of Object.values(LONG)) {
      const before = (await t.ctx.db.select().from(users)).length;
      const res = await t.client().post('/signup', { role: 'seeker', login: '13699990000', code: '123456', password: 'long-enough-1', passwordConfirm: 'long-enough-1', displayName: long, consent: 'yes' });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'displayName')).toMatch(/不能超过/);
      expect((await t.ctx.db.select().from(users)).length).toBe(before);
    }
  });
});

describe('10,000-character text in every text field of the main forms', () => {
  it('seeker profile, resume title, report and application message: Chinese length errors, never a 5xx', async () => {
    const resume = await insertResume(t.ctx, (await signedIn(t, 'seeker')).user.id);
    const job = await makeJob(t.ctx, employer.id, { title: '长文本测试职位' });
    for (const long of Object.values(LONG)) {
      const profile = await seeker.post('/me/profile', { realName: '张三', phone: '13800138000', intro: long });
      expect(profile.status).toBe(422);
      expect(fieldError(profile.text, 'intro')).toMatch(/不能超过/);
      const name = await seeker.post('/me/profile', { realName: long, phone: '13800138000' });
      expect(fieldError(name.text, 'realName')).toMatch(/不能超过/);
      const rename = await seeker.post(`/me/resumes/${resume.id}/rename`, { title: long });
      expectSafeAnswer(rename, 'rename');
      expect(rename.status).toBeGreaterThanOrEqual(400);
      const report = await seeker.post(`/jobs/${job}/report`, { reason: 'other', text: long });
      expect(report.status).toBe(422);
      expect(report.text).toMatch(/不能超过/);
      const apply = await seeker.upload(`/jobs/${job}/apply`, { resumeId: 'new', message: long });
      expectSafeAnswer(apply, 'apply');
      expect(apply.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('the job form: each text field at 10,000 characters is a Chinese 422, not a 5xx (tsvector, jieba)', async () => {
    const fields = ['title', 'address', 'shift', 'requirements', 'description', 'contactName', 'dispatchAgencyName', 'dispatchAgencyLicense', 'worksiteEmployerName'];
    for (const field of fields) {
      for (const long of [LONG.mixed, LONG.emoji]) {
        const before = (await t.ctx.db.select().from(jobs)).length;
        const res = await employer.client.post('/employer/jobs/new', jobForm(t.ctx, { [field]: long }));
        expectSafeAnswer(res, `job ${field}`);
        if (res.status === 303) continue; // a field with no limit of its own (none today): accepted whole
        expect([field, res.status]).toEqual([field, 422]);
        expect((await t.ctx.db.select().from(jobs)).length).toBe(before);
      }
    }
  });

  it('a long description within its limit is saved and found by search (jieba and the tsvector cope)', async () => {
    // 5,000 characters (the limit) of different characters, and 2,000 of emoji in the requirements.
    const description = `流水线普工${distinctHan(4_980)}日结`.slice(0, 5_000);
    const requirements = '👨‍👩‍👧‍👦'.repeat(2_000).slice(0, 2_000);
    const res = await employer.client.post('/employer/jobs/new', jobForm(t.ctx, { title: '长描述普工', description, requirements }));
    expectSafeAnswer(res, 'long description');
    expect(res.status).toBe(303);
    const [job] = await t.ctx.db.select().from(jobs).where(eq(jobs.title, '长描述普工'));
    await t.ctx.db.update(jobs).set({ status: 'published', publishedAt: new Date() }).where(eq(jobs.id, job!.id));
    const found = await t.client().get(`/jobs?q=${encodeURIComponent('长描述普工')}`);
    expect(jobIdsIn(found.text)).toContain(job!.id);
  });

  it('the article form: a 10,000-character title is refused; a source address that grows past the index limit once encoded is refused, not a 5xx', async () => {
    const title = await admin.upload('/admin/news', articleForm({ title: LONG.mixed }));
    expect(title.status).toBe(422);
    expect(fieldError(title.text, 'title')).toMatch(/不能超过/);
    // 970 different Chinese characters: under 1,000 as typed, about 9,000 bytes once percent-encoded.
    const url = `https://example.com/${distinctHan(970)}`;
    const before = (await t.ctx.db.select().from(articles)).length;
    const res = await admin.upload('/admin/news', articleForm({ sourceName: '某报', sourceUrl: url }));
    expectSafeAnswer(res, 'long source url');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'sourceUrl')).toMatch(/太长/);
    expect((await t.ctx.db.select().from(articles)).length).toBe(before);
    // The same address in an import file: that item is refused with its reason, the rest of the file goes in.
    const items = [
      { title: '超长来源网址', body: '<p>正文</p>', sourceName: '某报', sourceUrl: url, publishedAt: '2024-04-03' },
      { title: '正常来源网址', body: '<p>正文</p>', sourceName: '某报', sourceUrl: 'https://news.example.com/ok', publishedAt: '2024-04-03' },
    ];
    const imported = await admin.upload('/admin/news/import', { author: '编辑' }, { field: 'file', content: Buffer.from(JSON.stringify(items)), filename: 'long.json' });
    expectSafeAnswer(imported, 'import long source url');
    expect(imported.status).toBe(200);
    expect(imported.text).toContain('来源网址无效');
    expect((await t.ctx.db.select().from(articles)).length).toBe(before + 1);
  });

  it('the company profile: 10,000-character name, address and introduction get Chinese length errors', async () => {
    for (const field of ['companyName', 'address', 'intro', 'contactName', 'licenseNo']) {
      const res = await employer.client.upload('/employer/profile', {
        companyName: '深圳测试有限公司',
        creditCode: '',
        contactName: '张经理',
        contactPhone: '13800138000',
        address: '南山区科技园',
        intro: '一家正规的测试企业,不收任何费用。',
        licenseNo: '',
        [field]: LONG.mixed,
      });
      expectSafeAnswer(res, `profile ${field}`);
      expect([field, res.status]).toEqual([field, 422]);
      expect([field, fieldError(res.text, field)]).toEqual([field, expect.stringMatching(/不能超过|[\u4e00-\u9fff]/)]);
    }
  });
});

describe('search with Unicode edge cases', () => {
  it('emoji, full-width, bidi and zero-width queries answer 200 with the query shown escaped', async () => {
    await makeJob(t.ctx, employer.id, { title: '普工日结👍' });
    for (const q of [...UNICODE_EDGE, MARKUP, LONG.ascii, '普\u200b工', '\u202e普工', 'ｐｕｇｏｎｇ 普工', '普工\u0301']) {
      const res = await t.client().get(`/jobs?q=${encodeURIComponent(q)}`);
      expectSafeAnswer(res, `search ${JSON.stringify(q.slice(0, 20))}`);
      expect([q.slice(0, 20), res.status]).toEqual([q.slice(0, 20), 200]);
    }
    // The query is shown back (heading, breadcrumbs, search box) as text.
    const shown = await t.client().get(`/jobs?q=${encodeURIComponent(MARKUP)}`);
    expect(shown.text).toContain(escaped(normalizeText(MARKUP)));
    // A title with an emoji is found by its words.
    expect((await t.client().get(`/jobs?q=${encodeURIComponent('普工')}`)).text).toContain('普工日结👍');
  });

  it('a 10,000-character query in a URL: Node refuses the header (431) or the app clamps it, never a 5xx', async () => {
    for (const q of [LONG.ascii, LONG.han.slice(0, 1_500)]) {
      const res = await t.client().get(`/jobs?q=${encodeURIComponent(q)}`);
      expect(res.status === 200 || res.status === 431).toBe(true);
    }
    for (const path of ['/admin/users', '/admin/employers', '/admin/news', '/admin/audit']) {
      const res = await admin.get(`${path}?q=${encodeURIComponent(LONG.ascii)}&actor=${encodeURIComponent(LONG.ascii.slice(0, 3000))}`);
      expectSafeAnswer(res, path);
    }
  });
});
