// The dashboard's charts: drawn on the server as inline SVG with a table of the same numbers, one aggregate query
// each, kept for a minute; and every tile of the dashboard opens the list it counts.
import { eq } from 'drizzle-orm';
import { applications, jobs, users } from '../src/db/schema';
import { addDays, chinaDate } from '../src/domain/dates';
import { CHART_TTL_MS, lineChart, niceMax } from '../src/features/admin/admin.charts';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';
import { mainOf } from './helpers/news';
import { insertLead } from './helpers/leads';

const START = new Date('2026-11-20T10:00:00+08:00');
let clock = START.getTime();
let t: TestApp;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date(clock) });
  admin = (await signedIn(t, 'admin')).client;
});
afterAll(() => t.close());

const at = (day: string, time = '09:00') => new Date(`${day}T${time}:00+08:00`);
/** The dashboard, past the charts' cache. */
async function dashboard(): Promise<string> {
  clock += CHART_TTL_MS + 1;
  const res = await admin.get('/admin');
  expect(res.status).toBe(200);
  return mainOf(res.text);
}
/** The row of one day in the daily chart's table: [新职位, 投递, 注册, 用工需求]. */
function dayRow(main: string, day: string): number[] {
  const row = new RegExp(`<tr><th scope="row">${day}</th>((?:<td>\\d+</td>)+)</tr>`).exec(main);
  if (!row) throw new Error(`no row for ${day}`);
  return [...row[1]!.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
}

describe('the daily chart', () => {
  it('counts new jobs, applications, signups and client demand leads per China day over 30 days, drawn as SVG with the numbers as a table', async () => {
    const today = chinaDate(new Date(clock));
    const yesterday = addDays(today, -1);
    const employer = await makeUser(t.ctx, 'employer');
    await makeProfile(t.ctx, employer.id, '图表测试企业');
    const [a, b] = [await makeJob(t.ctx, employer.id, { title: '图表职位一' }), await makeJob(t.ctx, employer.id, { title: '图表职位二' })];
    // Two jobs yesterday, one of them just before midnight China time (16:30 UTC): still yesterday.
    await t.ctx.db.update(jobs).set({ createdAt: at(yesterday) }).where(eq(jobs.id, a));
    await t.ctx.db.update(jobs).set({ createdAt: at(yesterday, '23:30') }).where(eq(jobs.id, b));
    const seeker = await makeUser(t.ctx, 'seeker');
    await t.ctx.db.update(users).set({ createdAt: at(yesterday) }).where(eq(users.id, seeker.id));
    await t.ctx.db.insert(applications).values([
      { jobId: a, seekerId: seeker.id, createdAt: at(today, '08:00') },
      { jobId: b, seekerId: seeker.id, createdAt: at(addDays(today, -40)) }, // outside the 30 days
    ]);

    await insertLead(t.ctx, { createdAt: at(yesterday, '09:00') });
    await makeUser(t.ctx, 'consultant'); // made by an admin: not a signup
    await t.ctx.db.update(users).set({ createdAt: at(yesterday) }).where(eq(users.role, 'consultant'));

    const main = await dashboard();
    expect(dayRow(main, yesterday)).toEqual([2, 0, 1, 1]);
    expect(dayRow(main, today)[1]).toBe(1);
    expect(main).not.toContain(`<th scope="row">${addDays(today, -30)}</th>`);
    expect(main).toContain(`<th scope="row">${addDays(today, -29)}</th>`);
    // Drawn twice (narrow for phones, wide for the rest), each an image named by what it shows.
    for (const size of ['narrow', 'wide']) {
      expect(main).toMatch(new RegExp(`<svg class="chart-svg chart-${size}" viewBox="0 0 \\d+ \\d+" role="img" aria-label="近 30 天[^"]*投递 1[^"]*"`));
    }
    expect(main).toMatch(/<g class="series series-leads">\s*<polyline/);
    expect(main).toMatch(/<g class="series series-applications">\s*<polyline fill="none" points="[\d.,\s]+"\/>/);
    // No style attributes (the CSP drops them) and no script: colours are classes.
    expect(main).not.toMatch(/\sstyle=/);
    expect(main).not.toContain('<script');
  });

  it('is kept for a minute: a new signup shows once the minute has passed', async () => {
    const today = chinaDate(new Date(clock));
    const before = dayRow(await dashboard(), today)[2]!;
    const late = await makeUser(t.ctx, 'seeker');
    await t.ctx.db.update(users).set({ createdAt: new Date(clock) }).where(eq(users.id, late.id));
    clock += 1000;
    expect(dayRow(mainOf((await admin.get('/admin')).text), today)[2]).toBe(before);
    expect(dayRow(await dashboard(), today)[2]).toBe(before + 1);
  });

  it('scales to round numbers and lays out 30 days with a label every few days', () => {
    expect([0, 3, 4, 7, 10, 11, 48, 120].map(niceMax)).toEqual([4, 4, 4, 8, 10, 20, 60, 200]);
    const chart = lineChart([{ series: 'jobs', day: '2026-11-20', n: 7 }], '2026-11-20', 'wide');
    expect(chart.days).toHaveLength(30);
    expect(chart.xLabels.map(([, label]) => label)).toEqual(['10-26', '10-31', '11-05', '11-10', '11-15', '11-20']);
    const jobsLine = chart.series.find((s) => s.key === 'jobs')!;
    expect(jobsLine.total).toBe(7);
    expect(jobsLine.dots).toEqual([[chart.plot.right, chart.plot.top + ((chart.plot.bottom - chart.plot.top) * 1) / 8, 7]]);
  });
});

describe('the status and queue charts', () => {
  it('show jobs by status and how long pending jobs have waited, each bar a link to its list', async () => {
    const employer = await makeUser(t.ctx, 'employer');
    await makeProfile(t.ctx, employer.id, '队列测试企业');
    const now = clock + CHART_TTL_MS + 1;
    const waited = async (hours: number) => {
      const id = await makeJob(t.ctx, employer.id, { title: `等了${hours}小时` }, 'pending');
      await t.ctx.db.update(jobs).set({ submittedAt: new Date(now - hours * 3600_000) }).where(eq(jobs.id, id));
    };
    await waited(0.5);
    await waited(30);
    await waited(30);
    await waited(100);
    const main = await dashboard();
    const pending = await t.ctx.db.$count(jobs, eq(jobs.status, 'pending'));
    expect(main).toContain(`<a href="/admin/jobs?status=pending" aria-label="待审核 ${pending}">`);
    const bar = (label: string) => Number(new RegExp(`aria-label="${label} (\\d+)"`).exec(main)?.[1]);
    expect([bar('不到 1 小时'), bar('1–6 小时'), bar('6–24 小时'), bar('1–3 天'), bar('超过 3 天')]).toEqual([1, 0, 0, 2, 1]);
  });
});

describe('the tiles', () => {
  it('each opens the list it counts, and that list answers', async () => {
    const main = await dashboard();
    const tiles = /<section class="section" aria-labelledby="todo-title">[\s\S]*?<\/section>|<section class="section" aria-labelledby="stats-title">[\s\S]*?<\/section>/g;
    const html = [...main.matchAll(tiles)].map((m) => m[0]).join('');
    const items = [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
    expect(items.length).toBeGreaterThanOrEqual(14);
    for (const item of items) {
      const href = /^<a href="([^"]+)">/.exec(item)?.[1]?.replace(/&amp;/g, '&');
      expect([item, href]).toEqual([item, expect.stringMatching(/^\/admin\/\w+/)]);
      expect([href, (await admin.get(href!)).status]).toEqual([href, 200]);
    }
    // Each job status opens its own tab.
    for (const status of ['published', 'pending', 'rejected', 'closed', 'expired', 'draft']) {
      expect(mainOf((await admin.get(`/admin/jobs?status=${status}`)).text)).toContain(`href="/admin/jobs?status=${status}" aria-current="page"`);
    }
  });
});
