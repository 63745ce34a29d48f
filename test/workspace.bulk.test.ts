// The inbox's bulk actions beyond the status change (issue 18): reject with a template (its text reaches each
// seeker's message), export of the ticked rows (the same .xlsx, only those rows, only the employer's), and the
// 有证书 filter from the online resume's certificates.
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { applications, notifications, seekerProfiles } from '../src/db/schema';
import { REJECT_TEMPLATES } from '../src/features/workspace/workspace.validation';
import { createTestApp, type TestApp } from './helpers/app';
import { download } from './helpers/unzip';
import { applicant, employerWithJobs } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function statusOf(id: number) {
  const [row] = await t.ctx.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id));
  return row!.status;
}

async function namesIn(bytes: Buffer): Promise<unknown[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const names: unknown[] = [];
  workbook.worksheets[0]!.eachRow((row, n) => {
    if (n > 1) names.push((row.values as unknown[])[3]);
  });
  return names;
}

function listedIds(html: string): number[] {
  return [...html.matchAll(/id="application-(\d+)"/g)].map((m) => Number(m[1]));
}

describe('bulk actions of the inbox', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let other: Awaited<ReturnType<typeof employerWithJobs>>;
  let a: Awaited<ReturnType<typeof applicant>>;
  let b: Awaited<ReturnType<typeof applicant>>;
  let c: Awaited<ReturnType<typeof applicant>>;
  let stranger: Awaited<ReturnType<typeof applicant>>;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 1, '深圳市批量处理有限公司');
    other = await employerWithJobs(t, 1, '深圳市别家批量有限公司');
    a = await applicant(t, employer.jobs[0]!.id, { realName: '批量甲' });
    b = await applicant(t, employer.jobs[0]!.id, { realName: '批量乙' });
    c = await applicant(t, employer.jobs[0]!.id, { realName: '批量丙' });
    stranger = await applicant(t, other.jobs[0]!.id, { realName: '别家批量' });
    await t.ctx.db.update(seekerProfiles).set({ certificates: ['叉车证'] }).where(eq(seekerProfiles.userId, b.user.id));
  });

  it('offers the templates in the bulk bar', async () => {
    const res = await employer.client.get('/employer/applicants');
    for (const tpl of Object.values(REJECT_TEMPLATES)) expect(res.text).toContain(tpl.label);
    expect(res.text).toContain('formaction="/employer/applicants.xlsx"');
  });

  it('rejects the ticked rows with a template: its text is in each seeker’s message', async () => {
    const res = await employer.client.post('/employer/applicants/bulk', { ids: [String(a.applicationId), String(c.applicationId)], status: 'rejected', template: 'filled', next: '/employer/applicants' });
    expect(res.status).toBe(303);
    expect(await statusOf(a.applicationId)).toBe('rejected');
    expect(await statusOf(b.applicationId)).toBe('new');
    for (const seeker of [a, c]) {
      const [message] = await t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, seeker.user.id), eq(notifications.kind, 'application.status')));
      expect(message!.body).toBe(REJECT_TEMPLATES.filled.text);
    }
    const page = await a.client.get('/me/notifications');
    expect(page.text).toContain('该岗位已经招满');
  });

  it('refuses an unknown template and changes nothing; a template with another status is not sent', async () => {
    const res = await employer.client.post('/employer/applicants/bulk', { ids: String(b.applicationId), status: 'rejected', template: 'rude', next: '/employer/applicants' });
    expect(res.status).toBe(303);
    expect(await statusOf(b.applicationId)).toBe('new');
    expect((await employer.client.get('/employer/applicants')).text).toContain('请选择一条不合适通知模板');

    await employer.client.post('/employer/applicants/bulk', { ids: String(b.applicationId), status: 'shortlisted', template: 'filled' });
    expect(await statusOf(b.applicationId)).toBe('shortlisted');
    const [message] = await t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, b.user.id), eq(notifications.kind, 'application.status')));
    expect(message!.body).toBe('');
  });

  it('exports only the ticked rows, as the bulk form sends them, never another employer’s', async () => {
    // The bulk form's GET carries its other fields too (status, template, next): they are not filters here.
    const res = await download(employer.client, `/employer/applicants.xlsx?ids=${a.applicationId}&ids=${b.applicationId}&ids=${stranger.applicationId}&status=hired&template=&next=%2F`);
    expect(res.status).toBe(200);
    expect(await namesIn(res.body as Buffer)).toEqual(['批量乙', '批量甲']);
    const none = await download(employer.client, `/employer/applicants.xlsx?ids=${stranger.applicationId}`);
    expect(await namesIn(none.body as Buffer)).toEqual([]);
  });

  it('filters to seekers with a certificate (有证书), also in the export', async () => {
    const res = await employer.client.get('/employer/applicants?cert=1');
    expect(listedIds(res.text)).toEqual([b.applicationId]);
    expect(res.text).toContain('name="cert" value="1" checked');
    expect(res.text).toContain('/employer/applicants.xlsx?cert=1');
    expect(await namesIn((await download(employer.client, '/employer/applicants.xlsx?cert=1')).body as Buffer)).toEqual(['批量乙']);
    expect(listedIds((await other.client.get('/employer/applicants?cert=1')).text)).toEqual([]);
  });
});
