// Makes company profiles and jobs for tests through the real services (so search words are built the same way).
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../src/context';
import type { TestApp } from './app';
import type { TestClient } from './client';
import { signedIn } from './factories';
import { jobs } from '../../src/db/schema';
import { addDays, chinaDate } from '../../src/domain/dates';
import { creditCodeCheckChar } from '../../src/domain/creditCode';
import type { JobStatus } from '../../src/domain/vocabulary';
import { saveEmployerProfile } from '../../src/features/employers/employers.service';
import { createJob } from '../../src/features/jobs/jobs.service';
import type { JobInput } from '../../src/features/jobs/jobs.validation';

/** A valid credit code made from 17 characters of the charset (the check character computed). */
export function validCreditCode(first17 = '91440300MA5F12345'): string {
  return first17 + creditCodeCheckChar(first17)!;
}

let codeCounter = 0;

export async function makeProfile(ctx: AppContext, userId: number, companyName = `测试企业${userId}有限公司`): Promise<void> {
  codeCounter += 1;
  const lists = await ctx.settings.get();
  await saveEmployerProfile(
    ctx.db,
    ctx.storage,
    lists,
    userId,
    {
      companyName,
      creditCode: validCreditCode(`9144030${String(1000000000 + codeCounter).slice(0, 10)}`),
      contactName: '张经理',
      contactPhone: '13800138000',
      address: '深圳市南山区科技园 1 号',
      intro: '一家正规的测试企业,不收任何费用。',
      licenseNo: '',
    },
    undefined,
  );
}

/** A signed-in employer whose company profile is complete, ready to post. */
export async function signedInEmployer(t: TestApp, companyName?: string): Promise<{ client: TestClient; id: number }> {
  const { client, user } = await signedIn(t, 'employer');
  await makeProfile(t.ctx, user.id, companyName);
  return { client, id: user.id };
}

export function jobInput(ctx: AppContext, overrides: Partial<JobInput> = {}): JobInput {
  const today = chinaDate(ctx.now());
  return {
    title: '电子厂普工日结',
    type: 'temp',
    category: '普工',
    district: '宝安区',
    workplace: null,
    address: '沙井街道新桥工业园',
    payMin: 220,
    payMax: null,
    payUnit: 'day',
    settlement: 'daily',
    headcount: 10,
    shift: '8:00-20:00',
    startDate: null,
    endDate: null,
    ageMin: 18,
    ageMax: 45,
    requirements: '身体健康,能吃苦',
    benefits: ['包吃', '包住'],
    description: '流水线组装和包装,坐着干活,有空调。',
    contactName: '张经理',
    contactPhone: '13800138000',
    dispatchAgencyName: null,
    dispatchAgencyLicense: null,
    worksiteEmployerName: null,
    validUntil: addDays(today, 30),
    feeAttested: true,
    ...overrides,
  };
}

/** A job of the employer (who must have a profile) in the given status; published jobs get a publishedAt. */
export async function makeJob(ctx: AppContext, employerId: number, overrides: Partial<JobInput> = {}, status: JobStatus = 'published', publishedAt = ctx.now()): Promise<number> {
  const lists = await ctx.settings.get();
  const job = await createJob(ctx.db, lists, employerId, jobInput(ctx, overrides), status === 'draft' ? 'draft' : 'submit', ctx.now());
  if (status !== 'draft' && status !== 'pending') {
    await ctx.db
      .update(jobs)
      .set({ status, publishedAt, ...(status === 'closed' ? { closedAt: ctx.now() } : {}) })
      .where(eq(jobs.id, job.id));
  }
  return job.id;
}

/** The job form as the browser posts it: the same job as `jobInput`, as strings. */
export function jobForm(ctx: AppContext, overrides: Record<string, string | string[] | undefined> = {}): Record<string, string | string[] | undefined> {
  const input = jobInput(ctx);
  const form: Record<string, string | string[] | undefined> = { feeAttested: 'yes', action: 'submit', contactPhone: '138 0013 8000' };
  for (const [key, value] of Object.entries(input)) {
    if (key in form) continue;
    form[key] = Array.isArray(value) ? value : value === null ? '' : typeof value === 'boolean' ? undefined : String(value);
  }
  return { ...form, ...overrides };
}
