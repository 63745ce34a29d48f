// Records the authorization matrix needs ({job}, {article}, ...): each feature adds its own as it lands.
import { applications } from '../../src/db/schema';
import type { TestApp } from './app';
import { makeUser } from './factories';
import { insertPublishedJob } from './jobFixtures';
import { insertResume } from './resumeFixtures';

export type AuthzFixtures = {
  job?: number;
  ownJob?: number;
  article?: number;
  slug?: string;
  resume?: number;
  application?: number;
};

/** `employerId` is the matrix's signed-in employer: `ownJob` must belong to them. */
export async function createAuthzFixtures(t: TestApp, employerId: number): Promise<AuthzFixtures> {
  // Issue 5 makes its own jobs until the jobs feature's fixtures are merged; then only the last line stays.
  const other = await makeUser(t.ctx, 'employer');
  const job = (await insertPublishedJob(t.ctx, other.id)).id;
  const ownJob = (await insertPublishedJob(t.ctx, employerId)).id;
  return { job, ownJob, ...(await createApplicationFixtures(t, ownJob)) };
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
