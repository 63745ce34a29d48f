// Jobs staff post for client companies: the site owner is the 派遣单位, the client the 用工单位; a consultant
// finishes the draft made by a lead's conversion, it is reviewed and published, and its applicants stay invisible
// to the client company (even one that has an employer account of its own).
import { and, eq, isNull } from 'drizzle-orm';
import { applications, clientCompanies, consents, jobs } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { auditEntries } from './helpers/admin';
import { signedIn } from './helpers/factories';
import { jobForm, makeProfile, validCreditCode } from './helpers/jobs';
import { insertLead } from './helpers/leads';
import { insertResume } from './helpers/resumeFixtures';
import type { TestClient } from './helpers/client';

let t: TestApp;
let consultant: TestClient;
let consultantId: number;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  ({ client: consultant, user: { id: consultantId } } = await signedIn(t, 'consultant'));
});
afterAll(() => t.close());

it("a consultant completes a converted lead's job, it is published, and the client company never sees its applicants", async () => {
  const creditCode = validCreditCode('91440300MA5G77777');
  const lead = await insertLead(t.ctx, { companyName: '深圳市客户电子有限公司', status: 'signed', assignedTo: consultantId });
  const converted = await consultant.post(`/admin/leads/${lead.id}/convert`, { companyName: '深圳市客户电子有限公司', creditCode, contactName: '王经理', contactPhone: '13800138000', jobTitle: '电子厂普工' });
  expect(converted.status).toBe(303);
  const [job] = await t.ctx.db.select().from(jobs).where(eq(jobs.title, '电子厂普工'));
  const siteCompany = (await t.ctx.settings.get()).companyName;

  // The consultant finishes the draft with the job form and submits it; the form cannot change who is who.
  const form = jobForm(t.ctx, { title: '电子厂普工', type: 'temp', dispatchAgencyName: '别的公司', worksiteEmployerName: '别的工厂', dispatchAgencyLicense: '440300123456', action: 'submit' });
  const edit = await consultant.get(`/admin/client-jobs/${job!.id}/edit`);
  expect(edit.status).toBe(200);
  expect(edit.text).toContain('深圳市客户电子有限公司');
  const saved = await consultant.post(`/admin/client-jobs/${job!.id}/edit`, form);
  expect(saved.status).toBe(303);
  const [pending] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, job!.id));
  expect(pending).toMatchObject({ status: 'pending', type: 'dispatch', dispatchAgencyName: siteCompany, worksiteEmployerName: '深圳市客户电子有限公司', dispatchAgencyLicense: '440300123456', employerId: consultantId });
  expect(await auditEntries(t.ctx, 'job.update', job!.id)).toHaveLength(1);

  // Consultants review jobs too: approving it publishes it, audited under the consultant.
  expect((await consultant.post(`/admin/jobs/${job!.id}/approve`, {})).status).toBe(303);
  const [approval] = await auditEntries(t.ctx, 'job.approve', job!.id);
  expect(approval?.actorId).toBe(consultantId);
  const page = await t.client().get(`/jobs/${job!.id}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain(siteCompany);
  expect(page.text).toContain('深圳市客户电子有限公司');

  // A seeker applies; the consent names the dispatch company as the receiver.
  const { client: seeker, user: seekerUser } = await signedIn(t, 'seeker');
  const resume = await insertResume(t.ctx, seekerUser.id);
  const applied = await seeker.upload(`/jobs/${job!.id}/apply`, { message: '', shareConsent: 'yes', resumeId: String(resume.id) });
  expect(applied.status).toBe(303);
  const [application] = await t.ctx.db.select().from(applications).where(eq(applications.jobId, job!.id));
  expect(application).toBeDefined();
  const [consent] = await t.ctx.db.select().from(consents).where(and(eq(consents.userId, seekerUser.id), eq(consents.kind, 'share_with_employer')));
  expect(consent?.employerName).toBe(siteCompany);

  // The client company, even with an employer account under the same name and credit code, sees nothing of it.
  const { client: clientCompany, user: clientUser } = await signedIn(t, 'employer');
  await makeProfile(t.ctx, clientUser.id, '深圳市客户电子有限公司');
  const [company] = await t.ctx.db.select().from(clientCompanies);
  expect(company!.creditCode).toBe(creditCode);
  const list = await clientCompany.get('/employer/jobs');
  expect(list.text).not.toContain('电子厂普工');
  expect((await clientCompany.get(`/employer/jobs/${job!.id}/applications`)).status).toBe(404);
  const one = await clientCompany.get(`/employer/applications/${application!.id}`);
  expect(one.status).toBe(404);
  expect(one.text).not.toContain(seekerUser.phone!);
  expect((await clientCompany.post(`/employer/applications/${application!.id}/status`, { status: 'viewed' })).status).toBe(404);
  expect((await clientCompany.get(`/employer/jobs/${job!.id}/edit`)).status).toBe(404);
  expect((await clientCompany.get(`/admin/client-jobs/${job!.id}/edit`)).status).toBe(403);
});

it('another job for the same client company is posted from the list, and a job not for a client is not editable here', async () => {
  const [company] = await t.ctx.db.select().from(clientCompanies);
  const list = await consultant.get('/admin/client-jobs');
  expect(list.status).toBe(200);
  expect(list.text).toContain('电子厂普工');
  const created = await consultant.post(`/admin/client-jobs/new?company=${company!.id}`, jobForm(t.ctx, { title: '仓库分拣员', dispatchAgencyLicense: '440300123456', action: 'draft' }));
  expect(created.status).toBe(303);
  const [job] = await t.ctx.db.select().from(jobs).where(eq(jobs.title, '仓库分拣员'));
  expect(job).toMatchObject({ clientCompanyId: company!.id, status: 'draft', employerId: consultantId });
  expect(await auditEntries(t.ctx, 'job.create', job!.id)).toHaveLength(1);
  const [ordinary] = await t.ctx.db.select().from(jobs).where(isNull(jobs.clientCompanyId)).limit(1);
  expect(ordinary).toBeDefined();
  expect((await consultant.get(`/admin/client-jobs/${ordinary!.id}/edit`)).status).toBe(404);
});
