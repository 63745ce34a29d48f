// Resumes: upload of each type by content, refusals that leave nothing behind, the limit of five,
// rename/default/delete, and the access-checked download with its log.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { files, resumes, resumeViews } from '../src/db/schema';
import { MB } from '../src/storage/upload';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { insertEmployerProfile, insertPublishedJob } from './helpers/jobFixtures';
import { insertApplication, insertResume, listStoredFiles, samples } from './helpers/resumeFixtures';
import { cookieHeader, eventually, sleep } from './helpers/wait';
import { MESSAGE_MAX, withdrawApplication } from '../src/features/applications/applications.service';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ logStream: { write: (line: string) => void logLines.push(line) } });
});
afterAll(() => t.close());

async function newSeeker() {
  return signedIn(t, 'seeker');
}

function upload(client: TestClient, content: Buffer, filename: string, fields: Record<string, string> = {}) {
  return client.upload('/me/resumes', fields, { field: 'file', content, filename });
}

async function resumeRowsOf(seekerId: number) {
  return t.ctx.db.select().from(resumes).where(eq(resumes.seekerId, seekerId)).orderBy(resumes.id);
}

/** The upload root holds exactly one file per `files` row, and nothing in tmp/. */
async function expectStorageMatchesRows() {
  await eventually(async () => {
    const onDisk = listStoredFiles(t.ctx.storage.root);
    const keys = (await t.ctx.db.select({ key: files.storageKey }).from(files)).map((r) => r.key).sort();
    expect(onDisk).toEqual(keys);
  });
}

describe('uploading', () => {
  it.each([
    ['PDF', () => samples.pdf(), '简历.pdf', 'application/pdf'],
    ['DOCX', () => samples.docx(), 'resume.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['DOC', () => samples.doc(), 'resume.doc', 'application/msword'],
    ['JPEG', () => samples.jpeg(), 'photo.jpg', 'image/jpeg'],
    ['PNG', () => samples.png(), 'photo.png', 'image/png'],
  ])('accepts a real %s, stores it under a server-made name and lists it', async (_label, make, filename, mime) => {
    const { client, user } = await newSeeker();
    const res = await upload(client, make(), filename);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me/resumes');
    const [row] = await resumeRowsOf(user.id);
    expect(row).toMatchObject({ isDefault: true, title: filename.replace(/\.\w+$/, '') });
    const [file] = await t.ctx.db.select().from(files).where(eq(files.id, row!.fileId));
    expect(file).toMatchObject({ kind: 'resume', ownerId: user.id, originalName: filename, mime });
    expect(file!.storageKey).toMatch(/^resume\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.\w+$/);
    const page = await client.get('/me/resumes');
    expect(page.text).toContain(filename);
    await expectStorageMatchesRows();
  });

  it.each([
    ['an EXE named .pdf', () => samples.exe(), 'cv.pdf'],
    ['HTML named .pdf', () => samples.html(), 'cv.pdf'],
    ['a plain ZIP named .docx', () => Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(100)]), 'cv.docx'],
  ])('refuses %s with 415, the page and its message, and keeps no file and no row', async (_label, make, filename) => {
    const { client, user } = await newSeeker();
    const res = await upload(client, make(), filename);
    expect(res.status).toBe(415);
    expect(res.text).toContain('仅支持 PDF、Word、JPG、PNG 文件');
    expect(res.text).toContain('<h1 id="resumes-title">我的简历</h1>');
    expect(await resumeRowsOf(user.id)).toHaveLength(0);
    await expectStorageMatchesRows();
  });

  it('refuses a file over 5 MB with 413 文件不能超过 5MB and leaves nothing (tmp included)', async () => {
    const { client, user } = await newSeeker();
    const big = Buffer.concat([samples.pdf(), Buffer.alloc(5 * MB + 10, 0x20)]);
    const res = await upload(client, big, 'big.pdf');
    expect(res.status).toBe(413);
    expect(res.text).toContain('文件不能超过 5MB');
    expect(await resumeRowsOf(user.id)).toHaveLength(0);
    await expectStorageMatchesRows();
  });

  it('accepts a file of exactly 5 MB', async () => {
    const { client, user } = await newSeeker();
    const pdf = samples.pdf();
    const exact = Buffer.concat([pdf, Buffer.alloc(5 * MB - pdf.length, 0x20)]);
    expect((await upload(client, exact, 'exact.pdf')).status).toBe(303);
    expect(await resumeRowsOf(user.id)).toHaveLength(1);
  });

  it('asks for a file when the form has none (422)', async () => {
    const { client } = await newSeeker();
    const res = await client.upload('/me/resumes', { title: '空的' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('请选择要上传的简历文件');
    expect(res.text).toContain('value="空的"');
  });

  it('refuses an upload without the CSRF token before writing anything', async () => {
    const { client, user } = await newSeeker();
    const res = await client.agent.post('/me/resumes').attach('file', samples.pdf(), 'a.pdf');
    expect(res.status).toBe(403);
    expect(await resumeRowsOf(user.id)).toHaveLength(0);
    await expectStorageMatchesRows();
  });

  it('removes the temp file of a refused upload before the answer arrives, even with the thread pool busy', async () => {
    // The removal runs on libuv's thread pool. Kept busy here (as argon2 or zlib work keeps it in production),
    // a removal started when the response finished would still be queued when the client reads the answer.
    // Uncompressed answers, so reading them needs no pool thread either.
    const employer = await signedIn(t, 'employer');
    await insertEmployerProfile(t.ctx, employer.user.id);
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    const { client } = await newSeeker();
    await client.refreshCsrf();
    const refusals = [
      { path: '/me/resumes', fields: {}, file: samples.exe(), status: 415 },
      { path: `/jobs/${job.id}/apply`, fields: { resumeId: 'new', shareConsent: 'yes', message: '长'.repeat(MESSAGE_MAX + 1) }, file: samples.pdf(), status: 422 },
    ];
    let busy = true;
    const keepPoolBusy = () => {
      if (busy) crypto.pbkdf2('pool', 'busy', 20_000, 32, 'sha256', keepPoolBusy);
    };
    for (let i = 0; i < 8; i++) keepPoolBusy();
    try {
      for (const refusal of refusals) {
        for (let i = 0; i < 3; i++) {
          let req = client.agent.post(`${refusal.path}?_csrf=${encodeURIComponent(client.csrf!)}`).set('Accept-Encoding', 'identity');
          for (const [k, v] of Object.entries(refusal.fields)) req = req.field(k, v);
          const res = await req.attach('file', refusal.file, { filename: 'x.pdf', contentType: 'application/pdf' });
          expect([refusal.path, res.status, listStoredFiles(t.ctx.storage.tempDir)]).toEqual([refusal.path, refusal.status, []]);
        }
      }
    } finally {
      busy = false;
    }
  });

  it('leaves no file and no row when the client disconnects mid-upload', async () => {
    const { client, user } = await newSeeker();
    await client.get('/me/resumes');
    const server = t.app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const boundary = '----abort' + Date.now();
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      const body = Buffer.concat([head, samples.pdf(), Buffer.alloc(2 * MB, 0x20), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/me/resumes?_csrf=${encodeURIComponent(client.csrf!)}`,
        headers: {
          cookie: cookieHeader(client),
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(body.length),
        },
      });
      req.on('error', () => {});
      req.write(body.subarray(0, Math.floor(body.length / 2)));
      // Let the server start writing the temp file, then go away.
      await eventually(() => expect(listStoredFiles(t.ctx.storage.tempDir).length).toBeGreaterThan(0));
      req.destroy();
      await sleep(200);
      await eventually(() => expect(listStoredFiles(t.ctx.storage.tempDir)).toEqual([]));
      expect(await resumeRowsOf(user.id)).toHaveLength(0);
      await expectStorageMatchesRows();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('removes the moved file when the row insert fails inside the transaction', async () => {
    const { client, user } = await newSeeker();
    await t.ctx.db.execute(sql`
      create or replace function test_refuse_resume() returns trigger language plpgsql as $$
      begin
        if new.title = 'refuse-me' then raise exception 'refused by test trigger'; end if;
        return new;
      end $$`);
    await t.ctx.db.execute(sql`create trigger test_refuse_resume before insert on resumes for each row execute function test_refuse_resume()`);
    try {
      const res = await upload(client, samples.pdf(), 'x.pdf', { title: 'refuse-me' });
      expect(res.status).toBe(500);
      expect(await resumeRowsOf(user.id)).toHaveLength(0);
      expect(await t.ctx.db.$count(files, eq(files.ownerId, user.id))).toBe(0);
      await expectStorageMatchesRows();
    } finally {
      await t.ctx.db.execute(sql`drop trigger test_refuse_resume on resumes`);
    }
  });
});

describe('five resumes at most', () => {
  it('refuses the sixth with a clear message (422) and keeps no file of it', async () => {
    const { client, user } = await newSeeker();
    for (let i = 1; i <= 5; i++) expect((await upload(client, samples.pdf(), `第${i}份.pdf`)).status).toBe(303);
    const page = await client.get('/me/resumes');
    expect(page.text).toContain('达到上限');
    const res = await upload(client, samples.png(), '第6份.png');
    expect(res.status).toBe(422);
    expect(res.text).toContain('最多只能保存 5 份简历');
    expect(await resumeRowsOf(user.id)).toHaveLength(5);
    await expectStorageMatchesRows();
  });

  it('keeps five when six uploads race', async () => {
    const { client, user } = await newSeeker();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(client, samples.pdf(), `并发${i}.pdf`)));
    expect(results.map((r) => r.status).sort()).toEqual([303, 303, 303, 303, 303, 422]);
    const rows = await resumeRowsOf(user.id);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.isDefault)).toHaveLength(1);
    await expectStorageMatchesRows();
  });
});

describe('rename, default and delete', () => {
  it('makes the first resume the default, and another one on request', async () => {
    const { client, user } = await newSeeker();
    await upload(client, samples.pdf(), 'a.pdf');
    await upload(client, samples.pdf(), 'b.pdf');
    let [a, b] = await resumeRowsOf(user.id);
    expect([a!.isDefault, b!.isDefault]).toEqual([true, false]);
    const res = await client.post(`/me/resumes/${b!.id}/default`);
    expect(res.status).toBe(303);
    [a, b] = await resumeRowsOf(user.id);
    expect([a!.isDefault, b!.isDefault]).toEqual([false, true]);
  });

  it('renames, refuses an empty or long name with 422 beside the field, and shows HTML as text', async () => {
    const { client, user } = await newSeeker();
    await upload(client, samples.pdf(), 'a.pdf');
    const [row] = await resumeRowsOf(user.id);
    const empty = await client.post(`/me/resumes/${row!.id}/rename`, { title: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain(`id="f-title-${row!.id}-error"`);
    const long = await client.post(`/me/resumes/${row!.id}/rename`, { title: '长'.repeat(51) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('简历名称不能超过 50 个字');
    const evil = '<img src=x onerror=alert(1)>';
    expect((await client.post(`/me/resumes/${row!.id}/rename`, { title: evil })).status).toBe(303);
    const page = await client.get('/me/resumes');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img src=x');
  });

  it('deletes a resume, its row and its file; deleting the default promotes the newest remaining one', async () => {
    const { client, user } = await newSeeker();
    for (const name of ['old.pdf', 'middle.pdf', 'newest.pdf']) await upload(client, samples.pdf(), name);
    const [oldest, , newest] = await resumeRowsOf(user.id);
    const [file] = await t.ctx.db.select().from(files).where(eq(files.id, oldest!.fileId));
    expect(await t.ctx.storage.exists(file!.storageKey)).toBe(true);
    const res = await client.post(`/me/resumes/${oldest!.id}/delete`);
    expect(res.status).toBe(303);
    const rows = await resumeRowsOf(user.id);
    expect(rows.map((r) => r.id)).not.toContain(oldest!.id);
    expect(rows.find((r) => r.isDefault)?.id).toBe(newest!.id);
    expect(await t.ctx.storage.exists(file!.storageKey)).toBe(false);
    expect((await client.get('/me/resumes')).text).toContain('「newest」已成为默认简历');
    await expectStorageMatchesRows();
  });

  it("answers 404 for another seeker's resume, and changes nothing", async () => {
    const owner = await newSeeker();
    await upload(owner.client, samples.pdf(), 'mine.pdf');
    const [row] = await resumeRowsOf(owner.user.id);
    const other = await newSeeker();
    expect((await other.client.post(`/me/resumes/${row!.id}/delete`)).status).toBe(404);
    expect((await other.client.post(`/me/resumes/${row!.id}/rename`, { title: 'x' })).status).toBe(404);
    expect((await other.client.post(`/me/resumes/${row!.id}/default`)).status).toBe(404);
    expect((await other.client.post('/me/resumes/abc/delete')).status).toBe(404);
    expect(await resumeRowsOf(owner.user.id)).toMatchObject([{ id: row!.id, title: 'mine' }]);
  });

  it('removes the resume from the employer who received it (the application stays, without it)', async () => {
    const seeker = await newSeeker();
    const employer = await signedIn(t, 'employer');
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    const resume = await insertResume(t.ctx, seeker.user.id);
    const applicationId = await insertApplication(t.ctx, seeker.user.id, job.id);
    expect((await employer.client.get(`/files/resumes/${resume.id}`)).status).toBe(200);
    await seeker.client.post(`/me/resumes/${resume.id}/delete`);
    expect((await employer.client.get(`/files/resumes/${resume.id}`)).status).toBe(404);
    const detail = await employer.client.get(`/employer/applications/${applicationId}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('求职者已删除简历');
  });
});

describe('downloading', () => {
  async function download(client: TestClient, id: number) {
    return client.agent
      .get(`/files/resumes/${id}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  }

  let owner: Awaited<ReturnType<typeof newSeeker>>;
  let resumeId: number;
  let applicationId: number;
  let employer: Awaited<ReturnType<typeof signedIn>>;
  const content = samples.pdf();

  beforeAll(async () => {
    owner = await newSeeker();
    const res = await upload(owner.client, content, '张三的简历.pdf');
    expect(res.status).toBe(303);
    resumeId = (await resumeRowsOf(owner.user.id))[0]!.id;
    employer = await signedIn(t, 'employer');
    await insertEmployerProfile(t.ctx, employer.user.id, { companyName: '深圳市鹏城电子有限公司' });
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    applicationId = await insertApplication(t.ctx, owner.user.id, job.id);
  });

  it('lets the owner download it with the Chinese name, its type, nosniff and no-store, and logs nothing', async () => {
    const before = await t.ctx.db.$count(resumeViews, eq(resumeViews.seekerId, owner.user.id));
    const res = await download(owner.client, resumeId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('张三的简历.pdf')}`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(res.body as Buffer, content)).toBe(0);
    expect(await t.ctx.db.$count(resumeViews, eq(resumeViews.seekerId, owner.user.id))).toBe(before);
  });

  it('lets the employer who received it download it, and writes each download to the seeker’s log', async () => {
    const first = await download(employer.client, resumeId);
    expect(first.status).toBe(200);
    expect(Buffer.compare(first.body as Buffer, content)).toBe(0);
    await download(employer.client, resumeId);
    const logged = await t.ctx.db
      .select()
      .from(resumeViews)
      .where(and(eq(resumeViews.seekerId, owner.user.id), eq(resumeViews.action, 'download'), eq(resumeViews.viewerId, employer.user.id)));
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ viewerName: '深圳市鹏城电子有限公司', resumeId, applicationId });
    const page = await owner.client.get('/me/resume-views');
    expect(page.text).toContain('深圳市鹏城电子有限公司');
    expect(page.text).toContain('下载了简历');
  });

  it('lets an admin download it (logged as 平台管理员)', async () => {
    const admin = await signedIn(t, 'admin');
    expect((await download(admin.client, resumeId)).status).toBe(200);
    const [row] = await t.ctx.db.select().from(resumeViews).where(eq(resumeViews.viewerId, admin.user.id));
    expect(row).toMatchObject({ viewerName: '平台管理员', action: 'download' });
  });

  it('answers 404 to another employer and another seeker, and logs the attempt without the file name', async () => {
    const stranger = await signedIn(t, 'employer');
    await insertPublishedJob(t.ctx, stranger.user.id);
    const otherSeeker = await newSeeker();
    logLines.length = 0;
    for (const client of [stranger.client, otherSeeker.client]) {
      const res = await client.get(`/files/resumes/${resumeId}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('页面不存在');
    }
    const unknown = await stranger.client.get('/files/resumes/999999');
    expect(unknown.status).toBe(404);
    const refusals = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'resume download refused');
    expect(refusals).toEqual([
      expect.objectContaining({ level: 40, userId: stranger.user.id, resumeId }),
      expect.objectContaining({ level: 40, userId: otherSeeker.user.id, resumeId }),
      expect.objectContaining({ userId: stranger.user.id, resumeId: 999999 }),
    ]);
    expect(logLines.join('\n')).not.toContain('张三的简历');
  });

  it('sends an anonymous visitor to the login page', async () => {
    const res = await t.client().get(`/files/resumes/${resumeId}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/files/resumes/${resumeId}`)}`);
  });

  it('closes the resume to an employer once the seeker withdraws the application', async () => {
    const seeker = await newSeeker();
    const resume = await insertResume(t.ctx, seeker.user.id);
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    const id = await insertApplication(t.ctx, seeker.user.id, job.id);
    expect((await employer.client.get(`/files/resumes/${resume.id}`)).status).toBe(200);
    await withdrawApplication(t.ctx.db, seeker.user.id, id);
    expect((await employer.client.get(`/files/resumes/${resume.id}`)).status).toBe(404);
  });

  it('answers 404 (and logs an error) when the file has gone from storage', async () => {
    const seeker = await newSeeker();
    const resume = await insertResume(t.ctx, seeker.user.id);
    const [file] = await t.ctx.db.select().from(files).where(eq(files.id, resume.fileId));
    await t.ctx.storage.remove(file!.storageKey);
    logLines.length = 0;
    const res = await seeker.client.get(`/files/resumes/${resume.id}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(logLines.some((l) => l.includes('resume file missing from storage'))).toBe(true);
  });

  it('answers 404 to a non-numeric or absurd id', async () => {
    expect((await owner.client.get('/files/resumes/abc')).status).toBe(404);
    expect((await owner.client.get('/files/resumes/99999999999')).status).toBe(404);
  });
});

it('lists nothing for a seeker with no resumes, and invites an upload', async () => {
  const user = await makeUser(t.ctx, 'seeker');
  expect(await resumeRowsOf(user.id)).toEqual([]);
  const { client } = await newSeeker();
  const page = await client.get('/me/resumes');
  expect(page.status).toBe(200);
  expect(page.text).toContain('你还没有上传简历');
  expect(page.text).toMatch(/action="\/me\/resumes\?_csrf=[^"]+" enctype="multipart\/form-data"/);
});
