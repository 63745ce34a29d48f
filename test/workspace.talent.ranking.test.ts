// The talent pool's keyword search is job search's (issue 18): the dictionary's synonyms and meanings, segmented
// words in a tsvector kept with the public resume, and the ranking — a wish or certificate above the
// self-introduction and work history, then the filters' wishes, then freshness. Opted-out seekers are never found,
// and a resume is searchable as saved. Every seeker here writes the resume through /me/resume.
import { eq } from 'drizzle-orm';
import { employerProfiles, seekerProfiles } from '../src/db/schema';
import { reindexIdle } from '../src/search/search.reindex';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { employerWithJobs, type Person } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Form = Record<string, string | string[]>;

/** A seeker who writes these resume sections (after 基本信息) and, unless `public` is false, opts into the pool. */
async function seekerWith(name: string, sections: Form[], opts: { public?: boolean; daysAgo?: number } = {}): Promise<Person> {
  const seeker = await signedIn(t, 'seeker');
  for (const form of [{ section: 'who', realName: name, gender: 'male', birthYear: '1995', district: '宝安区' }, ...sections]) {
    expect((await seeker.client.post('/me/resume', form)).status).toBe(303);
  }
  if (opts.public !== false) expect((await seeker.client.post('/me/talent', { optIn: 'yes' })).status).toBe(303);
  // How long ago the resume was last saved (the freshness tie-break); the search document is not touched.
  if (opts.daysAgo) {
    await t.ctx.db
      .update(seekerProfiles)
      .set({ updatedAt: new Date(Date.now() - opts.daysAgo * 86_400_000) })
      .where(eq(seekerProfiles.userId, seeker.user.id));
  }
  return seeker;
}

const wants = (categories: string[], extra: Form = {}): Form => ({ section: 'wants', desiredTypes: ['temp'], desiredCategories: categories, ...extra });
const about = (intro: string): Form => ({ section: 'about', intro });
const tags = (certificates: string[], skills = ''): Form => ({ section: 'tags', certificates, skills });
const job = (role: string, description = ''): Form => ({ section: 'experience', expCompany: ['深圳市某物流有限公司'], expRole: [role], expFrom: ['2022-03'], expTo: ['2024-06'], expDescription: [description] });

function talentIds(html: string): number[] {
  return [...html.matchAll(/id="talent-(\d+)"/g)].map((m) => Number(m[1]));
}

describe('the talent pool searched as jobs are', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let search: (query: string) => Promise<number[]>;
  let guard: Person;
  let gate: Person;
  let forkliftCert: Person;
  let forkliftJob: Person;
  let forkliftIntro: Person;
  let optedOut: Person;
  let neverIn: Person;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 1, '深圳市人才排序物流有限公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employer.user.id));
    search = async (query: string) => {
      const res = await employer.client.get(`/employer/talent?${query}`);
      expect(res.status).toBe(200);
      return talentIds(res.text);
    };
    // Older resumes that match where it counts, fresher ones that match only in the self-introduction.
    guard = await seekerWith('保一', [wants(['保安'])], { daysAgo: 20 });
    forkliftCert = await seekerWith('叉一', [wants(['普工']), tags(['叉车证'])], { daysAgo: 10 });
    forkliftJob = await seekerWith('叉二', [job('叉车司机', '仓库装卸')], { daysAgo: 5 });
    gate = await seekerWith('门一', [about('以前在小区做过保安,能上夜班')]);
    forkliftIntro = await seekerWith('叉三', [about('会开电动叉车,吃苦耐劳')]);
    optedOut = await seekerWith('退一', [wants(['保安']), tags(['叉车证']), about('叉车 保安 都做过')]);
    expect((await optedOut.client.post('/me/talent', { optIn: 'no' })).status).toBe(303);
    neverIn = await seekerWith('未一', [tags(['叉车证']), about('叉车')], { public: false });
  });

  it('a seeker who wishes the job outranks one who only mentions it in the self-introduction, even a fresher one', async () => {
    expect(await search(`q=${encodeURIComponent('保安')}`)).toEqual([guard.user.id, gate.user.id]);
  });

  it('叉车 finds the 叉车证 holder first, then 叉车司机 in the work history and 叉车 in the self-introduction (freshest first)', async () => {
    expect(await search(`q=${encodeURIComponent('叉车')}`)).toEqual([forkliftCert.user.id, forkliftIntro.user.id, forkliftJob.user.id]);
  });

  it('synonyms work as on /jobs: 铲车 is 叉车, 看门 is 保安, 打杂 means the category 普工', async () => {
    expect(await search(`q=${encodeURIComponent('铲车')}`)).toEqual([forkliftCert.user.id, forkliftIntro.user.id, forkliftJob.user.id]);
    expect(await search(`q=${encodeURIComponent('看门')}`)).toEqual([guard.user.id, gate.user.id]);
    expect(await search(`q=${encodeURIComponent('打杂')}`)).toEqual([forkliftCert.user.id]);
  });

  it('an opted-out seeker, or one who never opted in, is never found, even by the exact words of their resume', async () => {
    for (const q of ['叉车', '叉车证', '保安', '叉车 保安', '都做过']) {
      const ids = await search(`q=${encodeURIComponent(q)}`);
      expect(ids).not.toContain(optedOut.user.id);
      expect(ids).not.toContain(neverIn.user.id);
    }
    expect(await search(`q=${encodeURIComponent('都做过')}`)).toEqual([]);
  });

  it('seekers matching every word come first; the others follow below 部分符合', async () => {
    const both = await seekerWith('全一', [tags(['叉车证']), about('做过保安')]);
    const res = await employer.client.get(`/employer/talent?q=${encodeURIComponent('叉车 保安')}`);
    const ids = talentIds(res.text);
    expect(ids[0]).toBe(both.user.id);
    expect(ids.slice(1).sort()).toEqual([guard.user.id, gate.user.id, forkliftCert.user.id, forkliftJob.user.id, forkliftIntro.user.id].sort());
    expect(res.text).toContain('以下求职者部分符合');
    expect(res.text.indexOf(`id="talent-${both.user.id}"`)).toBeLessThan(res.text.indexOf('以下求职者部分符合'));
    expect(await search(`q=${encodeURIComponent('叉车 全一不存在的词')}`)).toEqual(expect.arrayContaining([forkliftCert.user.id]));
    // When nobody has every word, the divider heads the list, as on /jobs.
    expect((await employer.client.get(`/employer/talent?q=${encodeURIComponent('保安 铲车 夜班')}`)).text).toContain('没有同时符合全部关键词的求职者');
  });

  it('a resume edit is searchable at once, and the old words are gone', async () => {
    const editor = await seekerWith('改一', [about('会做饭')]);
    expect(await search(`q=${encodeURIComponent('挖掘机')}`)).toEqual([]);
    expect((await editor.client.post('/me/resume', about('持证挖掘机师傅'))).status).toBe(303);
    expect(await search(`q=${encodeURIComponent('挖掘机')}`)).toEqual([editor.user.id]);
    expect((await editor.client.post('/me/resume', about('会做饭'))).status).toBe(303);
    expect(await search(`q=${encodeURIComponent('挖掘机')}`)).toEqual([]);
    // The wishes too: a new wished category is found by its words at once.
    expect((await editor.client.post('/me/resume', wants(['家政']))).status).toBe(303);
    expect(await search(`q=${encodeURIComponent('保姆')}`)).toEqual([editor.user.id]);
  });

  it('a wish filter also shows seekers who left it 不限, below those who chose it, even fresher ones', async () => {
    const open = await seekerWith('不限一', [about('什么都能做')]);
    const cook = await seekerWith('厨一', [wants(['餐饮后厨'])]);
    const ids = await search(`category=${encodeURIComponent('保安')}`);
    expect(ids[0]).toBe(guard.user.id);
    expect(ids).toContain(open.user.id);
    expect(ids).not.toContain(cook.user.id);
    expect(ids).not.toContain(forkliftCert.user.id);
    // With a keyword, relevance first: the filter's fit only orders equal matches.
    const ranked = await search(`category=${encodeURIComponent('保安')}&q=${encodeURIComponent('保安')}`);
    expect(ranked[0]).toBe(guard.user.id);
    expect(ranked).toContain(gate.user.id);
    expect(ranked).not.toContain(cook.user.id);
  });
});

describe('an invitation found in the pool, applied to in one tap', () => {
  it('the seeker’s 同意并投递 applies with the online resume; only then does the employer see the name and phone', async () => {
    const employer = await employerWithJobs(t, 1, '深圳市一键投递物流有限公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employer.user.id));
    const seeker = await seekerWith('钱叉车', [tags(['叉车证'])]);
    const job = employer.jobs[0]!;
    const found = await employer.client.get(`/employer/talent?q=${encodeURIComponent('叉车')}`);
    expect(talentIds(found.text)).toContain(seeker.user.id);
    expect(found.text).not.toContain('钱叉车');
    expect((await employer.client.post(`/employer/talent/${seeker.user.id}/invite`, { jobId: String(job.id) })).status).toBe(303);
    // The profile marks the job already invited to (a second invitation would be refused).
    expect((await employer.client.get(`/employer/talent/${seeker.user.id}`)).text).toContain(`${job.title}(已邀请)`);

    const mine = await seeker.client.get('/me/talent');
    expect(mine.text).toContain('深圳市一键投递物流有限公司');
    expect(mine.text).toContain(`action="/jobs/${job.id}/apply"`);
    expect(mine.text).toContain('同意并投递');
    // The one tap: the form's hidden fields are the online resume alone and the consent the button states.
    const applied = await seeker.client.post(`/jobs/${job.id}/apply`, { resumeId: 'none', shareConsent: 'yes' });
    expect(applied.status).toBe(303);
    expect(applied.headers.location).toBe('/me/applications');
    expect((await seeker.client.get('/me/talent')).text).toContain('已投递');

    const inbox = await employer.client.get('/employer/applicants');
    expect(inbox.text).toContain('钱叉车');
    const [applicationId] = [...inbox.text.matchAll(/id="application-(\d+)"/g)].map((m) => Number(m[1]));
    const detail = await employer.client.get(`/employer/applications/${applicationId}`);
    expect(detail.text).toContain('钱叉车');
    expect(detail.text).toContain(seeker.user.login);
  });
});

describe('a word an admin teaches the dictionary', () => {
  it('re-segments the public resumes that hold it, so the talent pool finds them by its synonyms as /jobs does', async () => {
    const employer = await employerWithJobs(t, 1, '深圳市词库人才有限公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, employer.user.id));
    const seeker = await seekerWith('堆一', [about('三年堆高机经验')]);
    const ids = async (q: string) => talentIds((await employer.client.get(`/employer/talent?q=${encodeURIComponent(q)}`)).text);
    expect(await ids('叉车')).not.toContain(seeker.user.id);
    const admin = (await signedIn(t, 'admin')).client;
    expect((await admin.post('/admin/search/terms', { word: '堆高机', synonyms: '叉车' })).status).toBe(303);
    await reindexIdle();
    expect(await ids('叉车')).toContain(seeker.user.id);
    expect(await ids('堆高机')).toContain(seeker.user.id);
  });
});
