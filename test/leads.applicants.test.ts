// The staff inbox (/admin/applicants): applications to jobs staff posted for client companies are handled by the
// dispatch company's staff with the employer's pipeline rules (seeker told, audited); the client company never sees
// them, except the shortlist staff share with its contact, which is logged and shown to each shared seeker.
import { and, eq } from 'drizzle-orm';
import { applications, auditLog, notifications, resumeViews, shortlistShares } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { insertClientJob } from './helpers/clientJobs';
import { lastMessageTo } from './helpers/codes';
import { signedIn } from './helpers/factories';
import type { TestClient } from './helpers/client';
import { applicant, employerWithJobs } from './helpers/workspace';

let t: TestApp;
let consultant: TestClient;
let consultantId: number;
let siteCompany: string;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  ({ client: consultant, user: { id: consultantId } } = await signedIn(t, 'consultant'));
  siteCompany = (await t.ctx.settings.get()).companyName;
});
afterAll(() => t.close());

const statusOf = async (id: number) => (await t.ctx.db.select({ s: applications.status }).from(applications).where(eq(applications.id, id)))[0]!.s;

describe('the staff inbox', () => {
  it("lists every application to client jobs (not employers' own), with filters by job, status and client company", async () => {
    const a = await insertClientJob(t.ctx, consultantId, { companyName: '深圳市甲客户电子有限公司', title: '甲厂普工' });
    const b = await insertClientJob(t.ctx, consultantId, { companyName: '深圳市乙客户物流有限公司', title: '乙仓分拣' });
    const wang = await applicant(t, a.job.id, { realName: '王甲' });
    await applicant(t, b.job.id, { realName: '李乙' });
    const employer = await employerWithJobs(t, 1, '深圳市自招电子有限公司');
    await applicant(t, employer.jobs[0]!.id, { realName: '赵自招' });

    const all = await consultant.get('/admin/applicants');
    expect(all.status).toBe(200);
    expect(all.text).toContain('王甲');
    expect(all.text).toContain('李乙');
    expect(all.text).not.toContain('赵自招');
    // The list masks the phone; the detail page shows it.
    expect(all.text).not.toContain(wang.user.phone!);

    const byJob = await consultant.get(`/admin/applicants?job=${a.job.id}`);
    expect(byJob.text).toContain('王甲');
    expect(byJob.text).not.toContain('李乙');
    const byCompany = await consultant.get(`/admin/applicants?company=${b.company.id}`);
    expect(byCompany.text).toContain('李乙');
    expect(byCompany.text).not.toContain('王甲');
    const byStatus = await consultant.get('/admin/applicants?status=hired');
    expect(byStatus.text).not.toContain('王甲');

    // The staff member who posted the job is told with a link into the staff inbox.
    const [note] = await t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, consultantId), eq(notifications.link, `/admin/applicants/${wang.applicationId}`)));
    expect(note).toBeDefined();
  });

  it('opening an application shows the online resume and phone, marks it viewed and logs the view under the dispatch company', async () => {
    const { job } = await insertClientJob(t.ctx, consultantId);
    const seeker = await applicant(t, job.id, { realName: '陈查看', birthYear: 1990 });
    const { client: other } = await signedIn(t, 'consultant');
    const page = await other.get(`/admin/applicants/${seeker.applicationId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('陈查看');
    expect(page.text).toContain(seeker.user.phone!);
    expect(await statusOf(seeker.applicationId)).toBe('viewed');
    const [view] = await t.ctx.db.select().from(resumeViews).where(eq(resumeViews.applicationId, seeker.applicationId));
    expect(view).toMatchObject({ action: 'view', viewerName: siteCompany });
    const seen = await seeker.client.get('/me/resume-views');
    expect(seen.text).toContain(siteCompany);
    // The attached file too, while the application is active.
    const [{ resumeId }] = await t.ctx.db.select({ resumeId: applications.resumeId }).from(applications).where(eq(applications.id, seeker.applicationId)) as [{ resumeId: number }];
    expect((await other.get(`/files/resumes/${resumeId}`)).status).toBe(200);
  });

  it("moves an applicant with the employer's rules, tells the seeker and audits it; a move the rules refuse changes nothing", async () => {
    const { job } = await insertClientJob(t.ctx, consultantId);
    const seeker = await applicant(t, job.id, { realName: '周流程' });
    const moved = await consultant.post(`/admin/applicants/${seeker.applicationId}/status`, { status: 'shortlisted' });
    expect(moved.status).toBe(303);
    expect(await statusOf(seeker.applicationId)).toBe('shortlisted');
    const told = await t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, seeker.user.id), eq(notifications.kind, 'application.status')));
    expect(told.map((n) => n.title).join()).toContain('初筛通过');
    const [audit] = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'application.status'), eq(auditLog.targetId, String(seeker.applicationId))));
    expect(audit).toMatchObject({ actorId: consultantId, after: { status: 'shortlisted' } });

    const back = await consultant.post(`/admin/applicants/${seeker.applicationId}/status`, { status: 'new' });
    expect(back.status).toBe(409);
    expect(await statusOf(seeker.applicationId)).toBe('shortlisted');
  });

  it("an employer's own application does not exist here, and the withdrawn application hides the person", async () => {
    const employer = await employerWithJobs(t, 1, '深圳市别家电子有限公司');
    const own = await applicant(t, employer.jobs[0]!.id, { realName: '钱别家' });
    expect((await consultant.get(`/admin/applicants/${own.applicationId}`)).status).toBe(404);
    expect((await consultant.post(`/admin/applicants/${own.applicationId}/status`, { status: 'rejected' })).status).toBe(404);
    expect(await statusOf(own.applicationId)).toBe('new');
    const [{ resumeId }] = await t.ctx.db.select({ resumeId: applications.resumeId }).from(applications).where(eq(applications.id, own.applicationId)) as [{ resumeId: number }];
    expect((await consultant.get(`/files/resumes/${resumeId}`)).status).toBe(404);

    const { job } = await insertClientJob(t.ctx, consultantId);
    const gone = await applicant(t, job.id, { realName: '孙撤回' });
    await gone.client.post(`/me/applications/${gone.applicationId}/withdraw`, {});
    const page = await consultant.get(`/admin/applicants/${gone.applicationId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('孙撤回');
    expect(page.text).not.toContain(gone.user.phone!);
  });

  it('the client company, with an employer account of its own, and seekers cannot open the staff inbox', async () => {
    const { client: employer } = await signedIn(t, 'employer');
    expect((await employer.get('/admin/applicants')).status).toBe(403);
    const { client: seeker } = await signedIn(t, 'seeker');
    expect((await seeker.get('/admin/applicants')).status).toBe(403);
  });
});

describe('sharing a shortlist with the client company', () => {
  it("texts the contact the chosen shortlisted applicants' name, age and phone; logs it, audits it, and each seeker sees it", async () => {
    const { job, company } = await insertClientJob(t.ctx, consultantId, { companyName: '深圳市分享客户电子有限公司', contactPhone: '13600136000' });
    const wu = await applicant(t, job.id, { realName: '吴初筛', birthYear: 1990 });
    const zheng = await applicant(t, job.id, { realName: '郑初筛', birthYear: 1998 });
    const notChosen = await applicant(t, job.id, { realName: '冯未选' });
    for (const a of [wu, zheng, notChosen]) await consultant.post(`/admin/applicants/${a.applicationId}/status`, { status: 'shortlisted' });

    const list = await consultant.get(`/admin/applicants?job=${job.id}`);
    expect(list.text).toContain('分享初筛名单给用工单位');
    const shared = await consultant.post(`/admin/client-jobs/${job.id}/share`, { ids: [String(wu.applicationId), String(zheng.applicationId)] });
    expect(shared.status).toBe(303);

    const sms = await lastMessageTo(t, '13600136000', 'shortlist_share');
    expect(sms?.channel).toBe('sms');
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    expect(sms!.body).toContain(`吴初筛 ${year - 1990}岁 ${wu.user.phone}`);
    expect(sms!.body).toContain(`郑初筛 ${year - 1998}岁 ${zheng.user.phone}`);
    expect(sms!.body).not.toContain('冯未选');

    const [share] = await t.ctx.db.select().from(shortlistShares).where(eq(shortlistShares.jobId, job.id));
    expect(share).toMatchObject({ clientCompanyId: company.id, sharedBy: consultantId, recipient: '13600136000', channel: 'sms' });
    expect(share!.applicationIds.sort()).toEqual([wu.applicationId, zheng.applicationId].sort());
    const [audit] = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'application.share'), eq(auditLog.targetId, String(job.id))));
    expect(audit?.actorId).toBe(consultantId);

    const views = await wu.client.get('/me/resume-views');
    expect(views.text).toContain('深圳市分享客户电子有限公司');
    expect(views.text).toContain('经派遣公司收到了你的姓名、年龄和手机号');
    expect(await t.ctx.db.$count(resumeViews, and(eq(resumeViews.seekerId, notChosen.user.id), eq(resumeViews.action, 'share')))).toBe(0);
    expect((await consultant.get(`/admin/applicants?job=${job.id}`)).text).toContain('分享记录');
  });

  it('refuses an applicant not shortlisted, an empty choice and a landline contact, sending and logging nothing', async () => {
    const { job } = await insertClientJob(t.ctx, consultantId, { contactPhone: '13500135000' });
    const fresh = await applicant(t, job.id, { realName: '新投递' });
    const refused = await consultant.post(`/admin/client-jobs/${job.id}/share`, { ids: String(fresh.applicationId) });
    expect(refused.status).toBe(303);
    expect((await consultant.get(`/admin/applicants?job=${job.id}`)).text).toContain('只能分享“初筛通过”的求职者');
    expect((await consultant.post(`/admin/client-jobs/${job.id}/share`, {})).status).toBe(303);
    expect(await lastMessageTo(t, '13500135000', 'shortlist_share')).toBeUndefined();

    const landline = await insertClientJob(t.ctx, consultantId, { contactPhone: '075588828155' });
    const picked = await applicant(t, landline.job.id, { realName: '座机' });
    await consultant.post(`/admin/applicants/${picked.applicationId}/status`, { status: 'shortlisted' });
    await consultant.post(`/admin/client-jobs/${landline.job.id}/share`, { ids: String(picked.applicationId) });
    expect((await consultant.get(`/admin/applicants?job=${landline.job.id}`)).text).toContain('不是手机号');
    expect(await t.ctx.db.$count(shortlistShares, eq(shortlistShares.jobId, landline.job.id))).toBe(0);
    expect(await t.ctx.db.$count(resumeViews, and(eq(resumeViews.seekerId, picked.user.id), eq(resumeViews.action, 'share')))).toBe(0);

    // Another job's application cannot be slipped into this job's share.
    const { job: other } = await insertClientJob(t.ctx, consultantId);
    expect((await consultant.post(`/admin/client-jobs/${other.id}/share`, { ids: String(picked.applicationId) })).status).toBe(404);
    expect(await t.ctx.db.$count(shortlistShares, eq(shortlistShares.jobId, other.id))).toBe(0);
  });
});
