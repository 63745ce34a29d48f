// Private notes on an application: the employer writes and reads them on the application page; another employer
// cannot add or see them; the seeker never sees them anywhere; a refused note is a 422 beside the field.
import { eq } from 'drizzle-orm';
import { applicationNotes } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { fieldError } from './helpers/html';
import { applicant, employerWithJobs } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function notesOf(applicationId: number) {
  return t.ctx.db.select().from(applicationNotes).where(eq(applicationNotes.applicationId, applicationId));
}

describe('private notes', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let seeker: Awaited<ReturnType<typeof applicant>>;

  beforeAll(async () => {
    employer = await employerWithJobs(t);
    seeker = await applicant(t, employer.jobs[0]!.id, { realName: '周备注' });
  });

  it('the employer adds a note: timestamped, listed on the application page, and never shown to the seeker', async () => {
    const res = await employer.client.post(`/employer/applications/${seeker.applicationId}/notes`, { body: '电话沟通过,<b>下周一</b>可到岗' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/employer/applications/${seeker.applicationId}#notes`);
    const [note] = await notesOf(seeker.applicationId);
    expect(note).toMatchObject({ body: '电话沟通过,<b>下周一</b>可到岗', authorId: employer.user.id });
    expect(note!.createdAt).toBeInstanceOf(Date);

    const page = await employer.client.get(`/employer/applications/${seeker.applicationId}`);
    expect(page.text).toContain('私人备注');
    // Escaped, with its time.
    expect(page.text).toContain('电话沟通过,&lt;b&gt;下周一&lt;/b&gt;可到岗');
    expect(page.text).toMatch(/<time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/time> <span class="prewrap">电话沟通过/);

    for (const path of ['/me/applications', '/me', '/me/notifications']) {
      const seen = await seeker.client.get(path);
      expect(seen.text).not.toContain('电话沟通过');
    }
  });

  it('another employer can neither add a note nor read them: 404, nothing written', async () => {
    const other = await employerWithJobs(t, 1, '深圳市别家电子有限公司');
    const before = (await notesOf(seeker.applicationId)).length;
    const res = await other.client.post(`/employer/applications/${seeker.applicationId}/notes`, { body: '偷看' });
    expect(res.status).toBe(404);
    expect((await other.client.get(`/employer/applications/${seeker.applicationId}`)).status).toBe(404);
    expect((await notesOf(seeker.applicationId)).length).toBe(before);
  });

  it('a seeker cannot post a note: 403', async () => {
    const res = await seeker.client.post(`/employer/applications/${seeker.applicationId}/notes`, { body: '我自己写' });
    expect(res.status).toBe(403);
  });

  it('an empty or too long note is a 422 with the error beside the field, the text kept, nothing written', async () => {
    const before = (await notesOf(seeker.applicationId)).length;
    const empty = await employer.client.post(`/employer/applications/${seeker.applicationId}/notes`, { body: '   ' });
    expect(empty.status).toBe(422);
    expect(fieldError(empty.text, 'body')).toContain('请填写备注内容');
    const long = await employer.client.post(`/employer/applications/${seeker.applicationId}/notes`, { body: '长'.repeat(1001) });
    expect(long.status).toBe(422);
    expect(fieldError(long.text, 'body')).toContain('备注不能超过 1000 个字');
    expect(long.text).toContain('长'.repeat(1001));
    expect((await notesOf(seeker.applicationId)).length).toBe(before);
  });
});
