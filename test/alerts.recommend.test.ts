// 为你推荐 on /me (issue 20): ranked against the online resume, applied jobs left out, reasons shown.
import { eq } from 'drizzle-orm';
import { applications, seekerProfiles } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const section = (html: string) => html.slice(html.indexOf('id="me-recommended"'), html.indexOf('id="me-recent"'));

test('with an empty resume /me asks the seeker to fill it in', async () => {
  const { client } = await signedIn(t, 'seeker');
  const me = section((await client.get('/me')).text);
  expect(me).toContain('填写<a href="/me/resume">在线简历</a>');
});

test('recommends matching open jobs with reasons, best first, and leaves out the jobs applied to', async () => {
  const employer = await signedIn(t, 'employer');
  await makeProfile(t.ctx, employer.user.id);
  const forklift = await makeJob(t.ctx, employer.user.id, { title: '仓库叉车司机', category: '仓储分拣', district: '宝安区', settlement: 'daily', description: '持叉车证上岗' });
  const applied = await makeJob(t.ctx, employer.user.id, { title: '已投递的宝安分拣', category: '仓储分拣', district: '宝安区' });
  await makeJob(t.ctx, employer.user.id, { title: '南山写字楼保安', category: '保安', district: '南山区', settlement: 'monthly', type: 'fulltime' });
  await makeJob(t.ctx, employer.user.id, { title: '已结束的宝安分拣', category: '仓储分拣', district: '宝安区' }, 'closed');

  const { client, user } = await signedIn(t, 'seeker');
  await t.ctx.db.insert(seekerProfiles).values({ userId: user.id, realName: '李师傅', desiredCategories: ['仓储分拣'], desiredDistricts: ['宝安区'], preferredSettlement: 'daily', certificates: ['叉车证'] }).onConflictDoUpdate({ target: seekerProfiles.userId, set: { desiredCategories: ['仓储分拣'], desiredDistricts: ['宝安区'], preferredSettlement: 'daily', certificates: ['叉车证'] } });
  await t.ctx.db.insert(applications).values({ jobId: applied, seekerId: user.id, hasAttachment: false });

  const me = section((await client.get('/me')).text);
  expect(me).toContain('仓库叉车司机');
  expect(me).toContain('宝安区 · 仓储分拣 · 日结 · 你有叉车证');
  expect(me).not.toContain('已投递的宝安分拣');
  expect(me).not.toContain('已结束的宝安分拣');
  expect(me).not.toContain('南山写字楼保安');
  expect(me.indexOf(`/jobs/${forklift}`)).toBeGreaterThan(-1);
  const [row] = await t.ctx.db.select().from(applications).where(eq(applications.seekerId, user.id));
  expect(row!.jobId).toBe(applied);
});
