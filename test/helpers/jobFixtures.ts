// Inserts employer profiles and jobs straight into the database, for tests that need a job but are not about jobs.
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../src/context';
import { employerProfiles, jobs } from '../../src/db/schema';

export type JobRow = typeof jobs.$inferSelect;
export type EmployerProfileRow = typeof employerProfiles.$inferSelect;

let seq = 0;

/** A complete company profile for `userId` (an employer account); idempotent per user. */
export async function insertEmployerProfile(
  ctx: AppContext,
  userId: number,
  overrides: Partial<typeof employerProfiles.$inferInsert> = {},
): Promise<EmployerProfileRow> {
  const [existing] = await ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, userId));
  if (existing) return existing;
  seq += 1;
  const [row] = await ctx.db
    .insert(employerProfiles)
    .values({
      userId,
      companyName: `深圳市测试${seq}号电子有限公司`,
      creditCode: '91440300MA5FXXXX0X',
      contactName: '李经理',
      contactPhone: '13700001111',
      address: '深圳市宝安区西乡街道测试路 1 号',
      ...overrides,
    })
    .returning();
  return row!;
}

/** A date `days` from today as YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A published, unexpired job of `employerId` (its company profile is created if missing). */
export async function insertPublishedJob(
  ctx: AppContext,
  employerId: number,
  overrides: Partial<typeof jobs.$inferInsert> = {},
): Promise<JobRow> {
  await insertEmployerProfile(ctx, employerId);
  seq += 1;
  const [row] = await ctx.db
    .insert(jobs)
    .values({
      employerId,
      title: `电子厂普工日结${seq}`,
      type: 'temp',
      category: '普工',
      district: '宝安区',
      address: '西乡街道固戍一路 8 号',
      payMin: 220,
      payMax: 260,
      payUnit: 'day',
      payDaily: 220,
      settlement: 'daily',
      headcount: 20,
      description: '流水线装配,坐班,有空调。',
      contactName: '李经理',
      contactPhone: '13700001111',
      feeAttested: true,
      status: 'published',
      validUntil: daysFromToday(30),
      submittedAt: new Date(),
      publishedAt: new Date(),
      ...overrides,
    })
    .returning();
  return row!;
}
