// Path traversal and malformed ids in every :id route and every file route: a 404 (or 400) page in Chinese,
// never a file from outside the upload store, never a 5xx. Signed in as an admin, who may open the most.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { expectSafeAnswer } from './helpers/fuzz';
import { makeJob, makeProfile } from './helpers/jobs';
import { makeArticle } from './helpers/news';
import { cookieHeader } from './helpers/wait';
import { insertApplication, insertResume } from './helpers/resumeFixtures';

jest.setTimeout(120_000);

/** What each bad id is: traversal (plain, encoded, double-encoded, backslash), null bytes, numbers that are not ids. */
const BAD_IDS = [
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '%2e%2e',
  '..%5c..%5cpackage.json',
  '..%255c..%255c',
  '%252e%252e%252f',
  '..%c0%af..%c0%af',
  '1%00',
  '%00',
  '1%2500.pdf',
  '1%00..%2f..%2fpackage.json',
  '99999999999999999999',
  '2147483648',
  '9007199254740993',
  '-1',
  '0',
  '1.5',
  '1e3',
  '0x1',
  '01',
  '007',
  '%201',
  '1%20',
  '%EF%BC%91', // full-width 1
  '1;',
  "1'%20OR%20'1'='1",
  'NaN',
];

/** Texts that would show a leak: the system's passwd file, the project's package.json, the PGlite data dir. */
const LEAKS = [/root:x:0:0/, /"name":\s*"pengcheng-laowu"/, /"devDependencies"/, /SESSION_SECRET/];

let t: TestApp;
let admin: TestClient;
let owner: TestClient;
let employer: TestClient;
let templates: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  admin = (await signedIn(t, 'admin')).client;
  const seeker = await signedIn(t, 'seeker');
  owner = seeker.client;
  const emp = await signedIn(t, 'employer');
  employer = emp.client;
  await makeProfile(t.ctx, emp.user.id);
  const job = await makeJob(t.ctx, emp.user.id, { title: '路径测试职位' });
  const resume = await insertResume(t.ctx, seeker.user.id);
  await insertApplication(t.ctx, seeker.user.id, job, { resumeId: resume.id });
  await makeArticle(t.ctx, { title: '路径测试文章' });
  await makeUser(t.ctx, 'seeker');
  // A file right outside the upload store, where a ../ would land.
  fs.writeFileSync(path.join(path.dirname(t.ctx.storage.root), 'outside-secret.txt'), 'root:x:0:0 secret');
  templates = [
    '/jobs/{id}',
    '/jobs/{id}/apply',
    '/news/{id}',
    '/files/resumes/{id}',
    '/files/news/{id}',
    '/employer/jobs/{id}/edit',
    '/employer/jobs/{id}/applications',
    '/employer/applications/{id}',
    '/admin/users/{id}',
    '/admin/employers/{id}',
    '/admin/employers/{id}/license',
    '/admin/jobs/{id}',
    '/admin/news/{id}/edit',
    '/admin/news/{id}/delete',
    '/k/{id}',
    '/sitemaps/{id}',
  ];
});

afterAll(() => t.close());

function clientFor(url: string): TestClient {
  if (url.startsWith('/employer')) return employer;
  if (url.startsWith('/jobs/') && url.endsWith('/apply')) return owner;
  return admin;
}

function expectRefusedWithoutLeak(res: { status: number; text?: string; body?: unknown; headers: Record<string, string> }, label: string) {
  expectSafeAnswer(res, label);
  expect([label, res.status === 404 || res.status === 400 ? true : res.status]).toEqual([label, true]);
  const text = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('latin1') : '');
  for (const leak of LEAKS) expect([label, leak.test(text)]).toEqual([label, false]);
}

describe('bad ids in every :id route', () => {
  it('answer 404/400 with the Chinese page, for GET', async () => {
    for (const template of templates) {
      for (const id of BAD_IDS) {
        const url = template.replace('{id}', id);
        const res = await clientFor(url).agent.get(url);
        expectRefusedWithoutLeak(res, `GET ${url}`);
      }
    }
  });

  it('answer 404/400 for POST routes too, and change nothing', async () => {
    const posts: [TestClient, string][] = [
      [owner, '/jobs/{id}/save'],
      [owner, '/jobs/{id}/report'],
      [owner, '/me/resumes/{id}/rename'],
      [owner, '/me/resumes/{id}/default'],
      [owner, '/me/resumes/{id}/delete'],
      [owner, '/me/applications/{id}/withdraw'],
      [employer, '/employer/applications/{id}/status'],
      [employer, '/employer/jobs/{id}/close'],
      [employer, '/employer/jobs/{id}/submit'],
      [admin, '/admin/users/{id}/disable'],
      [admin, '/admin/employers/{id}/verify'],
      [admin, '/admin/jobs/{id}/approve'],
      [admin, '/admin/reports/{id}/dismiss'],
      [admin, '/admin/news/{id}/publish'],
      [admin, '/admin/news/{id}/delete'],
      [admin, '/admin/settings/{id}'],
    ];
    for (const [client, template] of posts) {
      for (const id of BAD_IDS) {
        const url = template.replace('{id}', id);
        const res = await client.post(url, { title: 'x', status: 'shortlisted', reason: 'other' });
        expectRefusedWithoutLeak(res, `POST ${url}`);
      }
    }
  });
});

describe('traversal in file and static paths', () => {
  const paths = [
    '/files/resumes/..%2f..%2foutside-secret.txt',
    '/files/resumes/1/../../../package.json',
    '/files/resumes/1%2f..%2f..%2f..%2fpackage.json',
    '/files/news/..%2f..%2f..%2fpackage.json',
    '/files/../package.json',
    '/files/%2e%2e/%2e%2e/package.json',
    '/files/license/..%2f..%2fpackage.json',
    '/uploads/../package.json',
    '/uploads/..%2f..%2fpackage.json',
    '/uploads/resume/x.pdf',
    '/css/..%2f..%2fpackage.json',
    '/css/%2e%2e/%2e%2e/package.json',
    '/css/..%5c..%5cpackage.json',
    '/js/%2e%2e%2f%2e%2e%2f.env',
    '/img/..%2f..%2fsrc%2fconfig.ts',
    '/img/%00',
    '/css/site.css%00.txt',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/data/pglite/PG_VERSION',
    '/.env',
    '/package.json',
  ];

  it('never serve a file from outside the store or the public folder (paths sent as they are, not normalised)', async () => {
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      for (const p of [...paths, '/jobs/..', '/jobs/../../package.json', '/news/..%2f..']) {
        const res = await rawGet(port, p, cookieHeader(admin));
        expectRefusedWithoutLeak(res, `GET ${p}`);
      }
    } finally {
      server.close();
    }
  });
});

/** A GET whose path goes on the wire exactly as written (supertest and fetch would resolve the dots first). */
function rawGet(port: number, rawPath: string, cookie: string): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, headers: { cookie, accept: 'text/html' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers as Record<string, string> }));
    });
    req.on('error', reject);
    req.end();
  });
}

