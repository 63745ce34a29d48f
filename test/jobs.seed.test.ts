// The demo seed: two verified employers with valid credit codes and 40 published jobs that pass every
// rule of the job form, found by the same search as real jobs.
import { eq } from 'drizzle-orm';
import { employerProfiles, jobs, users } from '../src/db/schema';
import { chinaDate } from '../src/domain/dates';
import { isValidCreditCode } from '../src/domain/creditCode';
import { DISTRICTS, JOB_TYPES, PAY_UNITS, SETTLEMENTS } from '../src/domain/vocabulary';
import { DEMO_EMPLOYERS, demoJobInputs } from '../src/features/jobs/jobs.seed';
import { parseJobForm } from '../src/features/jobs/jobs.validation';
import { createTestApp, type TestApp } from './helpers/app';
import { jobIdsIn } from './helpers/html';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ seed: true, logStream: { write: (line: string) => void logLines.push(line) } });
});

/** The demo password, as the start printed it (once): random for each seeding, never a fixed one. */
function printedDemoPassword(): string {
  const lines = logLines.filter((l) => l.includes('shown only this once'));
  expect(lines).toHaveLength(1);
  return /shown only this once: (\S+?)"/.exec(lines[0]!)![1]!;
}
afterAll(() => t.close());

describe('the demo seed', () => {
  it('creates two verified demo employers with valid credit codes who can log in', async () => {
    const profiles = await t.ctx.db.select().from(employerProfiles);
    expect(profiles).toHaveLength(2);
    for (const p of profiles) {
      expect(isValidCreditCode(p.creditCode)).toBe(true);
      expect(p.verifiedAt).not.toBeNull();
    }
    const client = t.client();
    const password = printedDemoPassword();
    expect(password).not.toBe('demo12345');
    expect((await t.client().login(DEMO_EMPLOYERS[0].login, 'demo12345')).status).toBe(401);
    const res = await client.login(DEMO_EMPLOYERS[0].login, password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/employer');
    expect((await client.get('/employer/jobs')).text).toContain('电子厂普工日结');
  });

  it('publishes 40 jobs across every type, district, pay unit and settlement, valid for 30 days or more', async () => {
    const rows = await t.ctx.db.select().from(jobs);
    expect(rows).toHaveLength(40);
    expect(rows.every((j) => j.status === 'published' && j.feeAttested && j.flaggedWords.length === 0)).toBe(true);
    expect(new Set(rows.map((j) => j.type))).toEqual(new Set(Object.keys(JOB_TYPES)));
    expect(new Set(rows.map((j) => j.district))).toEqual(new Set(DISTRICTS));
    expect(new Set(rows.map((j) => j.payUnit))).toEqual(new Set(Object.keys(PAY_UNITS)));
    expect(new Set(rows.map((j) => j.settlement))).toEqual(new Set(Object.keys(SETTLEMENTS)));
    const today = chinaDate(new Date());
    expect(rows.every((j) => j.validUntil >= today)).toBe(true);
    for (const j of rows.filter((r) => r.type === 'dispatch')) {
      expect(j.dispatchAgencyName && j.dispatchAgencyLicense && j.worksiteEmployerName).toBeTruthy();
    }
    const [employer] = await t.ctx.db.select().from(users).where(eq(users.login, DEMO_EMPLOYERS[1].login));
    expect(rows.some((j) => j.employerId === employer!.id)).toBe(true);
  });

  it('writes jobs that pass the job form rules', () => {
    const today = chinaDate(new Date());
    for (const { input } of demoJobInputs(today)) {
      const body = Object.fromEntries(
        Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v : v === null ? '' : typeof v === 'boolean' ? 'yes' : String(v)]),
      );
      const parsed = parseJobForm(body, today);
      expect([input.title, parsed.ok ? {} : parsed.errors]).toEqual([input.title, {}]);
    }
  });

  it('is searchable like any job', async () => {
    const res = await t.client().get(`/jobs?q=${encodeURIComponent('普工')}`);
    const [first] = jobIdsIn(res.text);
    const [job] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, first!));
    expect(job!.title).toBe('电子厂普工日结');
    expect(jobIdsIn((await t.client().get('/jobs')).text)).toHaveLength(20);
    expect((await t.client().get('/jobs?page=2')).status).toBe(200);
    expect((await t.client().get('/jobs?page=3')).status).toBe(404);
  });
});
