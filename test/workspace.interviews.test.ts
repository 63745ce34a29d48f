// Interviews: the employer invites (time, place, contact, note); the seeker is told in the site inbox and by SMS
// through the message channel, answers at /me/interviews (accept, decline, ask for another time), gets an .ics
// file and a reminder 2 hours before; the employer sees each answer, and 待确认 once the time has passed.
import { and, eq } from 'drizzle-orm';
import { applications, interviews, messages, notifications } from '../src/db/schema';
import { maintenanceTasks } from '../src/maintenance';
import { dateIso } from '../src/web/format';
import { createTestApp, type TestApp } from './helpers/app';
import { lastMessageTo } from './helpers/codes';
import { signedIn, TEST_PASSWORD } from './helpers/factories';
import { fieldError } from './helpers/html';
import { applicant, employerWithJobs } from './helpers/workspace';

let clock = new Date();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(() => t.close());

const tomorrow = () => dateIso(new Date(Date.now() + 86_400_000));
/** Tomorrow 10:00 in Shanghai. */
const tomorrowTen = () => new Date(`${tomorrow()}T10:00:00+08:00`);

function invitation(overrides: Record<string, string> = {}) {
  return { date: tomorrow(), time: '10:00', mode: 'onsite', place: '宝安区西乡街道固戍一路 8 号 3 楼', contactName: '李经理', contactPhone: '0755-88828155', note: '请带身份证', ...overrides };
}

async function interviewsOf(applicationId: number) {
  return t.ctx.db.select().from(interviews).where(eq(interviews.applicationId, applicationId));
}

async function notificationsOf(userId: number, kind: string) {
  return t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));
}

describe('interviews', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let seeker: Awaited<ReturnType<typeof applicant>>;
  let interviewId: number;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 1, '深圳市面试电子有限公司');
    seeker = await applicant(t, employer.jobs[0]!.id, { realName: '孙面试' });
  });
  afterEach(() => {
    clock = new Date();
  });

  it('the invitation form starts with the company contact and the job address', async () => {
    const res = await employer.client.get(`/employer/applications/${seeker.applicationId}/interview`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(employer.jobs[0]!.address);
  });

  it('bad input is a 422 beside each field, nothing sent', async () => {
    const res = await employer.client.post(`/employer/applications/${seeker.applicationId}/interview`, invitation({ date: '', time: '25:00', place: '', contactPhone: '123' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'date')).toBe('请选择面试日期');
    expect(fieldError(res.text, 'time')).toContain('请选择面试时间');
    expect(fieldError(res.text, 'place')).toBe('现场面试请填写地址');
    expect(fieldError(res.text, 'contactPhone')).toContain('请填写正确的联系电话');
    const past = await employer.client.post(`/employer/applications/${seeker.applicationId}/interview`, invitation({ date: '2020-01-01' }));
    expect(past.status).toBe(422);
    expect(fieldError(past.text, 'date')).toBe('面试时间必须晚于现在');
    expect(await interviewsOf(seeker.applicationId)).toHaveLength(0);
    expect(await notificationsOf(seeker.user.id, 'interview.invited')).toHaveLength(0);
  });

  it('inviting stores the interview and tells the seeker in the inbox and by SMS, with a link to /me/interviews', async () => {
    const res = await employer.client.post(`/employer/applications/${seeker.applicationId}/interview`, invitation());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/employer/applications/${seeker.applicationId}#interviews`);
    const [row] = await interviewsOf(seeker.applicationId);
    expect(row).toMatchObject({ mode: 'onsite', contactName: '李经理', contactPhone: '075588828155', status: 'invited', note: '请带身份证' });
    expect(row!.startsAt.toISOString()).toBe(tomorrowTen().toISOString());
    interviewId = row!.id;

    const [note] = await notificationsOf(seeker.user.id, 'interview.invited');
    expect(note).toMatchObject({ link: '/me/interviews', title: `「深圳市面试电子有限公司」邀请你面试:${employer.jobs[0]!.title}` });
    const sms = await lastMessageTo(t, seeker.user.login, 'interview_invitation');
    expect(sms).toBeDefined();
    expect(sms!.channel).toBe('sms');
    expect(sms!.body).toContain(`${tomorrow()} 10:00`);
    expect(sms!.body).toContain('宝安区西乡街道固戍一路 8 号 3 楼');

    const page = await employer.client.get(`/employer/applications/${seeker.applicationId}`);
    expect(page.text).toMatch(new RegExp(`id="interview-${interviewId}"[\\s\\S]*待回复`));
  });

  it('another employer cannot invite, and cannot record an outcome: 404, nothing stored', async () => {
    const other = await employerWithJobs(t, 1, '深圳市别家面试有限公司');
    expect((await other.client.post(`/employer/applications/${seeker.applicationId}/interview`, invitation())).status).toBe(404);
    expect((await other.client.get(`/employer/applications/${seeker.applicationId}/interview`)).status).toBe(404);
    expect((await other.client.post(`/employer/interviews/${interviewId}/outcome`, { outcome: 'held' })).status).toBe(404);
    expect(await interviewsOf(seeker.applicationId)).toHaveLength(1);
  });

  it('the seeker sees it at /me/interviews, gets the .ics file, and nobody else can', async () => {
    const page = await seeker.client.get('/me/interviews');
    expect(page.status).toBe(200);
    expect(page.text).toContain('宝安区西乡街道固戍一路 8 号 3 楼');
    expect(page.text).toContain(`/me/interviews/${interviewId}.ics`);

    const ics = await seeker.client.get(`/me/interviews/${interviewId}.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const text = ics.text.replace(/\r\n /g, '');
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).toContain(`DTSTART:${tomorrowTen().toISOString().replace(/[-:]/g, '').replace('.000', '')}`);
    expect(text).toContain('LOCATION:宝安区西乡街道固戍一路 8 号 3 楼');
    expect(text).toContain('TRIGGER:-PT2H');
    for (const line of ics.text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const otherSeeker = await signedIn(t, 'seeker');
    expect((await otherSeeker.client.get(`/me/interviews/${interviewId}.ics`)).status).toBe(404);
    expect((await otherSeeker.client.post(`/me/interviews/${interviewId}/answer`, { answer: 'declined' })).status).toBe(404);
    expect((await otherSeeker.client.get('/me/interviews')).text).not.toContain('宝安区西乡街道固戍一路 8 号 3 楼');
  });

  it('asking for another time needs a message (422), nothing changes', async () => {
    const res = await seeker.client.post(`/me/interviews/${interviewId}/answer`, { answer: 'reschedule', reply: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('希望改期时,请写下你方便的时间');
    expect((await interviewsOf(seeker.applicationId))[0]!.status).toBe('invited');
  });

  it('the seeker accepts with a short message; the employer is told and sees the answer; a second answer is refused', async () => {
    const res = await seeker.client.post(`/me/interviews/${interviewId}/answer`, { answer: 'accepted', reply: '准时到' });
    expect(res.status).toBe(303);
    const [row] = await interviewsOf(seeker.applicationId);
    expect(row).toMatchObject({ status: 'accepted', reply: '准时到' });
    expect(row!.answeredAt).toBeInstanceOf(Date);
    const [told] = await notificationsOf(employer.user.id, 'interview.answered');
    expect(told).toMatchObject({ title: `孙面试已接受面试邀请:${employer.jobs[0]!.title}`, body: '准时到', link: `/employer/applications/${seeker.applicationId}#interviews` });
    const inbox = await employer.client.get('/employer/applicants');
    expect(inbox.text).toContain('面试已接受');
    const page = await employer.client.get(`/employer/applications/${seeker.applicationId}`);
    expect(page.text).toContain('已接受');
    expect(page.text).toContain('准时到');
    expect((await seeker.client.post(`/me/interviews/${interviewId}/answer`, { answer: 'declined' })).status).toBe(409);
  });

  it('the reminder goes 2 hours before, once, in the inbox and by SMS', async () => {
    const task = maintenanceTasks().find((m) => m.name === 'interview-reminders')!;
    clock = new Date(tomorrowTen().getTime() - 3 * 3600_000);
    expect(await task.run(t.ctx)).toBe(0);
    clock = new Date(tomorrowTen().getTime() - 90 * 60_000);
    expect(await task.run(t.ctx)).toBe(1);
    expect(await task.run(t.ctx)).toBe(0);
    expect(await notificationsOf(seeker.user.id, 'interview.reminder')).toHaveLength(1);
    const sms = await t.ctx.db.select().from(messages).where(and(eq(messages.kind, 'interview_reminder'), eq(messages.userId, seeker.user.id)));
    expect(sms).toHaveLength(1);
  });

  it('past its time and not marked, the employer sees 待确认, then marks it held', async () => {
    clock = new Date(tomorrowTen().getTime() + 3600_000);
    const page = await employer.client.get(`/employer/applications/${seeker.applicationId}`);
    expect(page.text).toMatch(new RegExp(`id="interview-${interviewId}"[\\s\\S]*?待确认`));
    const res = await employer.client.post(`/employer/interviews/${interviewId}/outcome`, { outcome: 'held' });
    expect(res.status).toBe(303);
    expect((await interviewsOf(seeker.applicationId))[0]!.status).toBe('held');
  });

  it('an application that is no longer open cannot be invited (409)', async () => {
    const gone = await applicant(t, employer.jobs[0]!.id);
    await t.ctx.db.update(applications).set({ status: 'rejected' }).where(eq(applications.id, gone.applicationId));
    const res = await employer.client.post(`/employer/applications/${gone.applicationId}/interview`, invitation());
    expect(res.status).toBe(409);
    expect(res.text).toContain('该投递已结束,不能再邀请面试');
    expect(await interviewsOf(gone.applicationId)).toHaveLength(0);
  });

  it('when the seeker deletes the account, their interview replies go with it', async () => {
    expect((await interviewsOf(seeker.applicationId))[0]!.reply).toBe('准时到');
    const res = await seeker.client.post('/me/delete', { password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect((await interviewsOf(seeker.applicationId))[0]!.reply).toBe('');
  });
});
