// Records the authorization matrix needs ({job}, {article}, ...): each feature adds its own as it lands.
import type { TestApp } from './app';
import { makeUser } from './factories';
import { insertPublishedJob } from './jobFixtures';
import { insertApplication, insertResume } from './resumeFixtures';

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
  return { ...(await createApplicationFixtures(t, employerId)) };
}

/**
 * Issue 5 (applications): `job` is a published job of another employer; `ownJob` a published job of the matrix
 * employer; `application` an application to `ownJob` by a seeker who is not the matrix seeker; `resume` the
 * resume of yet another seeker, which no job of the matrix employer received (so the employer gets 404 on it).
 */
async function createApplicationFixtures(t: TestApp, employerId: number): Promise<AuthzFixtures> {
  const otherEmployer = await makeUser(t.ctx, 'employer');
  const job = await insertPublishedJob(t.ctx, otherEmployer.id);
  const ownJob = await insertPublishedJob(t.ctx, employerId);
  const applicant = await makeUser(t.ctx, 'seeker');
  await insertResume(t.ctx, applicant.id);
  const application = await insertApplication(t.ctx, applicant.id, ownJob.id);
  const stranger = await makeUser(t.ctx, 'seeker');
  const resume = await insertResume(t.ctx, stranger.id);
  await insertApplication(t.ctx, stranger.id, job.id);
  return { job: job.id, ownJob: ownJob.id, resume: resume.id, application };
}
