// One database read shared by the callers of the same moment (src/db/sharedReads.ts): each caller gets a read sent
// after its call, carrying its key, and concurrent job pages are one query that still gives each its own job.
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { jobs } from '../src/db/schema';
import { SharedReads } from '../src/db/sharedReads';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

describe('SharedReads', () => {
  it('sends one read for the callers of a turn, and a caller that asks while it is out waits for the next', async () => {
    const sent: number[][] = [];
    let release!: () => void;
    const reads = new SharedReads<number, number[]>(async (keys) => {
      sent.push(keys);
      if (sent.length === 1) await new Promise<void>((r) => (release = r));
      return keys;
    });
    const first = [reads.read(1), reads.read(2), reads.read(2)];
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([[1, 2]]);
    // The first read is out: these ask after it was sent, so they must not get its result.
    const later = [reads.read(3), reads.read(4)];
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(1);
    release();
    expect(await Promise.all(first)).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(await Promise.all(later)).toEqual([[3, 4], [3, 4]]);
    expect(sent).toEqual([[1, 2], [3, 4]]);
  });

  it('rejects the callers of a read that fails, and the next read goes on', async () => {
    let fail = true;
    const reads = new SharedReads<number, string>(async () => {
      if (fail) throw new Error('down');
      return 'ok';
    });
    await expect(reads.read(1)).rejects.toThrow('down');
    fail = false;
    expect(await reads.read(2)).toBe('ok');
  });
});

describe('job pages read together', () => {
  let t: TestApp;
  const ids: number[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    const employerId = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employerId);
    for (let i = 0; i < 8; i++) ids.push(await makeJob(t.ctx, employerId, { title: `同时打开的职位${i}` }));
  });
  afterAll(() => t.close());

  it('gives each of many concurrent readers its own job, as of its request', async () => {
    // The first job page of the process goes through Express; the rest are drawn ahead of it, read together.
    await request(t.app).get(`/jobs/${ids[0]}`);
    await t.ctx.db.update(jobs).set({ title: '同时打开的职位改过' }).where(eq(jobs.id, ids[7]!));
    const pages = await Promise.all([...ids, ...ids].map((id) => request(t.app).get(`/jobs/${id}`)));
    pages.forEach((page, i) => {
      const n = i % ids.length;
      expect(page.status).toBe(200);
      expect(page.text).toContain(n === 7 ? '同时打开的职位改过' : `同时打开的职位${n}<`);
    });
  });
});
