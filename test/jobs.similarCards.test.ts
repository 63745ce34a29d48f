// The similar-job cards of a job page are rendered once a minute per card of the similar-jobs index (issue 21):
// a change to a similar job shows on the next view of every page that lists it, signed in or not, in this process
// and in a second one.
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { jobs } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';
import { useSecondProcess } from './helpers/secondProcess';

jest.setTimeout(120_000);

/** The section of similar jobs on a job page. */
const similarOf = (html: string) => /<section class="section" aria-labelledby="similar-title">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

describe('similar-job cards, in one process', () => {
  let t: TestApp;
  let shown: number;
  let similar: number;

  beforeAll(async () => {
    t = await createTestApp();
    const employerId = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employerId, '深圳相似卡片测试有限公司');
    shown = await makeJob(t.ctx, employerId, { title: '看的这个普工', category: '普工', district: '宝安区' });
    similar = await makeJob(t.ctx, employerId, { title: '相似的普工岗位', category: '普工', district: '宝安区' });
  });
  afterAll(() => t.close());

  it('shows a similar job changed or closed at once, to anonymous and signed-in readers', async () => {
    const { client } = await signedIn(t, 'seeker');
    const readers = [() => request(t.app).get(`/jobs/${shown}`), () => client.get(`/jobs/${shown}`)];
    for (const read of readers) expect(similarOf((await read()).text)).toContain('相似的普工岗位');

    await t.ctx.db.update(jobs).set({ title: '改名后的相似岗位', headcount: 77 }).where(eq(jobs.id, similar));
    for (const read of readers) {
      const cards = similarOf((await read()).text);
      expect(cards).toContain('改名后的相似岗位');
      expect(cards).toContain('招 77 人');
      expect(cards).not.toContain('相似的普工岗位');
    }

    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: new Date() }).where(eq(jobs.id, similar));
    for (const read of readers) expect(jobIdsIn(similarOf((await read()).text))).not.toContain(similar);
  });
});

describe('similar-job cards, read from a second process on the same PostgreSQL', () => {
  const other = useSecondProcess('cards');

  it('shows a similar job changed elsewhere on the very next request', async () => {
    const read = other.read;
    let page = '';
    let similar: number | undefined;
    for (const id of jobIdsIn(await read('/jobs'))) {
      similar = jobIdsIn(similarOf(await read(`/jobs/${id}`)))[0];
      page = `/jobs/${id}`;
      if (similar) break;
    }
    expect(similar).toBeDefined();
    await other.db.update(jobs).set({ title: '另一进程改的相似岗位' }).where(eq(jobs.id, similar!));
    expect(similarOf(await read(page))).toContain('另一进程改的相似岗位');
  });
});
