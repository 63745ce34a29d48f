// Resume retention with a fake clock: warned once 7 days before RESUME_RETENTION_DAYS, deleted (row and file)
// after; a resume used in an application or updated restarts its clock. The same pass runs daily and as a CLI.
import { eq, sql } from 'drizzle-orm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { files, notifications, resumes } from '../src/db/schema';
import { sweepResumes } from '../src/features/privacy/privacy.retention';
import { maintenanceTasks } from '../src/maintenance';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { insertPublishedJob } from './helpers/jobFixtures';
import { runTs } from './helpers/processes';
import { insertApplication, insertResume } from './helpers/resumeFixtures';

const DAY = 24 * 3600 * 1000;
let clock = new Date();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock, env: { RESUME_RETENTION_DAYS: '30' } });
});
afterAll(() => t.close());

const start = Date.now();
function at(days: number): void {
  clock = new Date(start + days * DAY);
}

async function noticesOf(userId: number) {
  return t.ctx.db.select().from(notifications).where(eq(notifications.userId, userId));
}

async function pathOf(resumeId: number): Promise<string> {
  const [row] = await t.ctx.db.select({ key: files.storageKey }).from(resumes).innerJoin(files, eq(files.id, resumes.fileId)).where(eq(resumes.id, resumeId));
  return t.ctx.storage.pathOf(row!.key);
}

it('warns once 7 days ahead, deletes row and file after RESUME_RETENTION_DAYS, and keeps a resume that was used', async () => {
  const seeker = await signedIn(t, 'seeker');
  const idle = await insertResume(t.ctx, seeker.user.id, { title: '闲置简历' });
  const used = await insertResume(t.ctx, seeker.user.id, { title: '常用简历' });
  const idleFile = await pathOf(idle.id);
  expect(fs.existsSync(idleFile)).toBe(true);

  at(22);
  expect(await sweepResumes(t.ctx)).toEqual({ warned: 0, deleted: 0, filesRemoved: 0 });

  // Day 24: the used resume goes out with an application (its clock restarts); the idle one is not touched.
  at(24);
  const employer = await signedIn(t, 'employer');
  const job = await insertPublishedJob(t.ctx, employer.user.id);
  await insertApplication(t.ctx, seeker.user.id, job.id, { resumeId: used.id });
  await t.ctx.db.update(resumes).set({ lastUsedAt: clock }).where(eq(resumes.id, used.id)); // the fake clock's "now"

  at(24 + 0.5);
  expect(await sweepResumes(t.ctx)).toEqual({ warned: 1, deleted: 0, filesRemoved: 0 });
  const warnings = (await noticesOf(seeker.user.id)).filter((n) => n.kind === 'resume.retention_warning');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.title).toMatch(/^你有 1 份简历将于 .+ 前后自动删除$/);
  expect(warnings[0]!.body).toContain('「闲置简历」');
  expect(warnings[0]!.link).toBe('/me/resumes');

  // Warned once only, however often the sweep runs.
  at(27);
  expect(await sweepResumes(t.ctx)).toEqual({ warned: 0, deleted: 0, filesRemoved: 0 });

  // Day 31: past 30 days idle, but the notice is not yet 7 days old: still kept.
  at(31);
  expect((await sweepResumes(t.ctx)).deleted).toBe(0);

  at(31.6);
  expect(await sweepResumes(t.ctx)).toEqual({ warned: 0, deleted: 1, filesRemoved: 1 });
  expect(await t.ctx.db.$count(resumes, eq(resumes.id, idle.id))).toBe(0);
  expect(await t.ctx.db.$count(files, eq(files.id, idle.fileId))).toBe(0);
  expect(fs.existsSync(idleFile)).toBe(false);
  const [kept] = await t.ctx.db.select().from(resumes).where(eq(resumes.id, used.id));
  expect(kept).toMatchObject({ title: '常用简历', isDefault: true, retentionWarnedAt: null }); // the default moved to the one left
  expect(fs.existsSync(await pathOf(used.id))).toBe(true);
  const deleted = (await noticesOf(seeker.user.id)).filter((n) => n.kind === 'resume.retention_deleted');
  expect(deleted.map((n) => n.body)).toEqual([expect.stringContaining('「闲置简历」超过 30 天没有用于投递或更新')]);
});

it('a warned resume that is updated afterwards is no longer warned, and is not deleted', async () => {
  clock = new Date();
  const base = Date.now();
  const seeker = await signedIn(t, 'seeker');
  const resume = await insertResume(t.ctx, seeker.user.id, { title: '会更新的简历' });
  clock = new Date(base + 24 * DAY);
  expect((await sweepResumes(t.ctx)).warned).toBe(1);
  // Renamed on day 26 (the fake clock's day).
  await t.ctx.db.update(resumes).set({ title: '改名后的简历', updatedAt: new Date(base + 26 * DAY) }).where(eq(resumes.id, resume.id));
  clock = new Date(base + 40 * DAY);
  const result = await sweepResumes(t.ctx);
  expect(result.deleted).toBe(0);
  const [row] = await t.ctx.db.select().from(resumes).where(eq(resumes.id, resume.id));
  expect(row!.retentionWarnedAt).toBeNull();
});

it('runs daily as a maintenance task, with the configured period', async () => {
  const task = maintenanceTasks().find((m) => m.name === 'resume-retention');
  expect(task?.everyMs).toBe(DAY);
  clock = new Date(Date.now() + 1000 * DAY);
  const seeker = await signedIn(t, 'seeker');
  await insertResume(t.ctx, seeker.user.id);
  // Created "now" by the database, seen from a clock 1000 days ahead: warned, never deleted in the same pass.
  const result = (await task!.run(t.ctx)) as { warned: number; deleted: number };
  expect(result.warned).toBeGreaterThanOrEqual(1);
  expect(await t.ctx.db.$count(resumes, sql`${resumes.seekerId} = ${seeker.user.id}`)).toBe(1);
});

it('`npm run privacy:sweep` runs one pass and says what it did', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-cli-'));
  try {
    const cli = runTs('src/cli/privacy-sweep.ts', [], { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent', SEED_DEMO: 'false', NODE_ENV: 'test', RESUME_RETENTION_DAYS: '90' });
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('简历保留期 90 天: 提醒 0 份, 删除 0 份');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
