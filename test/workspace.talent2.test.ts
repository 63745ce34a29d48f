// The talent pool on the online resume (issue 18, after issue 17): the opt-in switch on /me/resume, the search by
// category, settlement, certificate and availability, and cards with certificates and expected pay — still no
// name, phone or photo; a seeker who opts out from the resume page is gone at once.
import { eq } from 'drizzle-orm';
import { employerProfiles, seekerProfiles } from '../src/db/schema';
import { saveSeekerProfile } from '../src/features/seekers/seekers.service';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { employerWithJobs, type Person } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-11-20T02:00:00Z') });
});
afterAll(() => t.close());

type Wishes = Partial<typeof seekerProfiles.$inferInsert>;

async function seekerWith(realName: string, gender: 'male' | 'female', wishes: Wishes): Promise<Person> {
  const seeker = await signedIn(t, 'seeker');
  await saveSeekerProfile(t.ctx.db, seeker.user.id, { realName, gender, birthYear: 1998, district: '宝安区', intro: '', desiredTypes: ['temp'] });
  await t.ctx.db.update(seekerProfiles).set(wishes).where(eq(seekerProfiles.userId, seeker.user.id));
  return seeker;
}

function talentIds(html: string): number[] {
  return [...html.matchAll(/id="talent-(\d+)"/g)].map((m) => Number(m[1]));
}

describe('the talent pool with the online resume', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let wang: Person;
  let chen: Person;
  let hidden: Person;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 1, '深圳市人才库物流有限公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employer.user.id));
    wang = await seekerWith('王大力', 'male', {
      certificates: ['叉车证'],
      skills: ['夜班'],
      desiredCategories: ['仓储分拣'],
      preferredSettlement: 'daily',
      minPay: 250,
      minPayUnit: 'day',
      availability: 'now',
      phone: '13912345678',
    });
    chen = await seekerWith('陈美丽', 'female', { desiredCategories: ['普工'], preferredSettlement: 'monthly', minPay: 5500, minPayUnit: 'month', availability: 'week' });
    hidden = await seekerWith('李不公开', 'male', { certificates: ['叉车证'], preferredSettlement: 'daily' });
  });

  it('shows the switch on /me/resume, off by default, and turns it on from there', async () => {
    const page = await wang.client.get('/me/resume');
    expect(page.status).toBe(200);
    expect(page.text).toContain('公开我的简历,允许认证企业找到我');
    expect(page.text).toContain('未公开');
    const res = await wang.client.post('/me/talent', { optIn: 'yes', next: '/me/resume#sec-talent' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me/resume#sec-talent');
    expect((await wang.client.get('/me/resume')).text).toContain('已公开');
    // An outside address in `next` is not followed.
    const outside = await chen.client.post('/me/talent', { optIn: 'yes', next: '//evil.example' });
    expect(outside.headers.location).toBe('/me/talent');
  });

  it('cards show certificates and expected pay, never the name, phone or photo', async () => {
    const res = await employer.client.get('/employer/talent');
    expect(talentIds(res.text).sort()).toEqual([wang.user.id, chen.user.id].sort());
    expect(res.text).toContain('王先生');
    expect(res.text).toContain('28岁');
    expect(res.text).toContain('叉车证');
    expect(res.text).toContain('期望 日结 250元/天起');
    expect(res.text).toContain('期望 月结 5500元/月起');
    for (const secret of ['王大力', '陈美丽', '13912345678', wang.user.login, '/photo']) expect(res.text).not.toContain(secret);
    const profile = await employer.client.get(`/employer/talent/${wang.user.id}`);
    expect(profile.text).toContain('日结 250元/天起');
    expect(profile.text).not.toContain('王大力');
  });

  it('filters by category, settlement, certificate, availability and a skill keyword; an opted-out seeker is never found', async () => {
    const ids = async (q: string) => talentIds((await employer.client.get(`/employer/talent?${q}`)).text);
    expect(await ids(`category=${encodeURIComponent('仓储分拣')}`)).toEqual([wang.user.id]);
    expect(await ids('settlement=monthly')).toEqual([chen.user.id]);
    expect(await ids(`cert=${encodeURIComponent('叉车证')}`)).toEqual([wang.user.id]);
    expect(await ids('availability=week')).toEqual([chen.user.id]);
    expect(await ids(`q=${encodeURIComponent('夜班')}`)).toEqual([wang.user.id]);
    expect(await ids(`cert=${encodeURIComponent('叉车证')}&settlement=monthly`)).toEqual([]);
    // Unknown values are ignored, not a 500.
    expect((await ids('category=火星&settlement=x&cert=y&availability=z')).sort()).toEqual([wang.user.id, chen.user.id].sort());
    expect(await ids(`cert=${encodeURIComponent('叉车证')}`)).not.toContain(hidden.user.id);

    await wang.client.post('/me/talent', { optIn: 'no', next: '/me/resume#sec-talent' });
    expect(await ids(`cert=${encodeURIComponent('叉车证')}`)).toEqual([]);
    expect((await employer.client.get(`/employer/talent/${wang.user.id}`)).status).toBe(404);
  });
});
