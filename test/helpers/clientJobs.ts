// A published job staff posted for a client company (issue 22), without going through lead conversion and review
// (tested in leads.clientJobs.test.ts): the client company row and the job, owned by the staff member.
import type { AppContext } from '../../src/context';
import { clientCompanies, jobs } from '../../src/db/schema';
import { validCreditCode } from './jobs';

let seq = 0;

export async function insertClientJob(ctx: AppContext, staffId: number, opts: { companyName?: string; contactPhone?: string; title?: string } = {}) {
  seq += 1;
  const site = await ctx.settings.get();
  const [company] = await ctx.db
    .insert(clientCompanies)
    .values({ name: opts.companyName ?? `深圳市客户${seq}电子有限公司`, creditCode: validCreditCode(`91440300MA5J${String(seq).padStart(5, '0')}`), contactName: '王经理', contactPhone: opts.contactPhone ?? '13800138000', createdBy: staffId })
    .returning();
  const [job] = await ctx.db
    .insert(jobs)
    .values({
      employerId: staffId,
      clientCompanyId: company!.id,
      title: opts.title ?? `客户职位普工${seq}`,
      type: 'dispatch',
      category: '普工',
      district: '宝安区',
      address: '西乡街道固戍一路 8 号',
      payMin: 220,
      payUnit: 'day',
      payDaily: 220,
      settlement: 'monthly',
      headcount: 20,
      description: '流水线装配,坐班,有空调。',
      contactName: '顾问',
      contactPhone: '13700001111',
      dispatchAgencyName: site.companyName,
      dispatchAgencyLicense: '440300123456',
      worksiteEmployerName: company!.name,
      feeAttested: true,
      status: 'published',
      validUntil: '2099-12-31',
      submittedAt: new Date(),
      publishedAt: new Date(),
    })
    .returning();
  return { company: company!, job: job! };
}
