// Property-based fuzzing of every form: random and hostile bodies, posted by the role the form is for, never get a
// 5xx; a refusal is a 4xx with a Chinese message that changed no data and left no file behind.
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { employerProfiles, jobReports, users } from '../src/db/schema';
import type { Role } from '../src/features/accounts/accounts.service';
import { notifyUser } from '../src/features/notifications/notifications.service';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { changedTables, dataFingerprint, encodeForm, expectSafeAnswer, formBody, formFieldsOf, FUZZ_RUNS, hostileString, type FormBody, type FormField } from './helpers/fuzz';
import { makeJob, makeProfile } from './helpers/jobs';
import { makeArticle } from './helpers/news';
import { insertApplication, insertResume, listStoredFiles, samples } from './helpers/resumeFixtures';

jest.setTimeout(300_000);

type FormRoute = {
  role: Role | 'anon';
  /** Where the form is posted. */
  action: string;
  /** The page that shows the form (its fields are read from there). */
  page: string;
  /** The file field of an upload form. */
  file?: string;
};

let t: TestApp;
const clients = {} as Record<Role | 'anon', TestClient>;
let routes: FormRoute[] = [];

beforeAll(async () => {
  // Not seeded: the fingerprint taken around every request stays small (no demo articles and jobs).
  t = await createTestApp();
  const seeker = await signedIn(t, 'seeker');
  const employer = await signedIn(t, 'employer');
  const admin = await signedIn(t, 'admin');
  clients.seeker = seeker.client;
  clients.employer = employer.client;
  clients.admin = admin.client;
  clients.anon = t.client();

  await makeProfile(t.ctx, employer.user.id);
  const other = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, other.id);
  const job = await makeJob(t.ctx, other.id, { title: '模糊测试 已发布职位' });
  const pendingJob = await makeJob(t.ctx, other.id, { title: '模糊测试 待审核职位' }, 'pending');
  const ownJob = await makeJob(t.ctx, employer.user.id, { title: '模糊测试 自己的职位' });
  // One job per state, so the list offers each action's form (close a published job, re-open a closed one, submit a draft).
  const closedJob = await makeJob(t.ctx, employer.user.id, { title: '模糊测试 已结束职位' }, 'closed');
  const draftJob = await makeJob(t.ctx, employer.user.id, { title: '模糊测试 草稿职位' }, 'draft');
  await insertResume(t.ctx, seeker.user.id, { title: '默认简历' });
  // Not the default, so the page offers 设为默认 for it.
  const resume = await insertResume(t.ctx, seeker.user.id, { title: '第二份简历' });
  const application = await insertApplication(t.ctx, seeker.user.id, ownJob, { resumeId: resume.id });
  const [report] = await t.ctx.db.insert(jobReports).values({ jobId: job, reporterId: seeker.user.id, reason: 'other' }).returning({ id: jobReports.id });
  const article = await makeArticle(t.ctx, { title: '模糊测试文章' });
  const target = await makeUser(t.ctx, 'seeker');
  // The opposite states, so each page offers the other form (enable, un-verify, publish).
  const disabled = await makeUser(t.ctx, 'seeker');
  await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, disabled.id));
  const verified = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, verified.id);
  await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, verified.id));
  const draftArticle = await makeArticle(t.ctx, { title: '模糊测试草稿文章', status: 'draft', publishedAt: null });
  // More unread notifications than a page shows (a view marks its page read), so each inbox keeps its 全部标为已读 form.
  for (const id of [seeker.user.id, employer.user.id]) {
    for (let i = 0; i < 80; i++) await notifyUser(t.ctx.db, id, { kind: 'system', title: `模糊测试通知${i}`, body: '', link: '/' });
  }

  routes = [
    { role: 'anon', action: '/signup', page: '/signup' },
    { role: 'anon', action: '/login', page: '/login' },
    { role: 'seeker', action: '/me/profile', page: '/me/profile' },
    { role: 'seeker', action: `/jobs/${job}/report`, page: `/jobs/${job}` },
    { role: 'seeker', action: `/jobs/${job}/save`, page: `/jobs/${job}` },
    { role: 'seeker', action: `/jobs/${job}/apply`, page: `/jobs/${job}/apply`, file: 'file' },
    { role: 'seeker', action: '/me/resumes', page: '/me/resumes', file: 'file' },
    { role: 'seeker', action: `/me/resumes/${resume.id}/rename`, page: '/me/resumes' },
    { role: 'seeker', action: `/me/resumes/${resume.id}/default`, page: '/me/resumes' },
    { role: 'seeker', action: `/me/applications/${application}/withdraw`, page: '/me/applications' },
    { role: 'seeker', action: '/me/notifications/read-all', page: '/me/notifications' },
    { role: 'employer', action: '/employer/profile', page: '/employer/profile', file: 'license' },
    { role: 'employer', action: '/employer/jobs/new', page: '/employer/jobs/new' },
    { role: 'employer', action: `/employer/jobs/${ownJob}/edit`, page: `/employer/jobs/${ownJob}/edit` },
    { role: 'employer', action: `/employer/applications/${application}/status`, page: `/employer/applications/${application}` },
    { role: 'employer', action: `/employer/jobs/${ownJob}/duplicate`, page: '/employer/jobs' },
    { role: 'employer', action: `/employer/jobs/${ownJob}/close`, page: '/employer/jobs' },
    { role: 'employer', action: `/employer/jobs/${closedJob}/reopen`, page: '/employer/jobs' },
    { role: 'employer', action: `/employer/jobs/${draftJob}/submit`, page: '/employer/jobs' },
    { role: 'employer', action: '/employer/notifications/read-all', page: '/employer/notifications' },
    { role: 'admin', action: `/admin/jobs/${pendingJob}/reject`, page: `/admin/jobs/${pendingJob}` },
    { role: 'admin', action: `/admin/jobs/${pendingJob}/approve`, page: `/admin/jobs/${pendingJob}` },
    { role: 'admin', action: '/admin/jobs/bulk-approve', page: '/admin/jobs' },
    { role: 'admin', action: `/admin/reports/${report!.id}/dismiss`, page: '/admin/reports' },
    { role: 'admin', action: `/admin/reports/${report!.id}/uphold`, page: '/admin/reports' },
    { role: 'admin', action: `/admin/users/${target.id}/disable`, page: `/admin/users/${target.id}` },
    { role: 'admin', action: `/admin/users/${disabled.id}/enable`, page: `/admin/users/${disabled.id}` },
    { role: 'admin', action: `/admin/employers/${other.id}/verify`, page: `/admin/employers/${other.id}` },
    { role: 'admin', action: `/admin/employers/${verified.id}/unverify`, page: `/admin/employers/${verified.id}` },
    { role: 'admin', action: '/admin/news', page: '/admin/news/new', file: 'cover' },
    { role: 'admin', action: `/admin/news/${article.id}/edit`, page: `/admin/news/${article.id}/edit`, file: 'cover' },
    { role: 'admin', action: '/admin/news/import', page: '/admin/news/import', file: 'file' },
    { role: 'admin', action: `/admin/news/${draftArticle.id}/publish`, page: '/admin/news' },
    { role: 'admin', action: `/admin/news/${article.id}/unpublish`, page: '/admin/news' },
    ...['basic', 'pages', 'footer', 'keywords', 'words'].map((s) => ({ role: 'admin' as const, action: `/admin/settings/${s}`, page: `/admin/settings?section=${s}` })),
    // Last: they remove what the routes above use.
    { role: 'seeker', action: `/me/resumes/${resume.id}/delete`, page: '/me/resumes' },
    { role: 'admin', action: `/admin/news/${article.id}/delete`, page: `/admin/news/${article.id}/delete` },
  ];
});

afterAll(() => t.close());

const hostileFileName = fc.constantFrom('简历.pdf', '../../../etc/passwd', '..\\..\\boot.ini', 'a"b\'c.pdf', '👨‍👩‍👧‍👦.pdf', `${'长'.repeat(300)}.pdf`, "' OR 1=1 --.pdf", '\u202egpj.exe', '%2e%2e%2f.pdf');
const fileContent = fc.oneof(
  fc.constant(samples.pdf()),
  fc.constant(samples.png()),
  fc.constant(samples.exe()),
  fc.constant(samples.html()),
  fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)),
);
const maybeFile = fc.option(fc.record({ name: hostileFileName, content: fileContent }), { nil: undefined });

async function post(client: TestClient, route: FormRoute, body: FormBody, file?: { name: string; content: Buffer }) {
  if (!client.csrf) await client.refreshCsrf();
  if (!route.file) return client.agent.post(route.action).type('form').send(encodeForm(body, client.csrf));
  let req = client.agent.post(`${route.action}?_csrf=${encodeURIComponent(client.csrf!)}`);
  for (const [k, v] of Object.entries(body)) for (const x of Array.isArray(v) ? v : [v]) req = req.field(k, x);
  if (file) req = req.attach(route.file, file.content, { filename: file.name, contentType: 'application/octet-stream' });
  return req;
}

async function fieldsOf(client: TestClient, route: FormRoute): Promise<FormField[]> {
  const page = await client.get(route.page);
  expect(page.status).toBe(200);
  const fields = formFieldsOf(page.text, route.action);
  return fields;
}

describe('every form, fuzzed', () => {
  it('covers the forms it claims to: each has a page that shows it', async () => {
    for (const route of routes) {
      const client = clients[route.role];
      const page = await client.get(route.page);
      expect([route.action, page.status]).toEqual([route.action, 200]);
      expect([route.action, page.text.includes(`action="${route.action}`)]).toEqual([route.action, true]);
    }
  });

  it('never answers 5xx; a refusal is a Chinese 4xx that changes no data and leaves no file', async () => {
    for (const route of routes) {
      const client = clients[route.role];
      const fields = await fieldsOf(client, route);
      let baseline = await dataFingerprint(t.ctx);
      let filesBefore = listStoredFiles(t.ctx.storage.root);
      await fc.assert(
        fc.asyncProperty(formBody(fields), maybeFile, async (body, file) => {
          const res = await post(client, route, body, route.file ? file : undefined);
          expectSafeAnswer(res, `POST ${route.action} ${JSON.stringify(body).slice(0, 300)}`);
          const after = await dataFingerprint(t.ctx);
          const filesAfter = route.file ? listStoredFiles(t.ctx.storage.root) : filesBefore;
          if (res.status >= 400) {
            expect({ route: route.action, status: res.status, changed: changedTables(baseline, after) }).toEqual({ route: route.action, status: res.status, changed: [] });
            expect(filesAfter).toEqual(filesBefore);
          }
          expect(filesAfter.filter((f) => f.startsWith('tmp'))).toEqual([]);
          baseline = after;
          filesBefore = filesAfter;
        }),
        // No shrinking: each run starts from the state the previous runs left, and a failed run leaves the
        // baseline behind, so shrunk re-runs would report changes made by the original failure, not their own.
        { numRuns: FUZZ_RUNS, endOnFailure: true },
      );
    }
  });
});

describe('bodies that are not forms', () => {
  const kinds = fc.constantFrom(
    { type: 'application/json', body: '{"login":"13800000000","password":"x"}' },
    { type: 'application/json', body: '{not json' },
    { type: 'text/plain', body: 'login=13800000000' },
    { type: 'application/xml', body: '<a>1</a>' },
    { type: '', body: '' },
    { type: 'application/x-www-form-urlencoded', body: '%E0%A4%A&=%%' },
    { type: 'multipart/form-data', body: 'no boundary at all' },
    { type: 'multipart/form-data; boundary=XYZ', body: '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\ntruncated' },
    { type: 'multipart/form-data; boundary=XYZ', body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 cut short' },
    { type: 'multipart/form-data; boundary=XYZ', body: '--WRONG\r\n\r\n--WRONG--' },
  );

  it('are read as empty forms or refused with a Chinese 4xx: never a 5xx (JSON, text/plain, none, broken multipart)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes.filter((r) => !r.action.endsWith('/delete'))), kinds, async (route, kind) => {
        const client = clients[route.role];
        if (!client.csrf) await client.refreshCsrf();
        // The token rides in the header and the query string, as an API client or an upload form would send it.
        let req = client.agent.post(`${route.action}?_csrf=${encodeURIComponent(client.csrf!)}`).set('X-CSRF-Token', client.csrf!);
        if (kind.type) req = req.set('Content-Type', kind.type);
        const res = await req.send(kind.body);
        expectSafeAnswer(res, `POST ${route.action} as ${kind.type || 'no type'}`);
        expect(listStoredFiles(t.ctx.storage.root).filter((f) => f.startsWith('tmp'))).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS * 2 },
    );
  });

  it('a JSON login is an empty login form: 422 with the Chinese field errors, not a 500', async () => {
    const client = t.client();
    await client.refreshCsrf();
    const res = await client.agent.post('/login').set('X-CSRF-Token', client.csrf!).set('Content-Type', 'application/json').send('{"login":"a"}');
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/请输入/);
  });

  it('a broken multipart upload is a 400 with a Chinese message and leaves no file', async () => {
    const client = clients.seeker;
    await client.refreshCsrf();
    const res = await client.agent
      .post(`/me/resumes?_csrf=${encodeURIComponent(client.csrf!)}`)
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 cut');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/[\u4e00-\u9fff]/);
    expect(listStoredFiles(t.ctx.storage.root).filter((f) => f.startsWith('tmp'))).toEqual([]);
  });
});

describe('hostile text in a single field', () => {
  it('every text field of the signup form refuses or accepts any string without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('login', 'displayName', 'password'), hostileString, async (field, value) => {
        const client = t.client();
        const res = await post(client, { role: 'anon', action: '/signup', page: '/signup' }, { role: 'seeker', login: '13912345678', password: 'long-enough-1', displayName: '张三', passwordConfirm: 'long-enough-1', consent: 'yes', [field]: value });
        expectSafeAnswer(res, `signup ${field}=${JSON.stringify(value).slice(0, 80)}`);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
