// Security round 2 (issue 15), jobs and applications: phone numbers masked in every free-text field of a job for
// visitors who are not signed in (every separator, table-driven), off-platform contact words flagged for review,
// what an employer still sees of a withdrawn application, and uploaded files readable by their owner only.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { jobs } from '../src/db/schema';
import { maskPhonesIn } from '../src/domain/text';
import { findFlaggedWords } from '../src/features/jobs/jobs.screening';
import { DEFAULT_CONTACT_WORDS } from '../src/features/site/settings.schema';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { jsonLdBlocks } from './helpers/html';
import { jobForm, makeJob, signedInEmployer } from './helpers/jobs';
import { insertApplication, insertResume, samples } from './helpers/resumeFixtures';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Any way of writing 13812345678 that a reader would still recognise: no page for anonymous visitors may hold one. */
const FULL_NUMBER = /1\D{0,3}3\D{0,3}8\D{0,3}1\D{0,3}2\D{0,3}3\D{0,3}4\D{0,3}5\D{0,3}6\D{0,3}7\D{0,3}8/;

describe('finding 7: phone masking', () => {
  const table: [written: string, shown: string][] = [
    ['联系13812345678', '联系138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['138.1234.5678', '138****5678'],
    ['138_1234_5678', '138****5678'],
    ['138/1234/5678', '138****5678'],
    ['1 3 8 1 2 3 4 5 6 7 8', '138****5678'],
    ['1 3 8  1 2 3 4  5 6 7 8', '138****5678'],
    ['138 - 1234 - 5678', '138****5678'],
    ['+86 138 1234 5678', '138****5678'],
    ['8613812345678', '138****5678'],
    ['工作时间 8:00-20:00 联系13812345678', '工作时间 8:00-20:00 联系138****5678'],
    ['q=138%201234%205678&page=2', 'q=138****5678&page=2'],
    ['电话:138·1234·5678。', '电话:138****5678。'],
    // Not a mobile number: left alone.
    ['订单号 213812345678', '订单号 213812345678'],
    ['1733123456789', '1733123456789'],
    ['0755-88828155', '0755-88828155'],
    ['8:00-20:00,日薪 220-260 元', '8:00-20:00,日薪 220-260 元'],
  ];
  it.each(table)('%s → %s', (written, shown) => {
    expect(maskPhonesIn(written)).toBe(shown);
  });

  it('a number typed into any text field of a job is masked for anonymous visitors on every page that shows it; signed-in visitors see it', async () => {
    const employer = await signedInEmployer(t, '深圳市掩码测试有限公司');
    const jobId = await makeJob(t.ctx, employer.id, {
      title: '普工 联系138.1234.5678',
      shift: '工作时间 8:00-20:00 联系13812345678',
      address: '沙井街道 138_1234_5678 门卫室',
      description: '有意者请打 138/1234/5678',
      requirements: '电话 1 3 8 1 2 3 4 5 6 7 8',
      contactName: '张经理13812345678',
      type: 'dispatch',
      dispatchAgencyName: '派遣公司 138 1234 5678',
      dispatchAgencyLicense: '440305202300128',
      worksiteEmployerName: '用工单位+86 138 1234 5678',
    });
    await makeJob(t.ctx, employer.id, { title: '相似职位', type: 'dispatch', dispatchAgencyName: '派遣公司', dispatchAgencyLicense: '440305202300128', worksiteEmployerName: '用工单位' });
    const anonymous = t.client();
    for (const page of [`/jobs/${jobId}`, '/jobs', '/', '/sitemap', `/jobs?q=${encodeURIComponent('普工')}`]) {
      const res = await anonymous.get(page);
      expect([page, res.status]).toEqual([page, 200]);
      expect([page, FULL_NUMBER.exec(res.text)?.[0] ?? null]).toEqual([page, null]);
    }
    const jobPage = (await anonymous.get(`/jobs/${jobId}`)).text;
    expect(jobPage).toContain('普工 联系138****5678');
    expect(jobPage).toContain('联系138****5678');
    expect(JSON.stringify(jsonLdBlocks(jobPage))).not.toMatch(FULL_NUMBER);
    // A signed-in visitor reads the job as written.
    const seeker = await signedIn(t, 'seeker');
    const full = (await seeker.client.get(`/jobs/${jobId}`)).text;
    expect(full).toContain('工作时间 8:00-20:00 联系13812345678');
    expect(full).toContain('有意者请打 138/1234/5678');
  });
});

describe('finding 8: off-platform contact words send a job to manual review, named', () => {
  it('the default list catches the classic phrasings, however they are spaced', () => {
    for (const [text, word] of [
      ['详情加微信咨询', '加微信'],
      ['加 V:abc123', '加v'],
      ['QQ号 123456', 'qq号'],
      ['扫码进群领工资', '扫码进'],
      ['扫一扫下方二维码', '二维码'],
      ['加-VX 了解', '加vx'],
    ] as const) {
      expect([text, findFlaggedWords(text, DEFAULT_CONTACT_WORDS)]).toEqual([text, expect.arrayContaining([word])]);
    }
    expect(findFlaggedWords('日结工资,平台内沟通', DEFAULT_CONTACT_WORDS)).toEqual([]);
    // Scanning parcels is warehouse work, not a way off the platform.
    expect(findFlaggedWords('包裹分拣、扫码、上架,会用智能手机扫码', DEFAULT_CONTACT_WORDS)).toEqual([]);
    // 加微 inside 加微信 is not named twice.
    expect(findFlaggedWords('详情加微信', DEFAULT_CONTACT_WORDS)).toEqual(['加微信']);
  });

  it('a submitted job asking to 加微信 is flagged with the words, named to the employer and the reviewer, and bulk approval skips it', async () => {
    const employer = await signedInEmployer(t);
    const admin = (await signedIn(t, 'admin')).client;
    const res = await employer.client.post('/employer/jobs/new', jobForm(t.ctx, { title: '仓库分拣员', description: '详情请加微信 abc123 或扫码进群' }));
    expect(res.status).toBe(303);
    const [job] = await t.ctx.db.select().from(jobs).where(eq(jobs.title, '仓库分拣员'));
    expect(job!.status).toBe('pending');
    expect(job!.flaggedWords).toEqual(expect.arrayContaining(['加微信', '扫码进']));
    const flash = (await employer.client.get(res.headers.location!)).text;
    expect(flash).toContain('加微信');
    const review = (await admin.get(`/admin/jobs/${job!.id}`)).text;
    expect(review).toContain('<mark class="flag-word">加微信</mark>');
    expect(review).toContain('站外');
    await admin.post('/admin/jobs/bulk-approve', { ids: [String(job!.id)] });
    const [after] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, job!.id));
    expect(after!.status).toBe('pending');
  });

  it('the contact words are an admin-editable list like the discrimination words', async () => {
    const admin = (await signedIn(t, 'admin')).client;
    const page = await admin.get('/admin/settings?section=words');
    expect(page.text).toContain('name="contactWords"');
    expect(page.text).toContain('加微信');
  });
});

describe('finding 4: a withdrawn application', () => {
  it('shows the employer only that there was one, its dates and statuses: no name, phone, intro, message or resume', async () => {
    const employer = await signedInEmployer(t);
    const jobId = await makeJob(t.ctx, employer.id, { title: '撤回测试职位' });
    // The phone employers see is the account's (verified at signup).
    const seeker = await signedIn(t, 'seeker', { login: '13912348765' });
    const profile = await seeker.client.post('/me/profile', { realName: '王秘密', intro: '我的自我介绍秘密', district: '', gender: '', birthYear: '' });
    expect(profile.status).toBe(303);
    const resume = await insertResume(t.ctx, seeker.user.id, { title: '我的秘密简历' });
    const applicationId = await insertApplication(t.ctx, seeker.user.id, jobId, { resumeId: resume.id, message: '留言秘密内容' });
    const secrets = ['王秘密', '13912348765', '139****8765', '我的自我介绍秘密', '留言秘密内容', '我的秘密简历', `/files/resumes/${resume.id}`];

    const before = (await employer.client.get(`/employer/applications/${applicationId}`)).text;
    for (const s of secrets.filter((x) => x !== '139****8765')) expect([s, before.includes(s)]).toEqual([s, true]);

    expect((await seeker.client.post(`/me/applications/${applicationId}/withdraw`)).status).toBe(303);
    for (const page of [`/employer/applications/${applicationId}`, `/employer/jobs/${jobId}/applications`, `/employer/jobs/${jobId}/applications?status=withdrawn`]) {
      const res = await employer.client.get(page);
      expect([page, res.status]).toEqual([page, 200]);
      for (const s of secrets) expect([page, s, res.text.includes(s)]).toEqual([page, s, false]);
      expect(res.text).toContain('已撤回');
    }
    expect((await employer.client.get(`/files/resumes/${resume.id}`)).status).toBe(404);
  });
});

describe('uploaded files', () => {
  it('are written owner-only: files 0600, their folders 0700', async () => {
    const seeker = await signedIn(t, 'seeker');
    const res = await seeker.client.upload('/me/resumes', { title: '权限测试' }, { field: 'file', content: samples.pdf(), filename: 'cv.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(303);
    const root = t.ctx.storage.root;
    const files: string[] = [];
    const walk = (dir: string) => {
      expect([dir, fs.statSync(dir).mode & 0o777]).toEqual([dir, 0o700]);
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else files.push(path.join(dir, e.name));
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect([f, fs.statSync(f).mode & 0o777]).toEqual([f, 0o600]);
  });
});
