// Owns "为你推荐" on /me: up to 10 open jobs ranked against the seeker's online resume (categories, districts,
// types, pay, settlement, certificates), excluding jobs they applied to, each with its reasons in a few words.
import { textArray } from '../../db/sqlValues';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { applications, employerProfiles, jobs, seekerProfiles, users } from '../../db/schema';
import { JOB_TYPES, PAY_DAYS_PER_MONTH, PAY_HOURS_PER_DAY, SETTLEMENTS, type JobType, type Settlement } from '../../domain/vocabulary';
import { maskJobText } from '../jobs/jobs.masking';
import { jobCardColumns, listedCondition, type JobCard } from '../jobs/jobs.queries';

export const RECOMMEND_LIMIT = 10;
/** Weights: what the job is counts most, then where, then how it pays. */
const WEIGHT = { category: 3, district: 2, type: 1, settlement: 1, pay: 1, certificate: 1 } as const;

export type Recommendation = { job: JobCard; reasons: string[] };
export type Recommendations = { empty: boolean; items: Recommendation[] };

type Resume = typeof seekerProfiles.$inferSelect;

function dailyPay(pay: number | null, unit: string | null): number | null {
  if (!pay) return null;
  if (unit === 'hour') return pay * PAY_HOURS_PER_DAY;
  if (unit === 'month') return Math.round(pay / PAY_DAYS_PER_MONTH);
  return pay;
}


export async function recommendJobs(db: Db, seekerId: number, today: string): Promise<Recommendations> {
  const [resume] = await db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, seekerId));
  const wants = resume && (resume.desiredCategories.length || resume.desiredDistricts.length || resume.desiredTypes.length || resume.preferredSettlement || resume.minPay || resume.certificates.length);
  if (!resume || !wants) return { empty: true, items: [] };
  const minDaily = dailyPay(resume.minPay, resume.minPayUnit);
  const parts: { when: SQL; weight: number }[] = [];
  if (resume.desiredCategories.length) parts.push({ when: sql`${jobs.category} = any(${textArray(resume.desiredCategories)})`, weight: WEIGHT.category });
  if (resume.desiredDistricts.length) parts.push({ when: sql`${jobs.district} = any(${textArray(resume.desiredDistricts)})`, weight: WEIGHT.district });
  if (resume.desiredTypes.length) parts.push({ when: sql`${jobs.type}::text = any(${textArray(resume.desiredTypes)})`, weight: WEIGHT.type });
  if (resume.preferredSettlement) parts.push({ when: sql`${jobs.settlement}::text = ${resume.preferredSettlement}`, weight: WEIGHT.settlement });
  if (minDaily) parts.push({ when: sql`${jobs.payDaily} >= ${minDaily}`, weight: WEIGHT.pay });
  for (const cert of resume.certificates) parts.push({ when: sql`${jobs.searchText} ilike ${`%${certWord(cert)}%`}`, weight: WEIGHT.certificate });
  const score = sql<number>`(${sql.join(parts.map((p) => sql`(case when ${p.when} then ${sql.raw(String(p.weight))} else 0 end)`), sql` + `)})`;
  const applied = sql`exists (select 1 from ${applications} a where a.job_id = ${jobs.id} and a.seeker_id = ${seekerId})`;
  const rows = await db
    .select({ ...jobCardColumns, score, text: jobs.searchText, payDaily: jobs.payDaily })
    .from(jobs)
    .innerJoin(users, eq(users.id, jobs.employerId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(and(listedCondition(today), sql`not ${applied}`, sql`${score} > 0`))
    .orderBy(sql`${score} desc`, desc(jobs.publishedAt), desc(jobs.id))
    .limit(RECOMMEND_LIMIT);
  return { empty: false, items: rows.map(({ score: _s, text, payDaily, ...job }) => ({ job: maskJobText(job as JobCard), reasons: reasonsFor(resume, job as JobCard, text, payDaily, minDaily) })) };
}

/** The word of a certificate a job text would say: 叉车证 → 叉车, C1/C2 驾照 → 驾照. */
function certWord(cert: string): string {
  return cert.includes(' ') ? cert.split(' ').pop()! : cert.replace(/证$/, '');
}

function reasonsFor(resume: Resume, job: JobCard, text: string, payDaily: number | null, minDaily: number | null): string[] {
  const reasons: string[] = [];
  if (resume.desiredDistricts.includes(job.district)) reasons.push(job.district);
  if (resume.desiredCategories.includes(job.category)) reasons.push(job.category);
  if (resume.desiredTypes.includes(job.type)) reasons.push(JOB_TYPES[job.type as JobType]);
  if (resume.preferredSettlement === job.settlement) reasons.push(SETTLEMENTS[job.settlement as Settlement]);
  if (minDaily && payDaily && payDaily >= minDaily) reasons.push('薪资符合期望');
  const cert = resume.certificates.find((c) => text.toLowerCase().includes(certWord(c).toLowerCase()));
  if (cert) reasons.push(`你有${cert}`);
  return reasons.slice(0, 4);
}
