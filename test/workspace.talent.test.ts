// The talent pool: seekers opt in (off by default, off again hides them at once); only verified employers search,
// and see no name, phone or photo; every profile view is logged for the seeker; invitations to apply are one per
// seeker per job and 50 a day; the name and phone come only with the application the seeker then sends.
import { eq } from 'drizzle-orm';
import { employerProfiles, notifications, resumeViews, talentInvitations } from '../src/db/schema';
import { saveSeekerProfile } from '../src/features/seekers/seekers.service';
import { TALENT_INVITES_PER_DAY } from '../src/features/workspace/talent.service';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { insertPublishedJob } from './helpers/jobFixtures';
import { employerWithJobs, type Person } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function verify(employerId: number) {
  await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employerId));
}

async function pooledSeeker(profile: { realName: string; gender: 'male' | 'female'; district: string; intro?: string }): Promise<Person> {
  const seeker = await signedIn(t, 'seeker');
  await saveSeekerProfile(t.ctx.db, seeker.user.id, { birthYear: 1996, intro: profile.intro ?? '', desiredTypes: ['temp'], ...profile });
  return seeker;
}

function talentIds(html: string): number[] {
  return [...html.matchAll(/id="talent-(\d+)"/g)].map((m) => Number(m[1]));
}

describe('the talent pool', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let wang: Person;
  let zhou: Person;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 2, '深圳市人才库电子有限公司');
    await verify(employer.user.id);
    wang = await pooledSeeker({ realName: '王大锤', gender: 'male', district: '宝安区', intro: '有叉车证,会开电动叉车' });
    zhou = await pooledSeeker({ realName: '周芳', gender: 'female', district: '龙华区' });
  });

  it('is off by default: a seeker who never opted in is never found', async () => {
    const res = await employer.client.get('/employer/talent');
    expect(res.status).toBe(200);
    expect(talentIds(res.text)).toEqual([]);
    expect((await wang.client.get('/me/talent')).text).toContain('未公开');
  });

  it('opted-in seekers are found by district, job type and keyword, with no name or phone', async () => {
    await wang.client.post('/me/talent', { optIn: 'yes' });
    await zhou.client.post('/me/talent', { optIn: 'yes' });
    const all = await employer.client.get('/employer/talent');
    expect(talentIds(all.text).sort()).toEqual([wang.user.id, zhou.user.id].sort());
    expect(all.text).toContain('王先生');
    expect(all.text).toContain('周女士');
    for (const secret of ['王大锤', '周芳', wang.user.login, zhou.user.login]) expect(all.text).not.toContain(secret);
    expect(talentIds((await employer.client.get('/employer/talent?district=龙华区')).text)).toEqual([zhou.user.id]);
    expect(talentIds((await employer.client.get('/employer/talent?q=叉车')).text)).toEqual([wang.user.id]);
    expect(talentIds((await employer.client.get('/employer/talent?type=fulltime')).text)).toEqual([]);
  });

  it('a profile view shows no contact data and is logged in the seeker’s 谁看过我的简历', async () => {
    const res = await employer.client.get(`/employer/talent/${wang.user.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('王先生');
    expect(res.text).not.toContain('王大锤');
    expect(res.text).not.toContain(wang.user.login);
    const views = await t.ctx.db.select().from(resumeViews).where(eq(resumeViews.seekerId, wang.user.id));
    expect(views.map((v) => v.action)).toEqual(['talent_view']);
    expect((await wang.client.get('/me/resume-views')).text).toContain('深圳市人才库电子有限公司');
  });

  it('an unverified employer, a seeker and a visitor cannot search', async () => {
    const unverified = await employerWithJobs(t, 1, '深圳市未认证有限公司');
    const res = await unverified.client.get('/employer/talent');
    expect(res.status).toBe(403);
    expect(res.text).toContain('人才库仅向已认证的企业开放');
    expect((await unverified.client.get(`/employer/talent/${wang.user.id}`)).status).toBe(403);
    expect((await wang.client.get('/employer/talent')).status).toBe(403);
    expect((await t.client().get('/employer/talent')).status).toBe(302);
  });

  it('an invitation tells the seeker (apply in one tap); a second one to the same job is refused; the phone comes only with the application', async () => {
    const job = employer.jobs[0]!;
    const res = await employer.client.post(`/employer/talent/${wang.user.id}/invite`, { jobId: String(job.id) });
    expect(res.status).toBe(303);
    const [told] = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, wang.user.id));
    expect(told).toMatchObject({ kind: 'talent.invited', link: `/jobs/${job.id}/apply` });
    expect((await wang.client.get('/me/talent')).text).toContain(`href="/jobs/${job.id}/apply"`);
    const again = await employer.client.post(`/employer/talent/${wang.user.id}/invite`, { jobId: String(job.id) });
    expect(again.status).toBe(409);
    expect(again.text).toContain('已经邀请过这位求职者投递这个职位');
    // Another employer's job, or a job id that is not an open job of this employer: refused.
    const other = await employerWithJobs(t, 1, '深圳市别家人才有限公司');
    expect((await employer.client.post(`/employer/talent/${wang.user.id}/invite`, { jobId: String(other.jobs[0]!.id) })).status).toBe(409);
    expect(await t.ctx.db.$count(talentInvitations, eq(talentInvitations.seekerId, wang.user.id))).toBe(1);
    // Still nothing but the pool card until the seeker applies.
    expect((await employer.client.get(`/employer/talent/${wang.user.id}`)).text).not.toContain(wang.user.login);
  });

  it('opting out hides the seeker at once, also from a profile link and an invitation', async () => {
    await zhou.client.post('/me/talent', { optIn: 'no' });
    expect(talentIds((await employer.client.get('/employer/talent')).text)).toEqual([wang.user.id]);
    expect((await employer.client.get(`/employer/talent/${zhou.user.id}`)).status).toBe(404);
    expect((await employer.client.post(`/employer/talent/${zhou.user.id}/invite`, { jobId: String(employer.jobs[0]!.id) })).status).toBe(404);
  });

  it(`at most ${TALENT_INVITES_PER_DAY} invitations a day per employer`, async () => {
    const busy = await employerWithJobs(t, 1, '深圳市邀请很多有限公司');
    await verify(busy.user.id);
    const jobs = [busy.jobs[0]!];
    while (jobs.length <= TALENT_INVITES_PER_DAY) jobs.push(await insertPublishedJob(t.ctx, busy.user.id));
    // 50 invitations already today (into the table: the limit is what is tested), one per job.
    await t.ctx.db.insert(talentInvitations).values(jobs.slice(0, TALENT_INVITES_PER_DAY).map((j) => ({ employerId: busy.user.id, seekerId: wang.user.id, jobId: j.id })));
    const res = await busy.client.post(`/employer/talent/${wang.user.id}/invite`, { jobId: String(jobs[TALENT_INVITES_PER_DAY]!.id) });
    expect(res.status).toBe(429);
    expect(res.text).toContain(`每天最多发出 ${TALENT_INVITES_PER_DAY} 个投递邀请`);
    expect(await t.ctx.db.$count(talentInvitations, eq(talentInvitations.employerId, busy.user.id))).toBe(TALENT_INVITES_PER_DAY);
    // Yesterday's do not count.
    await t.ctx.db.update(talentInvitations).set({ createdAt: new Date(Date.now() - 2 * 86_400_000) }).where(eq(talentInvitations.employerId, busy.user.id));
    expect((await busy.client.post(`/employer/talent/${wang.user.id}/invite`, { jobId: String(jobs[TALENT_INVITES_PER_DAY]!.id) })).status).toBe(303);
  });
});
