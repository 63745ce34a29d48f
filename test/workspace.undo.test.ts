// Undo of the last status change (issue 18): within 10 minutes, by the employer who made it, back to the status
// before, without telling the seeker twice (an unread message is withdrawn; a read one gets one correction).
import { and, desc, eq, sql } from 'drizzle-orm';
import { applicationEvents, applications, notifications } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { applicant, employerWithJobs } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function statusOf(id: number) {
  const [row] = await t.ctx.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id));
  return row!.status;
}

async function statusMessages(userId: number) {
  return t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, 'application.status'))).orderBy(notifications.id);
}

/** Moves the application's last event back in time, as if the change was made `minutes` ago. */
async function ageLastEvent(applicationId: number, minutes: number) {
  const [last] = await t.ctx.db.select({ id: applicationEvents.id }).from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(desc(applicationEvents.id)).limit(1);
  await t.ctx.db.update(applicationEvents).set({ createdAt: sql`now() - make_interval(mins => ${minutes})` }).where(eq(applicationEvents.id, last!.id));
}

describe('undo of the last status change', () => {
  it('restores the status, and the seeker never sees the unread message of the undone change', async () => {
    const employer = await employerWithJobs(t);
    const seeker = await applicant(t, employer.jobs[0]!.id, { realName: '撤销测试甲' });
    const id = seeker.applicationId;
    expect((await employer.client.post(`/employer/applications/${id}/status`, { status: 'rejected' })).status).toBe(303);
    expect(await statusOf(id)).toBe('rejected');
    expect(await statusMessages(seeker.user.id)).toHaveLength(1);

    const page = await employer.client.get(`/employer/applications/${id}`);
    expect(page.text).toContain(`action="/employer/applications/${id}/undo"`);
    const inbox = await employer.client.get('/employer/applicants');
    expect(inbox.text).toContain(`formaction="/employer/applications/${id}/undo"`);

    const res = await employer.client.post(`/employer/applications/${id}/undo`, { next: '/employer/applicants' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/employer/applicants');
    expect(await statusOf(id)).toBe('new');
    expect(await statusMessages(seeker.user.id)).toHaveLength(0);
    const events = await t.ctx.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(applicationEvents.id);
    expect(events.map((e) => e.toStatus)).toEqual(['new', 'rejected', 'new']);
    expect(events[2]!.undoOf).toBe(events[1]!.id);
    // An undo is not undone, and there is no button for it.
    expect((await employer.client.post(`/employer/applications/${id}/undo`, {})).status).toBe(409);
    expect((await employer.client.get(`/employer/applications/${id}`)).text).not.toContain(`/employer/applications/${id}/undo`);
    // The rules apply again from the restored status.
    expect((await employer.client.post(`/employer/applications/${id}/status`, { status: 'shortlisted' })).status).toBe(303);
  });

  it('a message the seeker has read is followed by exactly one correction', async () => {
    const employer = await employerWithJobs(t);
    const seeker = await applicant(t, employer.jobs[0]!.id, { realName: '撤销测试乙' });
    const id = seeker.applicationId;
    await employer.client.post(`/employer/applications/${id}/status`, { status: 'shortlisted' });
    await t.ctx.db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.userId, seeker.user.id));
    expect((await employer.client.post(`/employer/applications/${id}/undo`, {})).status).toBe(303);
    const messages = await statusMessages(seeker.user.id);
    expect(messages.map((m) => m.title)).toEqual([expect.stringContaining('初筛通过'), expect.stringContaining('状态已更正为:已投递')]);
  });

  it('refuses after 10 minutes, after the seeker withdrew, and for another employer (404)', async () => {
    const employer = await employerWithJobs(t);
    const other = await employerWithJobs(t, 1, '深圳市别家撤销有限公司');
    const late = await applicant(t, employer.jobs[0]!.id, { realName: '撤销测试丙' });
    await employer.client.post(`/employer/applications/${late.applicationId}/status`, { status: 'shortlisted' });
    await ageLastEvent(late.applicationId, 11);
    const tooLate = await employer.client.post(`/employer/applications/${late.applicationId}/undo`, {});
    expect(tooLate.status).toBe(409);
    expect(tooLate.text).toContain('10 分钟内');
    expect(await statusOf(late.applicationId)).toBe('shortlisted');

    const gone = await applicant(t, employer.jobs[0]!.id, { realName: '撤销测试丁' });
    await employer.client.post(`/employer/applications/${gone.applicationId}/status`, { status: 'shortlisted' });
    expect((await gone.client.post(`/me/applications/${gone.applicationId}/withdraw`, {})).status).toBe(303);
    expect((await employer.client.post(`/employer/applications/${gone.applicationId}/undo`, {})).status).toBe(409);
    expect(await statusOf(gone.applicationId)).toBe('withdrawn');

    const theirs = await applicant(t, employer.jobs[0]!.id, { realName: '撤销测试戊' });
    await employer.client.post(`/employer/applications/${theirs.applicationId}/status`, { status: 'rejected' });
    expect((await other.client.post(`/employer/applications/${theirs.applicationId}/undo`, {})).status).toBe(404);
    expect(await statusOf(theirs.applicationId)).toBe('rejected');
  });

  it('undoes each row of a bulk change from the inbox', async () => {
    const employer = await employerWithJobs(t);
    const a = await applicant(t, employer.jobs[0]!.id, { realName: '批量撤销甲' });
    const b = await applicant(t, employer.jobs[0]!.id, { realName: '批量撤销乙' });
    await employer.client.post('/employer/applicants/bulk', { ids: [String(a.applicationId), String(b.applicationId)], status: 'rejected' });
    expect(await statusOf(a.applicationId)).toBe('rejected');
    await employer.client.post(`/employer/applications/${a.applicationId}/undo`, { next: '/employer/applicants' });
    expect(await statusOf(a.applicationId)).toBe('new');
    expect(await statusOf(b.applicationId)).toBe('rejected');
    expect(await statusMessages(a.user.id)).toHaveLength(0);
    expect(await statusMessages(b.user.id)).toHaveLength(1);
  });
});
