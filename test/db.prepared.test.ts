// Rows of a prepared select mapped by a function compiled from its fields (src/db/prepared.ts
// `withCompiledRowMapping`): the same objects, keys in the same order and values of the same types as drizzle's own
// mapping of the same statement, on both drivers, for the left-join cases drizzle treats specially.
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { employerProfiles, jobs, users } from '../src/db/schema';
import { withCompiledRowMapping } from '../src/db/prepared';
import { findJobWithEmployer, findJobWithGenerations } from '../src/features/jobs/jobs.queries';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

/** Values and key order, with the class of each object (a Date is not a plain object). */
function described(value: unknown): unknown {
  if (value instanceof Date) return { date: value.toISOString() };
  if (Array.isArray(value)) return value.map(described);
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, described(v)]);
  return value;
}

describe('withCompiledRowMapping', () => {
  let t: TestApp;
  let withProfile: number;
  let withoutProfile: number;
  beforeAll(async () => {
    t = await createTestApp();
    const employer = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employer);
    withProfile = await makeJob(t.ctx, employer, { title: '有企业资料的职位', benefits: ['包吃', '包住'] });
    // A job whose company profile is gone: the profile's left join matches nothing.
    const bare = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, bare);
    withoutProfile = await makeJob(t.ctx, bare, { title: '没有企业资料的职位' });
    await t.ctx.db.delete(employerProfiles).where(eq(employerProfiles.userId, bare));
  });
  afterAll(() => t.close());

  // A whole joined table (nullified by drizzle when its columns are all null), columns of several tables in one
  // object (never nullified), sql fields with and without a decoder, a join that matches nothing.
  const select = (name: string) =>
    t.ctx.db
      .select({
        generations: sql<Record<string, number> | null>`(select json_object_agg(name, generation) from change_generations)`,
        job: { ...getTableColumns(jobs), companyIntro: employerProfiles.intro, active: sql<boolean>`coalesce(${users.status} = 'active', false)` },
        profile: employerProfiles,
        owner: { id: users.id, status: users.status },
        count: sql<number>`1 + 1`.mapWith(Number),
      })
      .from(jobs)
      .leftJoin(users, eq(users.id, jobs.employerId))
      .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
      .where(sql`${jobs.id} = any(${sql.placeholder('ids')}::int[])`)
      .orderBy(jobs.id)
      .prepare(name);

  it('gives what drizzle gives for the same statement', async () => {
    const ids = [withProfile, withoutProfile];
    const drizzles = await select('mapping_drizzle').execute({ ids });
    const statement = withCompiledRowMapping(select('mapping_compiled'));
    // Its rows come through the compiled function (drizzle's prepared queries call it when it is set).
    expect(typeof (statement as unknown as { customResultMapper?: unknown }).customResultMapper).toBe('function');
    const compiled = await statement.execute({ ids });
    expect(drizzles).toHaveLength(2);
    expect(drizzles[1]!.profile).toBeNull();
    expect(drizzles[0]!.profile).not.toBeNull();
    expect(drizzles[0]!.job.publishedAt).toBeInstanceOf(Date);
    expect(described(compiled)).toEqual(described(drizzles));
  });

  it('gives the job pages their rows as a drizzle select of the same columns does', async () => {
    for (const id of [withProfile, withoutProfile]) {
      const [plain] = await t.ctx.db
        .select({ ...getTableColumns(jobs) })
        .from(jobs)
        .where(eq(jobs.id, id));
      const { searchVector: _v, searchText: _t, ...shown } = plain!;
      const page = await findJobWithEmployer(t.ctx.db, id);
      const { job } = await findJobWithGenerations(t.ctx.db, id);
      for (const row of [page!, job!]) expect(described(Object.fromEntries(Object.keys(shown).map((k) => [k, (row as Record<string, unknown>)[k]])))).toEqual(described(shown));
      expect(job!.id).toBe(id);
    }
    const missing = await findJobWithGenerations(t.ctx.db, 2_000_000_000);
    expect(missing.job).toBeUndefined();
    expect(missing.generations.listed_jobs).toEqual(expect.any(Number));
  });
});
