// Admins: the review queue (approve, reject with a reason, bulk approve) and the report queue
// (take down, dismiss); each action audited with before/after and the employer told.
import { and, desc, eq, sql } from 'drizzle-orm';
import { auditLog, jobReports, jobs, notifications } from '../src/db/schema';
import { DEFAULT_REJECTION_TEMPLATES } from '../src/features/site/settings.schema';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
let admin: TestClient;
let adminId: number;
let employer: TestClient;
let employerId: number;

beforeAll(async () => {
  t = await createTestApp();
  const a = await signedIn(t, 'admin');
  admin = a.client;
  adminId = a.user.id;
  const e = await signedIn(t, 'employer');
  employer = e.client;
  employerId = e.user.id;
  await makeProfile(t.ctx, employerId, '审核测试有限公司');
});
afterAll(() => t.close());

async function jobOf(id: number) {
  const [row] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

async function auditFor(action: string, targetId: number | string) {
  return t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, String(targetId))))
    .orderBy(desc(auditLog.id));
}

async function notesOf(userId: number) {
  return t.ctx.db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.id));
}

describe('the review queue', () => {
  it('lists pending jobs oldest first, with the admin sub-navigation', async () => {
    const newer = await makeJob(t.ctx, employerId, { title: '后提交的职位' }, 'pending');
    await t.ctx.db.update(jobs).set({ submittedAt: new Date(Date.now() - 60_000) }).where(eq(jobs.id, newer));
    const older = await makeJob(t.ctx, employerId, { title: '先提交的职位' }, 'pending');
    await t.ctx.db.update(jobs).set({ submittedAt: new Date(Date.now() - 3_600_000) }).where(eq(jobs.id, older));
    const res = await admin.get('/admin/jobs');
    expect(res.status).toBe(200);
    expect(res.text.indexOf('先提交的职位')).toBeLessThan(res.text.indexOf('后提交的职位'));
    for (const [href, label] of [['/admin', '概览'], ['/admin/jobs', '职位审核'], ['/admin/reports', '举报'], ['/admin/employers', '企业'], ['/admin/users', '用户'], ['/admin/news', '资讯'], ['/admin/settings', '设置'], ['/admin/audit', '日志']]) {
      expect(res.text).toContain(`<a href="${href}"`);
      expect(res.text).toContain(`>${label}</a>`);
    }
    expect(res.text).toContain('<a href="/admin/jobs" aria-current="page">职位审核</a>');
    await admin.post(`/admin/jobs/${newer}/approve`);
    await admin.post(`/admin/jobs/${older}/approve`);
  });

  it('previews a job with its company and the rejection templates', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '预览中的职位', requirements: '限女性' }, 'pending');
    const res = await admin.get(`/admin/jobs/${id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('预览中的职位');
    expect(res.text).toContain('审核测试有限公司');
    expect(res.text).toContain('<mark class="flag-word">限女性</mark>');
    expect(res.text).toContain(DEFAULT_REJECTION_TEMPLATES[0]);
    expect(res.text).toContain(`action="/admin/jobs/${id}/approve"`);
    expect((await admin.get('/admin/jobs/999999')).status).toBe(404);
  });

  it('approves: the job is published, audited with before/after, and the employer told', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '待通过的职位' }, 'pending');
    const res = await admin.post(`/admin/jobs/${id}/approve`);
    expect(res.status).toBe(303);
    const job = await jobOf(id);
    expect(job.status).toBe('published');
    expect(job.publishedAt).not.toBeNull();
    const [entry] = await auditFor('job.approve', id);
    expect(entry).toMatchObject({ actorId: adminId, targetType: 'job', before: expect.objectContaining({ status: 'pending' }), after: expect.objectContaining({ status: 'published' }) });
    const [note] = await notesOf(employerId);
    expect(note).toMatchObject({ kind: 'job.approved', title: '职位「待通过的职位」已通过审核', link: `/jobs/${id}` });
    expect(jobIdsIn((await t.client().get('/jobs')).text)).toContain(id);
  });

  it('rejects with a template or a typed reason; the employer is told and sees the reason', async () => {
    const a = await makeJob(t.ctx, employerId, { title: '模板驳回的职位' }, 'pending');
    const b = await makeJob(t.ctx, employerId, { title: '手写驳回的职位' }, 'pending');
    expect((await admin.post(`/admin/jobs/${a}/reject`, { template: DEFAULT_REJECTION_TEMPLATES[1]!, reason: '' })).status).toBe(303);
    expect((await admin.post(`/admin/jobs/${b}/reject`, { template: DEFAULT_REJECTION_TEMPLATES[1]!, reason: '工作地点写得不清楚,请写到门牌号' })).status).toBe(303);
    expect(await jobOf(a)).toMatchObject({ status: 'rejected', rejectReason: DEFAULT_REJECTION_TEMPLATES[1] });
    expect(await jobOf(b)).toMatchObject({ status: 'rejected', rejectReason: '工作地点写得不清楚,请写到门牌号' });
    const [entry] = await auditFor('job.reject', b);
    expect(entry!.before).toMatchObject({ status: 'pending', rejectReason: null });
    expect(entry!.after).toMatchObject({ status: 'rejected', rejectReason: '工作地点写得不清楚,请写到门牌号' });
    const [note] = await notesOf(employerId);
    expect(note).toMatchObject({ kind: 'job.rejected', title: '职位「手写驳回的职位」未通过审核' });
    expect(note!.body).toContain('工作地点写得不清楚,请写到门牌号');
    const list = await employer.get('/employer/jobs?status=rejected');
    expect(list.text).toContain('工作地点写得不清楚,请写到门牌号');
    expect(list.text).toContain(DEFAULT_REJECTION_TEMPLATES[1]!);
  });

  it('does not reject without a reason', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '没有原因的驳回' }, 'pending');
    const res = await admin.post(`/admin/jobs/${id}/reject`, { template: '', reason: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/jobs/${id}`);
    expect((await admin.get(res.headers.location!)).text).toContain('请选择或填写不通过的原因');
    expect((await jobOf(id)).status).toBe('pending');
    expect(await auditFor('job.reject', id)).toHaveLength(0);
  });

  it('bulk approves the ticked jobs, skipping flagged ones and ones no longer pending', async () => {
    const a = await makeJob(t.ctx, employerId, { title: '批量一' }, 'pending');
    const b = await makeJob(t.ctx, employerId, { title: '批量二' }, 'pending');
    const flagged = await makeJob(t.ctx, employerId, { title: '批量三 敏感', requirements: '只招男' }, 'pending');
    const draft = await makeJob(t.ctx, employerId, { title: '批量四 草稿' }, 'draft');
    const res = await admin.post('/admin/jobs/bulk-approve', { ids: [String(a), String(b), String(flagged), String(draft), 'abc'] });
    expect(res.status).toBe(303);
    expect((await admin.get('/admin/jobs')).text).toContain('已通过 2 个职位;2 个未处理');
    expect((await jobOf(a)).status).toBe('published');
    expect((await jobOf(b)).status).toBe('published');
    expect((await jobOf(flagged)).status).toBe('pending');
    expect((await jobOf(draft)).status).toBe('draft');
    expect(await auditFor('job.approve', a)).toHaveLength(1);
    expect(await auditFor('job.approve', b)).toHaveLength(1);
    expect(await auditFor('job.approve', flagged)).toHaveLength(0);
    const none = await admin.post('/admin/jobs/bulk-approve', {});
    expect((await admin.get(none.headers.location!)).text).toContain('请先勾选要通过的职位');
  });

  it('bulk approves a full review page: 200 ticked jobs and the token pass the form-field limit (was 413)', async () => {
    const first = await makeJob(t.ctx, employerId, { title: '整页批量 1' }, 'pending');
    // 199 more pending jobs like the first, copied in one statement.
    await t.ctx.db.execute(sql`insert into jobs (employer_id, title, type, category, city, district, address, pay_min, pay_unit, pay_daily, settlement,
        headcount, requirements, description, contact_name, contact_phone, fee_attested, status, valid_until, submitted_at, search_text)
      select employer_id, title || ' 副本' || n, type, category, city, district, address, pay_min, pay_unit, pay_daily, settlement,
        headcount, requirements, description, contact_name, contact_phone, fee_attested, status, valid_until, submitted_at, search_text
      from jobs, generate_series(2, 200) n where id = ${first}`);
    const page = await admin.get('/admin/jobs?status=pending');
    const ids = [...page.text.matchAll(/name="ids" value="(\d+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBe(200);
    const res = await admin.post('/admin/jobs/bulk-approve', { ids });
    expect(res.status).toBe(303);
    // Jobs left pending by the tests above (a flagged one) are on the page too and are skipped as before.
    const approved = Number(/已通过 (\d+) 个职位/.exec((await admin.get('/admin/jobs')).text)?.[1]);
    expect(approved).toBeGreaterThanOrEqual(195);
    expect((await jobOf(first)).status).toBe('published');
  });

  it('is for admins only', async () => {
    const id = await makeJob(t.ctx, employerId, {}, 'pending');
    expect((await employer.post(`/admin/jobs/${id}/approve`)).status).toBe(403);
    expect((await (await signedIn(t, 'seeker')).client.post('/admin/jobs/bulk-approve', { ids: String(id) })).status).toBe(403);
    expect((await jobOf(id)).status).toBe('pending');
  });
});

describe('the report queue', () => {
  async function report(jobId: number, reason: string, text = '') {
    const { client } = await signedIn(t, 'seeker');
    const res = await client.post(`/jobs/${jobId}/report`, { reason, text });
    expect(res.status).toBe(303);
  }

  it('lists open reports with the job, reason, text, masked reporter and count per job', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '被举报两次的职位' });
    await report(id, 'fee', '要求先交服装费 200 元');
    await report(id, 'fake_pay');
    const res = await admin.get('/admin/reports');
    expect(res.status).toBe(200);
    expect(res.text).toContain('被举报两次的职位');
    expect(res.text).toContain('被举报 2 次');
    expect(res.text).toContain('收取费用');
    expect(res.text).toContain('虚假待遇');
    expect(res.text).toContain('要求先交服装费 200 元');
    expect(res.text).toMatch(/举报人 139\*{4}\d{4}/);
    expect(res.text).not.toMatch(/举报人 139\d{8}/);
  });

  it('takes the job down: closed with the reason, reports upheld, audited, employer and reporters told', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '要被下架的职位' });
    await report(id, 'scam', '让我刷单');
    await report(id, 'fee');
    const [first] = await t.ctx.db.select().from(jobReports).where(eq(jobReports.jobId, id)).orderBy(jobReports.id);
    const res = await admin.post(`/admin/reports/${first!.id}/uphold`, { resolution: '经核实要求求职者刷单' });
    expect(res.status).toBe(303);
    expect((await admin.get('/admin/reports')).text).toContain('职位已下架,2 条举报已处理');
    expect(await jobOf(id)).toMatchObject({ status: 'closed', rejectReason: '经核实要求求职者刷单' });
    const reports = await t.ctx.db.select().from(jobReports).where(eq(jobReports.jobId, id));
    expect(reports.map((r) => r.status)).toEqual(['upheld', 'upheld']);
    expect(reports[0]).toMatchObject({ resolution: '经核实要求求职者刷单', resolvedBy: adminId });
    expect(reports[0]!.resolvedAt).not.toBeNull();
    const [entry] = await auditFor('report.uphold', id);
    expect(entry).toMatchObject({ actorId: adminId, before: expect.objectContaining({ status: 'published' }), after: expect.objectContaining({ status: 'closed', reportStatus: 'upheld' }) });
    const [note] = await notesOf(employerId);
    expect(note).toMatchObject({ kind: 'job.taken_down', title: '职位「要被下架的职位」已被下架' });
    expect(note!.body).toContain('经核实要求求职者刷单');
    // A taken-down job is gone from the public, and its employer sees why.
    expect((await t.client().get(`/jobs/${id}`)).status).toBe(404);
    expect((await employer.get('/employer/jobs?status=closed')).text).toContain('下架原因:</strong>经核实要求求职者刷单');
    const reporterNotes = await t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'report.resolved'));
    expect(reporterNotes.length).toBeGreaterThanOrEqual(2);
    // Handled reports cannot be handled again.
    expect((await admin.post(`/admin/reports/${first!.id}/dismiss`, { resolution: '' })).status).toBe(409);
  });

  it('dismisses a report: the job stays, the outcome is recorded and audited', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '被误举报的职位' });
    await report(id, 'other', '看着不像真的');
    const [r] = await t.ctx.db.select().from(jobReports).where(eq(jobReports.jobId, id));
    const res = await admin.post(`/admin/reports/${r!.id}/dismiss`, { resolution: '已电话核实,企业真实' });
    expect(res.status).toBe(303);
    const [after] = await t.ctx.db.select().from(jobReports).where(eq(jobReports.id, r!.id));
    expect(after).toMatchObject({ status: 'dismissed', resolution: '已电话核实,企业真实', resolvedBy: adminId });
    expect((await jobOf(id)).status).toBe('published');
    const [entry] = await auditFor('report.dismiss', r!.id);
    expect(entry).toMatchObject({ targetType: 'report', before: expect.objectContaining({ status: 'open' }), after: { status: 'dismissed', resolution: '已电话核实,企业真实' } });
    expect((await admin.get('/admin/reports')).text).not.toContain('被误举报的职位');
  });

  it('requires a reason to take a job down', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '缺少原因的下架' });
    await report(id, 'fee');
    const [r] = await t.ctx.db.select().from(jobReports).where(eq(jobReports.jobId, id));
    const res = await admin.post(`/admin/reports/${r!.id}/uphold`, { resolution: '' });
    expect((await admin.get(res.headers.location!)).text).toContain('请填写下架原因');
    expect((await jobOf(id)).status).toBe('published');
  });
});

it('other users are refused the queues', async () => {
  const seeker = (await signedIn(t, 'seeker')).client;
  expect((await seeker.get('/admin/reports')).status).toBe(403);
  expect((await t.client().get('/admin/jobs')).status).toBe(302);
});
