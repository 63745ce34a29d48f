// Consent records: the policy at signup, the separate consent at the first application to each employer
// (a required box naming the company), and a new policy version asked again at the next login.
import { and, asc, eq } from 'drizzle-orm';
import { applications, consents, files, resumes, users } from '../src/db/schema';
import { PRIVACY_POLICY_VERSION } from '../src/domain/policy';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn, TEST_PASSWORD } from './helpers/factories';
import { insertEmployerProfile, insertPublishedJob } from './helpers/jobFixtures';
import { insertResume, listStoredFiles, samples } from './helpers/resumeFixtures';
import { requestCodeFor, signUpWithCode } from './helpers/codes';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function consentsOf(userId: number) {
  return t.ctx.db.select().from(consents).where(eq(consents.userId, userId)).orderBy(asc(consents.id));
}

describe('signup', () => {
  it('records the policy version in force, with its time, on the user and as a consent row', async () => {
    const client = t.client();
    const res = await signUpWithCode(t, client, { login: '13912340001', displayName: '签约者', password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    const [user] = await t.ctx.db.select().from(users).where(eq(users.login, '13912340001'));
    expect(user!.policyVersion).toBe(PRIVACY_POLICY_VERSION);
    expect(user!.policyAcceptedAt).toBeInstanceOf(Date);
    const rows = await consentsOf(user!.id);
    expect(rows).toEqual([expect.objectContaining({ kind: 'privacy_policy', policyVersion: PRIVACY_POLICY_VERSION, employerId: null })]);
  });

  it('without the box ticked: 422 with the error beside it, and no account', async () => {
    const client = t.client();
    const fields = { role: 'seeker', login: '13912340002', displayName: '未勾选' };
    const code = await requestCodeFor(t, client, 'signup', fields);
    const res = await client.post('/signup', { ...fields, code, password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD });
    expect(res.status).toBe(422);
    expect(res.text).toContain('请阅读并同意《隐私政策》和《用户协议》');
    expect(await t.ctx.db.$count(users, eq(users.login, '13912340002'))).toBe(0);
  });
});

describe('the first application to an employer', () => {
  it('shows a required box naming the company; without it: 422, the error beside it, nothing written (not even the uploaded file)', async () => {
    const employer = await makeUser(t.ctx, 'employer');
    await insertEmployerProfile(t.ctx, employer.id, { companyName: '深圳市同意测试电子有限公司' });
    const job = await insertPublishedJob(t.ctx, employer.id);
    const seeker = await signedIn(t, 'seeker');

    const page = await seeker.client.get(`/jobs/${job.id}`);
    expect(page.text).toMatch(/<input type="checkbox" name="shareConsent" value="yes" required[^>]*>\s*<span>我同意将我的简历及联系方式提供给 深圳市同意测试电子有限公司<\/span>/);

    const filesBefore = listStoredFiles(t.ctx.storage.root);
    const refused = await seeker.client.upload(`/jobs/${job.id}/apply`, { resumeId: 'new', message: '' }, { field: 'file', content: samples.pdf(), filename: '简历.pdf', contentType: 'application/pdf' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('首次向「深圳市同意测试电子有限公司」投递,请勾选同意将你的简历及联系方式提供给该企业');
    expect(refused.text).toMatch(/id="f-shareConsent-error"/);
    expect(await t.ctx.db.$count(applications, eq(applications.seekerId, seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(files, eq(files.ownerId, seeker.user.id))).toBe(0);
    expect((await consentsOf(seeker.user.id)).filter((c) => c.kind === 'share_with_employer')).toEqual([]);
    expect(listStoredFiles(t.ctx.storage.root)).toEqual(filesBefore);

    const ok = await seeker.client.upload(`/jobs/${job.id}/apply`, { resumeId: 'new', message: '', shareConsent: 'yes' }, { field: 'file', content: samples.pdf(), filename: '简历.pdf', contentType: 'application/pdf' });
    expect(ok.status).toBe(303);
    const shared = (await consentsOf(seeker.user.id)).filter((c) => c.kind === 'share_with_employer');
    expect(shared).toEqual([expect.objectContaining({ employerId: employer.id, employerName: '深圳市同意测试电子有限公司' })]);
    const [application] = await t.ctx.db.select().from(applications).where(eq(applications.seekerId, seeker.user.id));
    // Same transaction: the consent is not older than the application it came with.
    expect(Math.abs(shared[0]!.createdAt.getTime() - application!.createdAt.getTime())).toBeLessThan(5_000);
  });

  it('a second job of the same employer needs no box and records no second consent; another employer asks again', async () => {
    const employer = await makeUser(t.ctx, 'employer');
    await insertEmployerProfile(t.ctx, employer.id, { companyName: '深圳市再次投递物流有限公司' });
    const first = await insertPublishedJob(t.ctx, employer.id);
    const second = await insertPublishedJob(t.ctx, employer.id);
    const other = await makeUser(t.ctx, 'employer');
    await insertEmployerProfile(t.ctx, other.id, { companyName: '深圳市另一家餐饮有限公司' });
    const otherJob = await insertPublishedJob(t.ctx, other.id);
    const seeker = await signedIn(t, 'seeker');
    await insertResume(t.ctx, seeker.user.id);

    expect((await seeker.client.upload(`/jobs/${first.id}/apply`, { message: '', shareConsent: 'yes' })).status).toBe(303);
    const page = await seeker.client.get(`/jobs/${second.id}`);
    expect(page.text).not.toContain('name="shareConsent"');
    expect(page.text).toContain('将发送给');
    expect((await seeker.client.upload(`/jobs/${second.id}/apply`, { message: '' })).status).toBe(303);
    expect((await seeker.client.get(`/jobs/${otherJob.id}`)).text).toContain('我同意将我的简历及联系方式提供给 深圳市另一家餐饮有限公司');
    expect((await seeker.client.upload(`/jobs/${otherJob.id}/apply`, { message: '' })).status).toBe(422);

    const shared = (await consentsOf(seeker.user.id)).filter((c) => c.kind === 'share_with_employer');
    expect(shared.map((c) => c.employerId)).toEqual([employer.id]);
  });
});

describe('a new policy version', () => {
  let t2: TestApp;
  const NEXT = '2099-01-01';
  beforeAll(async () => {
    // The version in force comes from the configuration (PRIVACY_POLICY_VERSION); this app runs a newer one.
    t2 = await createTestApp({ env: { PRIVACY_POLICY_VERSION: NEXT } });
  });
  afterAll(() => t2.close());

  it('sends a user who accepted an older version to /consent at login and on every page, until they accept; then back where they were going', async () => {
    const seeker = await makeUser(t2.ctx, 'seeker'); // accepted PRIVACY_POLICY_VERSION at signup
    const client = t2.client();
    const login = await client.login(seeker.login, TEST_PASSWORD);
    expect(login.status).toBe(303);
    const next = await client.get(login.headers.location!);
    expect(next.status).toBe(302);
    expect(next.headers.location).toBe('/consent');
    expect((await client.get('/me/applications')).headers.location).toBe('/consent');
    // Reading the policy, leaving, exporting and deleting stay open.
    expect((await client.get('/privacy')).status).toBe(200);
    const post = await client.post('/jobs/1/save');
    expect(post.status).toBe(303);
    expect(post.headers.location).toBe('/consent');
    expect((await client.get('/terms')).status).toBe(200);
    expect((await client.get('/me/delete')).status).toBe(200);

    const page = await client.get('/consent');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`已更新到 ${NEXT} 版`);
    expect(page.text).toContain(`你之前同意的是 ${PRIVACY_POLICY_VERSION} 版`);

    const refused = await client.post('/consent', {});
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('请勾选同意新版《隐私政策》和《用户协议》后继续');
    expect((await consentsOf2(seeker.id)).map((c) => c.policyVersion)).toEqual([PRIVACY_POLICY_VERSION]);

    await client.get('/me/applications'); // remembered as where to return
    const accepted = await client.post('/consent', { consent: 'yes' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe('/me/applications');
    expect((await client.get('/me/applications')).status).toBe(200);

    const [user] = await t2.ctx.db.select().from(users).where(eq(users.id, seeker.id));
    expect(user!.policyVersion).toBe(NEXT);
    const rows = await consentsOf2(seeker.id);
    expect(rows.map((c) => [c.kind, c.policyVersion])).toEqual([
      ['privacy_policy', PRIVACY_POLICY_VERSION],
      ['privacy_policy', NEXT],
    ]);
    // Once accepted, /consent has nothing to ask.
    expect((await client.get('/consent')).headers.location).toBe('/me');
  });

  it('someone signing up under the new version is not asked again; admins are never sent to /consent', async () => {
    const client = t2.client();
    const res = await signUpWithCode(t2, client, { role: 'employer', login: 'new-version@example.com', displayName: '新企业', password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect((await client.get('/employer')).status).toBe(200);
    const [user] = await t2.ctx.db.select().from(users).where(eq(users.login, 'new-version@example.com'));
    expect((await consentsOf2(user!.id)).map((c) => c.policyVersion)).toEqual([NEXT]);

    const admin = await signedIn(t2, 'admin');
    expect((await admin.client.get('/admin')).status).toBe(200);
  });

  async function consentsOf2(userId: number) {
    return t2.ctx.db.select().from(consents).where(and(eq(consents.userId, userId), eq(consents.kind, 'privacy_policy'))).orderBy(asc(consents.id));
  }
});
