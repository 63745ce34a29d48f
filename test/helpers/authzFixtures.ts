// Records the authorization matrix needs ({job}, {article}, ...): each feature adds its own as it lands.
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { applications, articles, clientCompanies, employerProfiles, jobReports } from '../../src/db/schema';
import { storeUpload } from '../../src/storage/store';
import type { TestApp } from './app';
import { makeUser } from './factories';
import { jobInput, makeJob, makeProfile, validCreditCode } from './jobs';
import { saveClientJob } from '../../src/features/jobs/jobs.service';
import { insertLead } from './leads';
import { tinyPng } from './news';
import { insertResume } from './resumeFixtures';

export type AuthzFixtures = {
  job?: number;
  ownJob?: number;
  article?: number;
  slug?: string;
  resume?: number;
  application?: number;
  report?: number;
  user?: number;
  employer?: number;
  lead?: number;
  clientCompany?: number;
  clientJob?: number;
  clientApplication?: number;
};

/** `employerId` is the matrix's signed-in employer: `ownJob` must belong to them. */
export async function createAuthzFixtures(t: TestApp, employerId: number): Promise<AuthzFixtures> {
  // The matrix employer has a complete profile, so /employer/jobs/new shows the form (200), not a redirect.
  await makeProfile(t.ctx, employerId);
  const other = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, other.id);
  const job = await makeJob(t.ctx, other.id, { title: '矩阵测试职位 已发布' });
  const ownJob = await makeJob(t.ctx, employerId, { title: '矩阵测试职位 自己的草稿' }, 'draft');
  const reporter = await makeUser(t.ctx, 'seeker');
  const [report] = await t.ctx.db.insert(jobReports).values({ jobId: job, reporterId: reporter.id, reason: 'other' }).returning({ id: jobReports.id });
  // News (issue 6): the matrix app is seeded, so the original site's sample article is published.
  const [article] = await t.ctx.db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.status, 'published'), eq(articles.sourceName, '珠海特区报')))
    .limit(1);
  return { job, ownJob, report: report!.id, article: article?.id, ...(await createApplicationFixtures(t, ownJob)), ...(await createSiteFixtures(t)), ...(await createLeadFixtures(t)) };
}

/**
 * Issue 5 (applications): `application` is an application to `ownJob` (whatever its status) by a seeker who is
 * not the matrix seeker; `resume` is the resume of yet another seeker, which no job of the matrix employer
 * received (so the matrix employer gets 404 on it, an admin 200).
 */
export async function createApplicationFixtures(t: TestApp, ownJob: number): Promise<Pick<AuthzFixtures, 'resume' | 'application'>> {
  const applicant = await makeUser(t.ctx, 'seeker');
  const applicantResume = await insertResume(t.ctx, applicant.id);
  const [application] = await t.ctx.db
    .insert(applications)
    .values({ jobId: ownJob, seekerId: applicant.id, resumeId: applicantResume.id })
    .returning({ id: applications.id });
  const stranger = await makeUser(t.ctx, 'seeker');
  const resume = await insertResume(t.ctx, stranger.id);
  return { resume: resume.id, application: application!.id };
}

/**
 * Issue 7 (admin and site): `slug` is a keyword page of the settings; `user` a seeker and `employer` a company
 * with a license image, made for the rows that disable, enable, verify and un-verify (not the matrix's own users).
 */
export async function createSiteFixtures(t: TestApp): Promise<Pick<AuthzFixtures, 'slug' | 'user' | 'employer'>> {
  const slug = (await t.ctx.settings.get()).keywordPages[0]?.slug;
  const user = await makeUser(t.ctx, 'seeker');
  const company = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, company.id);
  const tempPath = path.join(t.ctx.storage.tempDir, 'matrix-license.png');
  await fs.writeFile(tempPath, tinyPng());
  const upload = { tempPath, originalName: '许可证.png', size: tinyPng().length, type: { name: 'png' as const, mime: 'image/png', ext: '.png', label: 'PNG' } };
  await storeUpload(t.ctx.db, t.ctx.storage, upload, { kind: 'license', ownerId: company.id }, (tx, file) =>
    tx.update(employerProfiles).set({ licenseFileId: file.id }).where(eq(employerProfiles.userId, company.id)),
  );
  return { slug, user: user.id, employer: company.id };
}

/**
 * Issue 22 (leads and client jobs): `lead` is a 跟进中 lead, `clientCompany` a client company (用工单位) and
 * `clientJob` a draft job staff posted for it, `clientApplication` an application to it (the staff inbox).
 */
export async function createLeadFixtures(t: TestApp): Promise<Pick<AuthzFixtures, 'lead' | 'clientCompany' | 'clientJob' | 'clientApplication'>> {
  const lead = await insertLead(t.ctx, { status: 'following' });
  const staff = await makeUser(t.ctx, 'consultant');
  const [company] = await t.ctx.db.insert(clientCompanies).values({ name: '矩阵测试用工单位', creditCode: validCreditCode('91440300MA5H00001'), contactName: '王经理', contactPhone: '13800138000' }).returning();
  const clientJob = await saveClientJob(t.ctx.db, await t.ctx.settings.get(), { id: staff.id, login: staff.login }, { clientCompanyId: company!.id }, jobInput(t.ctx, { title: '矩阵测试客户职位' }), 'draft', t.ctx.now());
  const seeker = await makeUser(t.ctx, 'seeker');
  const [application] = await t.ctx.db.insert(applications).values({ jobId: clientJob.id, seekerId: seeker.id, message: '' }).returning({ id: applications.id });
  return { lead: lead.id, clientCompany: company!.id, clientJob: clientJob.id, clientApplication: application!.id };
}
