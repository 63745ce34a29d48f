// Owns converting a signed lead: in one transaction, the client company (用工单位, its credit code checked) and a
// first draft job for it, posted by the staff member with the site owner as 派遣单位. A failure anywhere leaves
// nothing: no company, no job, the lead unconverted.
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { clientCompanies, jobs, leads } from '../../db/schema';
import { addDays, chinaDate } from '../../domain/dates';
import { ConflictError } from '../../errors';
import { dailyPay } from '../../domain/vocabulary';
import { searchColumns } from '../jobs/jobs.service';
import { lockLead, recordLeadEvent } from './leads.service';
import { LEAD_DURATIONS, type ConvertInput } from './leads.validation';
import { inferWorkplace } from '../../search/jobTerms';

const messages = {
  notSigned: '只有“已签约”的线索才能转为客户企业',
  already: '这条线索已经转为客户企业了',
  converted: (company: string, title: string) => `已转为客户企业「${company}」,并创建职位草稿「${title}」`,
  description: (l: { headcount: number; duration: string; shift: string; notes: string; meals: boolean; housing: boolean }) =>
    [`招聘 ${l.headcount} 人,${l.duration}。`, l.shift ? `班次:${l.shift}。` : '', l.meals || l.housing ? `${[l.meals ? '包吃' : '', l.housing ? '包住' : ''].filter(Boolean).join('、')}。` : '', l.notes].filter(Boolean).join(''),
};

/** The first job's validity: the job form's default. */
const FIRST_JOB_VALID_DAYS = 30;

export type StaffActor = { id: number; login: string; name: string };

/**
 * Converts a signed lead. A client company that already has this credit code (a returning client) is reused.
 * Returns the client company and the draft job.
 */
export async function convertLead(ctx: AppContext, actor: StaffActor, leadId: number, input: ConvertInput): Promise<{ companyId: number; jobId: number }> {
  const site = await ctx.settings.get();
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const lead = await lockLead(tx, leadId);
    if (lead.status !== 'signed') throw new ConflictError(messages.notSigned);
    if (lead.convertedJobId !== null || lead.clientCompanyId !== null) throw new ConflictError(messages.already);
    const [company] = await tx
      .insert(clientCompanies)
      .values({ name: input.companyName, creditCode: input.creditCode, contactName: input.contactName, contactPhone: input.contactPhone, createdBy: actor.id })
      .onConflictDoUpdate({ target: clientCompanies.creditCode, set: { name: sql`excluded.name` } })
      .returning();
    const payUnit = lead.payUnit ?? 'day';
    const payMin = lead.payAmount ?? 0;
    // What the lead said; the staff complete the rest (address, licence number, pay) in the job form.
    const content = {
      title: input.jobTitle,
      type: 'dispatch' as const,
      category: lead.category,
      district: lead.district,
      address: '',
      settlement: 'monthly' as const,
      shift: lead.shift,
      benefits: [...(lead.meals ? ['包吃'] : []), ...(lead.housing ? ['包住'] : [])],
      description: messages.description({ ...lead, duration: LEAD_DURATIONS[lead.duration] }),
      requirements: '',
      dispatchAgencyName: site.companyName,
      worksiteEmployerName: company!.name,
    };
    const workplace = inferWorkplace([content.title, content.worksiteEmployerName, content.description].join(' '));
    const [job] = await tx
      .insert(jobs)
      .values({
        ...content,
        workplace,
        ...searchColumns({ ...content, workplace }, site.companyName),
        employerId: actor.id,
        clientCompanyId: company!.id,
        payMin,
        payUnit,
        payDaily: payMin ? dailyPay(payMin, payUnit) : null,
        headcount: lead.headcount,
        startDate: lead.startDate,
        contactName: actor.name,
        contactPhone: site.hotline.replace(/\D/g, ''),
        status: 'draft',
        validUntil: addDays(chinaDate(now), FIRST_JOB_VALID_DAYS),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: jobs.id, title: jobs.title });
    await tx.update(leads).set({ clientCompanyId: company!.id, convertedJobId: job!.id, updatedAt: now }).where(eq(leads.id, leadId));
    await recordLeadEvent(tx, actor, leadId, 'convert', messages.converted(company!.name, job!.title), {
      after: { clientCompanyId: company!.id, creditCode: company!.creditCode, jobId: job!.id },
    });
    return { companyId: company!.id, jobId: job!.id };
  });
}
