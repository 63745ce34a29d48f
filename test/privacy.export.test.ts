// The data export at /me/export: a streamed ZIP whose JSON parses and names every section, and whose files
// are byte for byte what the user uploaded. An employer's covers the company profile, jobs and license.
import { eq } from 'drizzle-orm';
import { applications, notifications, savedJobs } from '../src/db/schema';
import { saveSeekerProfile } from '../src/features/seekers/seekers.service';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { validCreditCode } from './helpers/jobs';
import { insertEmployerProfile, insertPublishedJob } from './helpers/jobFixtures';
import { samples } from './helpers/resumeFixtures';
import { download, unzip } from './helpers/unzip';
import { dateTime } from '../src/web/format';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function json(entries: Map<string, Buffer>, name: string): any {
  const raw = entries.get(name);
  if (!raw) throw new Error(`${name} missing from the export; entries: ${[...entries.keys()].join(', ')}`);
  return JSON.parse(raw.toString('utf8'));
}

describe("a seeker's export", () => {
  it('is a ZIP download, never cached, with data.json (profile, resumes, applications, saved jobs, notifications, consents, resume views) and the resumes as uploaded', async () => {
    const employer = await signedIn(t, 'employer');
    await insertEmployerProfile(t.ctx, employer.user.id, { companyName: '深圳市导出测试电子有限公司' });
    const job = await insertPublishedJob(t.ctx, employer.user.id, { title: '导出测试普工' });
    const seeker = await signedIn(t, 'seeker');
    await saveSeekerProfile(t.ctx.db, seeker.user.id, { realName: '导出张三', gender: null, birthYear: 1995, phone: '13812345678', district: '宝安区', intro: '认真负责', desiredTypes: ['temp'] });

    const pdf = samples.pdf();
    const png = samples.png();
    expect((await seeker.client.upload('/me/resumes', { title: '' }, { field: 'file', content: pdf, filename: '我的简历.pdf', contentType: 'application/pdf' })).status).toBe(303);
    expect((await seeker.client.upload('/me/resumes', { title: '' }, { field: 'file', content: png, filename: '证书/照片.png', contentType: 'image/png' })).status).toBe(303);
    expect((await seeker.client.upload(`/jobs/${job.id}/apply`, { message: '周一可到岗', shareConsent: 'yes' })).status).toBe(303);
    expect((await seeker.client.post(`/jobs/${job.id}/save`, { next: `/jobs/${job.id}` })).status).toBe(303);
    const [application] = await t.ctx.db.select({ id: applications.id }).from(applications).where(eq(applications.seekerId, seeker.user.id));
    expect((await employer.client.get(`/employer/applications/${application!.id}`)).status).toBe(200); // a resume view

    const res = await download(seeker.client, '/me/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.zip"; filename\*=UTF-8''/);
    expect(res.headers['cache-control']).toBe('no-store');

    const entries = unzip(res.body as Buffer);
    const data = json(entries, 'data.json');
    expect(data.account).toMatchObject({ id: seeker.user.id, login: seeker.user.login, role: 'seeker' });
    expect(data.account.passwordHash).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain('$argon2');
    expect(data.profile).toMatchObject({ realName: '导出张三', phone: '13812345678', birthYear: 1995, intro: '认真负责' });
    expect(data.resumes).toHaveLength(2);
    expect(data.applications).toEqual([
      expect.objectContaining({ jobId: job.id, jobTitle: '导出测试普工', message: '周一可到岗', status: 'viewed', events: [expect.objectContaining({ toStatus: 'new' }), expect.objectContaining({ toStatus: 'viewed' })] }),
    ]);
    expect(data.savedJobs).toEqual([expect.objectContaining({ jobId: job.id })]);
    expect(data.notifications.length).toBeGreaterThan(0);
    expect(data.consents.map((c: { kind: string }) => c.kind)).toEqual(['privacy_policy', 'share_with_employer']);
    expect(data.resumeViews).toEqual([expect.objectContaining({ viewerName: '深圳市导出测试电子有限公司', action: 'view' })]);
    // One JSON per section too, the same content.
    expect(json(entries, 'profile.json')).toEqual(data.profile);
    expect(json(entries, 'applications.json')).toEqual(data.applications);

    // The files: the bytes uploaded, under names from the original file names (no folders smuggled in).
    const byName = new Map<string, string>(data.resumes.map((r: { originalName: string; file: string }) => [r.originalName, r.file]));
    const pdfPath = byName.get('我的简历.pdf')!;
    expect(pdfPath).toMatch(/^files\/resumes\/\d+-我的简历\.pdf$/);
    expect(entries.get(pdfPath)!.equals(pdf)).toBe(true);
    const pngPath = [...byName.values()].find((p) => p.endsWith('.png'))!;
    expect(pngPath.split('/')).toHaveLength(3);
    expect(entries.get(pngPath)!.equals(png)).toBe(true);
    expect(data.files.sort()).toEqual([pdfPath, pngPath].sort());

    // 我的数据.html: the same, for a person to read: Chinese labels, values as the site shows them, China times,
    // links to the files beside it, and nothing of the JSON's field names or codes.
    const page = entries.get('我的数据.html')!.toString('utf8');
    expect(page).toContain('<html lang="zh-CN">');
    const pageText = page.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const shown of ['登录账号', seeker.user.login, '账户类型 求职者', '真实姓名 导出张三', '手机号 13812345678', '出生年份 1995', '期望职位类型 临时工', '导出测试普工', '已查看', '周一可到岗', '同意把简历和联系方式提供给企业', '深圳市导出测试电子有限公司 查看', '我的简历.pdf']) {
      expect([shown, pageText.includes(shown)]).toEqual([shown, true]);
    }
    expect(page).toContain(`<a href="${pdfPath}">我的简历.pdf</a>`);
    const createdAt = (await t.ctx.db.select({ at: applications.createdAt }).from(applications).where(eq(applications.id, application!.id)))[0]!.at;
    expect(pageText).toContain(dateTime(createdAt)); // China time, as the site shows it
    expect(dateTime(createdAt)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    for (const code of ['realName', 'share_with_employer', 'viewed', 'seeker', '"status"', 'T0', 'Z ']) expect([code, pageText.includes(code)]).toEqual([code, false]);
    expect(page).not.toContain('<script');
  });

  it('holds nothing of another user', async () => {
    const a = await signedIn(t, 'seeker');
    const b = await signedIn(t, 'seeker');
    await saveSeekerProfile(t.ctx.db, b.user.id, { realName: '别人李四', gender: null, birthYear: null, phone: '13698765432', district: '', intro: '', desiredTypes: [] });
    await t.ctx.db.insert(notifications).values({ userId: b.user.id, kind: 'test', title: '给李四的信' });
    const res = await download(a.client, '/me/export');
    const text = [...unzip(res.body as Buffer).values()].map((v) => v.toString('utf8')).join('\n');
    expect(text).not.toContain('别人李四');
    expect(text).not.toContain('13698765432');
    expect(text).not.toContain('给李四的信');
    expect(text).not.toContain(b.user.login);
    expect(await t.ctx.db.$count(savedJobs, eq(savedJobs.userId, a.user.id))).toBe(0);
  });

  it('asks an anonymous visitor to log in first', async () => {
    const res = await t.client().get('/me/export');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent('/me/export')}`);
  });
});

describe("an employer's export", () => {
  it('covers the company profile, every job and the license image, byte for byte', async () => {
    const { client, user } = await signedIn(t, 'employer');
    const license = samples.png();
    const form = {
      companyName: '深圳市导出企业劳务派遣有限公司',
      creditCode: validCreditCode(`91440300MA5F${String(user.id).padStart(5, '0')}`),
      contactName: '王经理',
      contactPhone: '13800138000',
      address: '深圳市龙华区观澜街道 8 号',
      intro: '电子厂,长期招聘普工,包吃包住。',
      licenseNo: '440309202400001',
    };
    const saved = await client.upload('/employer/profile', form, { field: 'license', content: license, filename: '营业执照.png', contentType: 'image/png' });
    expect([saved.status, saved.status === 303 ? '' : (saved.text.match(/class="error"[^>]*>([^<]*)/g) ?? []).join()]).toEqual([303, '']);
    const job = await insertPublishedJob(t.ctx, user.id, { title: '导出职位仓库分拣' });

    const res = await download(client, '/me/export');
    expect(res.status).toBe(200);
    const entries = unzip(res.body as Buffer);
    const data = json(entries, 'data.json');
    expect(data.account).toMatchObject({ role: 'employer', login: user.login });
    expect(data.company).toMatchObject({ companyName: form.companyName, creditCode: form.creditCode, contactPhone: '13800138000', licenseNo: '440309202400001' });
    expect(data.jobs).toEqual([expect.objectContaining({ id: job.id, title: '导出职位仓库分拣', status: 'published' })]);
    expect(json(entries, 'jobs.json')).toEqual(data.jobs);
    expect(data.company.licenseFile).toMatch(/^files\/license\/\d+-营业执照\.png$/);
    expect(entries.get(data.company.licenseFile)!.equals(license)).toBe(true);
    expect(data.resumes).toBeUndefined();
    const page = entries.get('我的数据.html')!.toString('utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toContain(`企业名称 ${form.companyName}`);
    expect(page).toContain('导出职位仓库分拣');
    expect(page).toContain('招聘中');
    expect(page).not.toContain('个人资料');
  });
});
