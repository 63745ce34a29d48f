// Fixtures of the employer workspace tests: an employer with jobs, and seekers (with a profile and a resume) who applied.
import { saveSeekerProfile } from '../../src/features/seekers/seekers.service';
import type { TestApp } from './app';
import { signedIn } from './factories';
import { insertEmployerProfile, insertPublishedJob, type JobRow } from './jobFixtures';
import { insertApplication, insertResume } from './resumeFixtures';

export type Person = Awaited<ReturnType<typeof signedIn>>;

/** A signed-in employer with a company profile and `jobs` published jobs. */
export async function employerWithJobs(t: TestApp, jobs = 1, companyName = '深圳市鹏城电子有限公司'): Promise<Person & { jobs: JobRow[] }> {
  const employer = await signedIn(t, 'employer');
  await insertEmployerProfile(t.ctx, employer.user.id, { companyName });
  const made: JobRow[] = [];
  for (let i = 0; i < jobs; i++) made.push(await insertPublishedJob(t.ctx, employer.user.id));
  return { ...employer, jobs: made };
}

/** A signed-in seeker with a profile and a resume who applied to `jobId`. */
export async function applicant(
  t: TestApp,
  jobId: number,
  profile: { realName?: string; district?: string; birthYear?: number } = {},
): Promise<Person & { applicationId: number }> {
  const seeker = await signedIn(t, 'seeker');
  await saveSeekerProfile(t.ctx.db, seeker.user.id, {
    realName: profile.realName ?? '张三',
    gender: 'male',
    birthYear: profile.birthYear ?? 1995,
    district: profile.district ?? '宝安区',
    intro: '',
    desiredTypes: ['temp'],
  });
  await insertResume(t.ctx, seeker.user.id);
  const applicationId = await insertApplication(t.ctx, seeker.user.id, jobId);
  return { ...seeker, applicationId };
}
