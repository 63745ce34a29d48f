// Owns seeding the benchmark database at scale: employers, seekers with a resume, jobs (search columns
// filled by the app's own searchColumns), articles and applications, in multi-row inserts. It tops up
// to the counts asked, so the same database can be seeded to 10,000 jobs, measured, then grown to 100,000.
import { markIndexedWithDictionaryFile } from '../src/search/search.reindex';
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import { applications, articles, consents, employerProfiles, files, jobs, resumes, seekerProfiles, users } from '../src/db/schema';
import { chinaDate } from '../src/domain/dates';
import { PRIVACY_POLICY_VERSION } from '../src/domain/policy';
import { DISTRICTS } from '../src/domain/vocabulary';
import { hashPassword } from '../src/features/accounts/accounts.service';
import { jobColumns, searchTexts } from '../src/features/jobs/jobs.service';
import { documentWords } from '../src/search/segment';
import { articleOf, companyOf, jobInputOf, personName, phoneOf, pick, randomSource, type Company } from './templates';

export const BENCH_PASSWORD = 'bench12345';
/** Seeker n (1-based) logs in as this number. */
export const seekerLogin = (n: number) => phoneOf('139', n);

export type SeedTargets = { jobs: number; articles: number; seekers: number; employers: number; applications: number };
export const FULL_SCALE: SeedTargets = { jobs: 100_000, articles: 20_000, seekers: 10_000, employers: 2_000, applications: 200_000 };

/** The other tables grow with the jobs: 100,000 jobs ↔ 2,000 employers, 10,000 seekers, 20,000 articles, 200,000 applications. */
export function scaledTargets(jobs: number): SeedTargets {
  const f = jobs / FULL_SCALE.jobs;
  return {
    jobs,
    employers: Math.max(20, Math.round(FULL_SCALE.employers * f)),
    // Seekers 1..100 are the benchmark's own (writes, uploads), so there are always some more.
    seekers: Math.max(200, Math.round(FULL_SCALE.seekers * f)),
    articles: Math.max(50, Math.round(FULL_SCALE.articles * f)),
    applications: Math.round(FULL_SCALE.applications * f),
  };
}

export type SeedReport = { added: Record<keyof SeedTargets, number>; totals: SeedTargets; seconds: number };

const BATCH = 1000;
const JOB_BATCH = 5000;

async function inBatches<T>(items: T[], size: number, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await write(items.slice(i, i + size));
}

async function countOf(db: Db, table: typeof users | typeof jobs | typeof articles | typeof applications, where?: ReturnType<typeof eq>): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table as typeof users).where(where);
  return row?.n ?? 0;
}

async function seedUsers(db: Db, role: 'seeker' | 'employer', from: number, to: number, passwordHash: string): Promise<void> {
  const rand = randomSource(role === 'seeker' ? 11 + from : 29 + from);
  const rows = [];
  for (let n = from + 1; n <= to; n++) {
    rows.push({
      login: role === 'seeker' ? seekerLogin(n) : phoneOf('137', n),
      // A phone login is also the account's phone (a check constraint); bench accounts are never asked to verify it.
      phone: role === 'seeker' ? seekerLogin(n) : phoneOf('137', n),
      phonePromptedAt: new Date(),
      // Seekers apply in the write phase, and applying needs a verified phone (issue 17).
      phoneVerifiedAt: role === 'seeker' ? new Date() : null,
      passwordHash,
      role,
      displayName: personName(rand),
      policyVersion: PRIVACY_POLICY_VERSION,
      policyAcceptedAt: new Date(),
    });
  }
  await inBatches(rows, BATCH, async (batch) => {
    const ids = await db.insert(users).values(batch).returning({ id: users.id, login: users.login });
    await db.insert(consents).values(ids.map((u) => ({ userId: u.id, kind: 'privacy_policy', policyVersion: PRIVACY_POLICY_VERSION })));
    if (role === 'employer') {
      await db.insert(employerProfiles).values(
        ids.map((u) => {
          const c = companyOf(randomSource(Number(u.login.slice(3))), Number(u.login.slice(3)));
          return { userId: u.id, companyName: c.name, creditCode: c.creditCode, contactName: c.contactName, contactPhone: c.contactPhone, address: c.address, intro: c.intro, licenseNo: c.licenseNo, verifiedAt: rand() < 0.6 ? new Date() : null };
        }),
      );
    } else {
      await db.insert(seekerProfiles).values(ids.map((u) => ({ userId: u.id, realName: personName(rand), phone: u.login, district: pick(rand, DISTRICTS) })));
      // Each seeker has a default resume (the row; the bytes are not needed to apply with it).
      const fileRows = await db
        .insert(files)
        .values(ids.map((u) => ({ kind: 'resume' as const, storageKey: `resume/bench/${u.id}.pdf`, ownerId: u.id, originalName: '我的简历.pdf', mime: 'application/pdf', size: 120_000 })))
        .returning({ id: files.id, ownerId: files.ownerId });
      await db.insert(resumes).values(fileRows.map((f) => ({ seekerId: f.ownerId!, fileId: f.id, title: '我的简历', isDefault: true })));
    }
  });
}

async function employersWithCompanies(db: Db): Promise<{ id: number; company: Company }[]> {
  const rows = await db
    .select({ id: users.id, name: employerProfiles.companyName, contactName: employerProfiles.contactName, contactPhone: employerProfiles.contactPhone, licenseNo: employerProfiles.licenseNo })
    .from(users)
    .innerJoin(employerProfiles, eq(employerProfiles.userId, users.id))
    .where(sql`${users.login} like '137%'`);
  return rows.map((r) => ({ id: r.id, company: { name: r.name, contactName: r.contactName, contactPhone: r.contactPhone, licenseNo: r.licenseNo, creditCode: '', address: '', intro: '' } }));
}

type Column = { name: string; type: string; values: unknown[] };

/**
 * `insert into <table> (...) select ... from unnest($1::type[], ...)`: one statement and one parameter per
 * column for thousands of rows, which keeps the work in the database instead of in query building.
 * `computed` adds columns whose value is an SQL expression over the unnested ones (u.<name>); columns named
 * `u_*` only feed such expressions and are not inserted themselves.
 */
async function unnestInsert(db: Db, table: string, columns: Column[], computed: { name: string; expr: string }[] = []): Promise<void> {
  const stored = columns.filter((c) => !c.name.startsWith('u_'));
  const names = [...stored.map((c) => c.name), ...computed.map((c) => c.name)];
  const arrays = sql.join(
    columns.map((c) => sql`${sql.param(c.values)}::${sql.raw(c.type.replace(/::.*/, ''))}[]`),
    sql`, `,
  );
  const select = [...stored.map((c) => `u.${c.name}${c.type.includes('::') ? `::${c.type.split('::')[1]}` : ''}`), ...computed.map((c) => c.expr)].join(', ');
  await db.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(names.join(', '))}) select ${sql.raw(select)} from unnest(${arrays}) as u(${sql.raw(columns.map((c) => c.name).join(', '))})`,
  );
}

/** One list per column of `rows`, for unnestInsert. */
function columnsOf<T extends Record<string, unknown>>(rows: T[], types: Record<keyof T & string, string>): Column[] {
  return Object.entries(types).map(([name, type]) => ({ name, type, values: rows.map((r) => r[name] ?? null) }));
}

const JOB_COLUMN_TYPES = {
  employer_id: 'int', title: 'text', type: 'text::job_type', category: 'text', district: 'text', workplace: 'text', address: 'text',
  pay_min: 'numeric', pay_max: 'numeric', pay_unit: 'text::pay_unit', pay_daily: 'numeric', settlement: 'text::settlement',
  headcount: 'int', shift: 'text', age_min: 'int', age_max: 'int', requirements: 'text', benefits: 'text::text[]',
  description: 'text', contact_name: 'text', contact_phone: 'text', dispatch_agency_name: 'text', dispatch_agency_license: 'text',
  worksite_employer_name: 'text', valid_until: 'date', fee_attested: 'boolean', status: 'text::job_status',
  submitted_at: 'timestamptz', published_at: 'timestamptz', closed_at: 'timestamptz', created_at: 'timestamptz', updated_at: 'timestamptz',
  search_text: 'text', u_words_a: 'text', u_words_b: 'text', u_words_c: 'text',
} as const;

async function seedJobs(db: Db, from: number, to: number, now: Date): Promise<void> {
  const employers = await employersWithCompanies(db);
  const today = chinaDate(now);
  const rand = randomSource(1000 + from);
  // While the database writes one batch, the next is segmented here: the two processes work at once.
  let writing: Promise<void> = Promise.resolve();
  for (let start = from; start < to; start += JOB_BATCH) {
    const rows: Record<keyof typeof JOB_COLUMN_TYPES, unknown>[] = [];
    for (let n = start; n < Math.min(to, start + JOB_BATCH); n++) {
      const employer = employers[n % employers.length]!;
      const input = jobInputOf(rand, employer.company, today);
      const c = jobColumns(input);
      // The app's own search text: the same sections, segmented by the same jieba, weighted the same way.
      const search = searchTexts({ ...input, workplace: c.workplace }, employer.company.name);
      // Most postings are live; the rest are waiting for review, closed or past their date, as on a real site.
      const roll = rand();
      const status = roll < 0.85 ? 'published' : roll < 0.9 ? 'pending' : roll < 0.95 ? 'closed' : 'expired';
      const publishedAt = status === 'pending' ? null : new Date(now.getTime() - Math.floor(rand() * 60 * 24 * 3600_000));
      rows.push({
        employer_id: employer.id, title: c.title, type: c.type, category: c.category, district: c.district, workplace: c.workplace, address: c.address,
        pay_min: c.payMin, pay_max: c.payMax, pay_unit: c.payUnit, pay_daily: c.payDaily, settlement: c.settlement,
        headcount: c.headcount, shift: c.shift, age_min: c.ageMin, age_max: c.ageMax, requirements: c.requirements,
        // An array column travels as its literal ({包吃,包住}), since unnest would flatten an array of arrays.
        benefits: `{${c.benefits.map((b) => `"${b}"`).join(',')}}`,
        description: c.description, contact_name: c.contactName, contact_phone: c.contactPhone,
        dispatch_agency_name: c.dispatchAgencyName, dispatch_agency_license: c.dispatchAgencyLicense, worksite_employer_name: c.worksiteEmployerName,
        valid_until: c.validUntil, fee_attested: c.feeAttested, status,
        submitted_at: (publishedAt ?? now).toISOString(), published_at: publishedAt?.toISOString() ?? null,
        closed_at: status === 'closed' ? now.toISOString() : null, created_at: (publishedAt ?? now).toISOString(), updated_at: (publishedAt ?? now).toISOString(),
        search_text: search.text, u_words_a: documentWords(search.sections.A), u_words_b: documentWords(search.sections.B), u_words_c: documentWords(search.sections.C),
      });
    }
    const columns = columnsOf(rows, JOB_COLUMN_TYPES);
    await writing;
    writing = unnestInsert(
      db,
      'jobs',
      columns,
      // weightedTsvector's expression, over the words computed above.
      [{ name: 'search_vector', expr: "setweight(to_tsvector('simple', u.u_words_a), 'A') || setweight(to_tsvector('simple', u.u_words_b), 'B') || setweight(to_tsvector('simple', u.u_words_c), 'C')" }],
    );
  }
  await writing;
}

async function seedArticles(db: Db, from: number, to: number, now: Date): Promise<void> {
  const rand = randomSource(2000 + from);
  const rows = [];
  for (let n = from + 1; n <= to; n++) {
    rows.push({ ...articleOf(rand, n), status: 'published' as const, publishedAt: new Date(now.getTime() - Math.floor(rand() * 365 * 24 * 3600_000)), viewCount: Math.floor(rand() * rand() * 5000) });
  }
  await inBatches(rows, BATCH, (batch) => db.insert(articles).values(batch));
}

async function seedApplications(db: Db, want: number): Promise<void> {
  // Seekers 1..32 are kept for the write benchmark's own applications; the rest apply to random jobs.
  const seekers = await db
    .select({ id: users.id, resumeId: resumes.id })
    .from(users)
    .innerJoin(resumes, eq(resumes.seekerId, users.id))
    .where(sql`${users.role} = 'seeker' and ${users.login} like '139%' and ${users.login} > ${seekerLogin(100)}`);
  const jobIds = (await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, 'published'))).map((r) => r.id);
  if (!seekers.length || !jobIds.length) return;
  const existing = new Set((await db.select({ j: applications.jobId, s: applications.seekerId }).from(applications)).map((r) => `${r.j}:${r.s}`));
  const rand = randomSource(3000 + existing.size);
  const statuses = ['new', 'new', 'new', 'viewed', 'shortlisted', 'rejected', 'hired'] as const;
  const rows: { job_id: number; seeker_id: number; resume_id: number; status: string; message: string }[] = [];
  while (rows.length < want) {
    const seeker = pick(rand, seekers);
    const jobId = pick(rand, jobIds);
    const key = `${jobId}:${seeker.id}`;
    if (existing.has(key)) continue;
    existing.add(key);
    rows.push({ job_id: jobId, seeker_id: seeker.id, resume_id: seeker.resumeId, status: pick(rand, statuses), message: '您好,我想应聘这个岗位,随时可以到岗。' });
  }
  const types = { job_id: 'int', seeker_id: 'int', resume_id: 'int', status: 'text::application_status', message: 'text' };
  await inBatches(rows, 20_000, (batch) => unnestInsert(db, 'applications', columnsOf(batch, types)));
}

/** Tops the benchmark data up to `targets`; what is already there is kept. */
export async function seedBench(db: Db, targets: SeedTargets, now = new Date(), log: (line: string) => void = () => {}): Promise<SeedReport> {
  const started = performance.now();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const have = {
    employers: await countOf(db, users, sql`${users.login} like '137%' and ${users.role} = 'employer'` as never),
    seekers: await countOf(db, users, sql`${users.login} like '139%' and ${users.role} = 'seeker'` as never),
    jobs: await countOf(db, jobs),
    articles: await countOf(db, articles),
    applications: await countOf(db, applications),
  };
  const added = { employers: 0, seekers: 0, jobs: 0, articles: 0, applications: 0 };
  const step = async (name: keyof SeedTargets, run: (from: number, to: number) => Promise<void>) => {
    if (have[name] >= targets[name]) return;
    const t = performance.now();
    await run(have[name], targets[name]);
    added[name] = targets[name] - have[name];
    log(`  ${name}: +${added[name]} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await step('employers', (from, to) => seedUsers(db, 'employer', from, to, passwordHash));
  await step('seekers', (from, to) => seedUsers(db, 'seeker', from, to, passwordHash));
  await step('jobs', (from, to) => seedJobs(db, from, to, now));
  // Indexed with the app's own dictionary above: the app need not re-index them at start.
  await markIndexedWithDictionaryFile(db);
  await step('articles', (from, to) => seedArticles(db, from, to, now));
  await step('applications', (from, to) => seedApplications(db, to - from));
  // Fresh statistics, as autovacuum would have them on a live site, so plans match production.
  await db.execute(sql`analyze`);
  return { added, totals: { ...targets }, seconds: (performance.now() - started) / 1000 };
}
