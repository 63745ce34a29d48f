// The seeker's area: dashboard, profile form, saved jobs, recently viewed jobs, and the inboxes of both roles.
import { and, eq } from 'drizzle-orm';
import { applications, jobs, jobViews, notifications, savedJobs, seekerProfiles } from '../src/db/schema';
import { notifyUser } from '../src/features/notifications/notifications.service';
import { isJobSaved, recordJobView, RECENT_VIEWS_KEPT } from '../src/features/seekers/seekers.service';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { insertPublishedJob } from './helpers/jobFixtures';
import { insertApplication, insertResume } from './helpers/resumeFixtures';

let t: TestApp;
let employerId: number;
beforeAll(async () => {
  t = await createTestApp();
  employerId = (await makeUser(t.ctx, 'employer')).id;
});
afterAll(() => t.close());

const validProfile = {
  realName: '王小明',
  gender: 'male',
  birthYear: '1990',
  district: '南山区',
  intro: '三年电子厂经验\n会开叉车',
  desiredTypes: ['temp', 'dispatch'],
};

describe('the dashboard', () => {
  it('greets the seeker and shows completeness, counts and recently viewed jobs (ended ones marked)', async () => {
    const { client, user } = await signedIn(t, 'seeker', { displayName: '小明' });
    const empty = await client.get('/me');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('你好,小明');
    // The phone signup verified the phone: one of the seven items is done from the start.
    expect(empty.text).toMatch(/资料完整度 <strong>14%<\/strong>/);
    expect(empty.text).not.toMatch(/还差[^]*>手机号</);
    expect(empty.text).toContain('还没有浏览过职位');

    await client.post('/me/profile', validProfile);
    await insertResume(t.ctx, user.id);
    const open = await insertPublishedJob(t.ctx, employerId, { title: '仓库分拣员日结' });
    const closed = await insertPublishedJob(t.ctx, employerId, { title: '已关闭的保安岗', status: 'closed' });
    const other = await insertPublishedJob(t.ctx, employerId);
    await recordJobView(t.ctx.db, user.id, closed.id);
    await recordJobView(t.ctx.db, user.id, open.id);
    const appId = await insertApplication(t.ctx, user.id, open.id);
    await insertApplication(t.ctx, user.id, other.id);
    await t.ctx.db.update(applications).set({ status: 'shortlisted' }).where(eq(applications.id, appId));
    await t.ctx.db.insert(savedJobs).values({ userId: user.id, jobId: open.id });
    await notifyUser(t.ctx.db, user.id, { kind: 'test', title: '测试消息' });

    const page = await client.get('/me');
    expect(page.text).toMatch(/资料完整度 <strong>100%<\/strong>/);
    expect(page.text).toMatch(/<strong>2<\/strong><span>我的投递<\/span>/);
    expect(page.text).toMatch(/<strong>1<\/strong><span>未读消息<\/span>/);
    expect(page.text).toMatch(/<strong>1<\/strong><span>我的收藏<\/span>/);
    expect(page.text).toMatch(/status-new">已投递<\/span> 1/);
    expect(page.text).toMatch(/status-shortlisted">初筛通过<\/span> 1/);
    // Newest view first; the closed job is marked.
    expect(page.text.indexOf('仓库分拣员日结')).toBeLessThan(page.text.indexOf('已关闭的保安岗'));
    expect(page.text).toMatch(/已关闭的保安岗<\/a> <span class="status status-closed">已结束/);
  });

  it('names what is missing from the profile, with links', async () => {
    const { client } = await signedIn(t, 'seeker');
    const page = await client.get('/me');
    for (const label of ['出生年份', '所在区', '求职意向', '上传简历']) expect(page.text).toContain(label);
    expect(page.text).toContain('<a href="/me/resumes">上传简历</a>');
  });
});

describe('recordJobView', () => {
  it('keeps one row per job, moves its time to now, and keeps only the newest views', async () => {
    const user = await makeUser(t.ctx, 'seeker');
    const job = await insertPublishedJob(t.ctx, employerId);
    await recordJobView(t.ctx.db, user.id, job.id);
    const [first] = await t.ctx.db.select().from(jobViews).where(eq(jobViews.userId, user.id));
    await new Promise((r) => setTimeout(r, 20));
    await recordJobView(t.ctx.db, user.id, job.id);
    const rows = await t.ctx.db.select().from(jobViews).where(eq(jobViews.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.viewedAt.getTime()).toBeGreaterThan(first!.viewedAt.getTime());

    for (let i = 0; i < RECENT_VIEWS_KEPT + 2; i++) await recordJobView(t.ctx.db, user.id, (await insertPublishedJob(t.ctx, employerId)).id);
    expect(await t.ctx.db.$count(jobViews, eq(jobViews.userId, user.id))).toBe(RECENT_VIEWS_KEPT);
    expect(await t.ctx.db.$count(jobViews, and(eq(jobViews.userId, user.id), eq(jobViews.jobId, job.id)))).toBe(0);
  });
});

describe('the profile', () => {
  it('starts from the account’s name, and shows the verified login phone instead of asking for one', async () => {
    const { client, user } = await signedIn(t, 'seeker', { displayName: '李四' });
    const page = await client.get('/me/profile');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="李四"');
    expect(page.text).not.toContain('name="phone"');
    expect(page.text).toContain(`${user.login}</strong> <span class="badge-verified">已验证</span>`);
    expect(page.text).toContain('href="/me/security/phone"');
  });

  it('saves a valid profile, its phone taken from the account whatever the form says, and shows it again', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const res = await client.post('/me/profile', { ...validProfile, phone: '13812345678' });
    expect(res.status).toBe(303);
    const [row] = await t.ctx.db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, user.id));
    expect(row).toMatchObject({ realName: '王小明', gender: 'male', birthYear: 1990, phone: user.login, district: '南山区', desiredTypes: ['temp', 'dispatch'] });
    expect(row!.intro).toBe('三年电子厂经验\n会开叉车');
    // Updating: one checkbox, gender left out.
    await client.post('/me/profile', { ...validProfile, gender: '', desiredTypes: 'parttime' });
    const [updated] = await t.ctx.db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, user.id));
    expect(updated).toMatchObject({ gender: null, desiredTypes: ['parttime'], phone: user.login });
    const page = await client.get('/me/profile');
    expect(page.text).toMatch(/value="parttime" checked/);
  });

  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
  it.each([
    ['no name', { realName: '' }, 'realName', '请输入真实姓名'],
    // The same rule as the online resume's (one set of profile field rules, profileFields.ts).
    ['a name of spaces only', { realName: '   ' }, 'realName', '请输入真实姓名'],
    ['a 21-character name', { realName: '王'.repeat(21) }, 'realName', '姓名不能超过 20 个字'],
    ['a 15-year-old', { birthYear: String(year - 15) }, 'birthYear', '请输入 4 位出生年份'],
    ['a 71-year-old', { birthYear: String(year - 71) }, 'birthYear', '请输入 4 位出生年份'],
    ['a birth year in words', { birthYear: '九零年' }, 'birthYear', '请输入 4 位出生年份'],
    ['a district outside Shenzhen', { district: '朝阳区' }, 'district', '请从列表中选择所在区'],
    ['a 501-character intro', { intro: '好'.repeat(501) }, 'intro', '自我介绍不能超过 500 个字'],
    ['an unknown job type', { desiredTypes: ['temp', 'astronaut'] }, 'desiredTypes', '请从列表中选择求职意向'],
    ['an unknown gender', { gender: 'x' }, 'gender', '请选择男、女或不填'],
  ])('refuses %s with 422, the error beside the field and the values kept', async (_label, change, field, message) => {
    const { client, user } = await signedIn(t, 'seeker');
    const res = await client.post('/me/profile', { ...validProfile, ...change });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="f-${field}-error"`);
    expect(res.text).toContain(message);
    if (field !== 'realName') expect(res.text).toContain('value="王小明"');
    expect(await t.ctx.db.$count(seekerProfiles, eq(seekerProfiles.userId, user.id))).toBe(0);
  });

  it('accepts the edges of the age range (16 and 70)', async () => {
    const { client } = await signedIn(t, 'seeker');
    expect((await client.post('/me/profile', { ...validProfile, birthYear: String(year - 16) })).status).toBe(303);
    expect((await client.post('/me/profile', { ...validProfile, birthYear: String(year - 70) })).status).toBe(303);
  });

  it('shows HTML typed in the intro as text to the employer who receives it', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await client.post('/me/profile', { ...validProfile, intro: '<b onmouseover=alert(1)>hi</b>' });
    await insertResume(t.ctx, user.id);
    const employer = await signedIn(t, 'employer');
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    const appId = await insertApplication(t.ctx, user.id, job.id);
    const page = await employer.client.get(`/employer/applications/${appId}`);
    expect(page.text).toContain('&lt;b onmouseover=alert(1)&gt;hi&lt;/b&gt;');
  });
});

describe('saved jobs', () => {
  it('saves and un-saves a job, returning to the page it was on with a message', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const job = await insertPublishedJob(t.ctx, employerId, { title: '收藏的职位' });
    const res = await client.post(`/jobs/${job.id}/save`, { next: '/me/saved' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me/saved');
    expect(await isJobSaved(t.ctx.db, user.id, job.id)).toBe(true);
    const page = await client.get('/me/saved');
    expect(page.text).toContain('已收藏');
    expect(page.text).toContain('收藏的职位');
    expect(page.text).toContain('aria-pressed="true"');

    const again = await client.post(`/jobs/${job.id}/save`, { next: '//evil.example/x' });
    expect(again.headers.location).toBe(`/jobs/${job.id}`);
    expect(await isJobSaved(t.ctx.db, user.id, job.id)).toBe(false);
    expect((await client.get('/me/saved')).text).toContain('已取消收藏');
  });

  it('lists saved jobs newest first and marks ended ones 已结束, which can still be removed', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const first = await insertPublishedJob(t.ctx, employerId, { title: '先收藏的' });
    const second = await insertPublishedJob(t.ctx, employerId, { title: '后收藏的' });
    await client.post(`/jobs/${first.id}/save`);
    await new Promise((r) => setTimeout(r, 10));
    await client.post(`/jobs/${second.id}/save`);
    await t.ctx.db.update(jobs).set({ status: 'closed' }).where(eq(jobs.id, first.id));
    const page = await client.get('/me/saved');
    expect(page.text.indexOf('后收藏的')).toBeLessThan(page.text.indexOf('先收藏的'));
    expect(page.text).toMatch(/先收藏的<\/a> <span class="status status-closed">已结束/);
    await client.post(`/jobs/${first.id}/save`);
    expect(await isJobSaved(t.ctx.db, user.id, first.id)).toBe(false);
  });

  it('refuses to newly save a job that has ended (the reason shown), and 404s a job never public', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const closed = await insertPublishedJob(t.ctx, employerId, { status: 'closed' });
    const draft = await insertPublishedJob(t.ctx, employerId, { status: 'draft' });
    const res = await client.post(`/jobs/${closed.id}/save`, { next: '/me/saved' });
    expect(res.status).toBe(303);
    expect((await client.get('/me/saved')).text).toContain('该职位已结束招聘,不能收藏');
    expect(await isJobSaved(t.ctx.db, user.id, closed.id)).toBe(false);
    expect((await client.post(`/jobs/${draft.id}/save`)).status).toBe(404);
    expect((await client.post('/jobs/999999/save')).status).toBe(404);
  });

  it('is for seekers only', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const employer = await signedIn(t, 'employer');
    expect((await employer.client.post(`/jobs/${job.id}/save`)).status).toBe(403);
    expect((await t.client().get('/me/saved')).headers.location).toBe('/login?next=%2Fme%2Fsaved');
  });
});

describe('the inbox', () => {
  it('shows the unread count in the header, highlights unread messages once, then marks them read', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    for (let i = 1; i <= 3; i++) await notifyUser(t.ctx.db, user.id, { kind: 'test', title: `消息${i}<b>`, link: '/me/applications' });
    const home = await client.get('/me');
    expect(home.text).toContain('<span class="badge">3</span><span class="visually-hidden"> 条未读</span>');

    const inbox = await client.get('/me/notifications');
    expect(inbox.status).toBe(200);
    expect(inbox.text.match(/class="item unread"/g)).toHaveLength(3);
    expect(inbox.text.indexOf('消息3')).toBeLessThan(inbox.text.indexOf('消息1'));
    expect(inbox.text).toContain('消息1&lt;b&gt;');
    expect(inbox.text).not.toContain('<span class="badge">');

    const again = await client.get('/me/notifications');
    expect(again.text).not.toContain('class="item unread"');
    expect(await t.ctx.db.$count(notifications, and(eq(notifications.userId, user.id)))).toBe(3);
  });

  it('pages 20 at a time (past the end: 404), and 全部标为已读 reads the pages not yet opened', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    for (let i = 1; i <= 25; i++) await notifyUser(t.ctx.db, user.id, { kind: 'test', title: `第${i}条` });
    const first = await client.get('/me/notifications');
    expect(first.text.match(/class="item unread"/g)).toHaveLength(20);
    expect(first.text).toContain('全部标为已读(5)');
    expect(first.text).toContain('第 1 / 2 页');
    const second = await client.get('/me/notifications?page=2');
    expect(second.text.match(/class="item( unread)?"/g)).toHaveLength(5);
    expect((await client.get('/me/notifications?page=3')).status).toBe(404);
    expect((await client.get('/me/notifications?page=abc')).status).toBe(200);

    const { client: other, user: otherUser } = await signedIn(t, 'seeker');
    for (let i = 1; i <= 22; i++) await notifyUser(t.ctx.db, otherUser.id, { kind: 'test', title: `m${i}` });
    await other.get('/me/notifications');
    const res = await other.post('/me/notifications/read-all');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me/notifications');
    const after = await other.get('/me/notifications?page=2');
    expect(after.text).not.toContain('class="item unread"');
    expect(after.text).toContain('已全部标为已读');
  });

  it('gives employers their own inbox, and keeps each role to its own', async () => {
    const employer = await signedIn(t, 'employer');
    await notifyUser(t.ctx.db, employer.user.id, { kind: 'application.new', title: '新的求职者投递了「普工」' });
    const inbox = await employer.client.get('/employer/notifications');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('新的求职者投递了「普工」');
    expect((await employer.client.get('/me/notifications')).status).toBe(403);
    const seeker = await signedIn(t, 'seeker');
    expect((await seeker.client.get('/employer/notifications')).status).toBe(403);
    expect((await seeker.client.post('/employer/notifications/read-all')).status).toBe(403);
  });
});

describe('who saw my resume', () => {
  it('says so when nobody has', async () => {
    const { client } = await signedIn(t, 'seeker');
    const page = await client.get('/me/resume-views');
    expect(page.status).toBe(200);
    expect(page.text).toContain('还没有企业查看过你的简历');
  });
});
