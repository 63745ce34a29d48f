// The staff's leads: consultants and admins work a lead (assign, status, notes, follow-up) with its history and
// audit entries, filter the list, see overdue leads highlighted, and convert a signed lead atomically.
import { eq, sql } from 'drizzle-orm';
import { auditLog, clientCompanies, jobs, leadEvents, leads } from '../src/db/schema';
import { workingMinutesBetween } from '../src/features/leads/leads.overdue';
import { createTestApp, type TestApp } from './helpers/app';
import { auditEntries } from './helpers/admin';
import { signedIn } from './helpers/factories';
import { insertLead } from './helpers/leads';
import type { TestClient } from './helpers/client';

// A valid 统一社会信用代码 (check character correct) and one with a wrong check character.
const CREDIT_CODE = '91440300MA5DC8EX6Q';

let t: TestApp;
let consultant: TestClient;
let consultantId: number;
let now = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shenzhen

beforeAll(async () => {
  t = await createTestApp({ seed: true, now: () => now });
  ({ client: consultant, user: { id: consultantId } } = await signedIn(t, 'consultant'));
});
afterAll(() => t.close());

describe('working a lead', () => {
  it('a consultant takes a lead, notes a call, sets the next follow-up and signs it; each step is in its history and the audit log', async () => {
    const lead = await insertLead(t.ctx, { companyName: '跟进测试电子厂' });
    expect((await consultant.post(`/admin/leads/${lead.id}/status`, { status: 'following' })).status).toBe(303);
    expect((await consultant.post(`/admin/leads/${lead.id}/note`, { note: '已电话沟通,下周一到厂面谈' })).status).toBe(303);
    expect((await consultant.post(`/admin/leads/${lead.id}/follow-up`, { nextFollowUpOn: '2026-03-09' })).status).toBe(303);
    expect((await consultant.post(`/admin/leads/${lead.id}/status`, { status: 'signed' })).status).toBe(303);

    const [row] = await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id));
    expect(row).toMatchObject({ status: 'signed', assignedTo: consultantId, nextFollowUpOn: '2026-03-09' });
    const page = await consultant.get(`/admin/leads/${lead.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('已电话沟通,下周一到厂面谈');
    expect(page.text).toContain('新线索 → 跟进中');
    expect(page.text).toContain('下次跟进:2026-03-09');
    const events = await t.ctx.db.select().from(leadEvents).where(eq(leadEvents.leadId, lead.id));
    expect(events.map((e) => e.kind)).toEqual(['status', 'note', 'follow_up', 'status']);
    const audited = await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, String(lead.id)));
    expect(audited.filter((a) => a.targetType === 'lead' && a.actorId === consultantId)).toHaveLength(4);
  });

  it('refuses a jump the workflow does not allow, an empty note and a past follow-up date, changing nothing', async () => {
    const lead = await insertLead(t.ctx);
    const jump = await consultant.post(`/admin/leads/${lead.id}/status`, { status: 'signed' });
    expect(jump.status).toBe(303);
    expect((await consultant.get(`/admin/leads/${lead.id}`)).text).toContain('不能从「新线索」改为「已签约」');
    const note = await consultant.post(`/admin/leads/${lead.id}/note`, { note: '  ' });
    expect(note.status).toBe(422);
    expect(note.text).toContain('请填写跟进记录');
    const past = await consultant.post(`/admin/leads/${lead.id}/follow-up`, { nextFollowUpOn: '2026-01-01' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('不早于今天');
    const [row] = await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id));
    expect(row).toMatchObject({ status: 'new', nextFollowUpOn: null });
    expect(await t.ctx.db.select().from(leadEvents).where(eq(leadEvents.leadId, lead.id))).toHaveLength(0);
  });

  it('assigns only an active consultant or admin', async () => {
    const lead = await insertLead(t.ctx);
    const { user: seeker } = await signedIn(t, 'seeker');
    const res = await consultant.post(`/admin/leads/${lead.id}/assign`, { consultantId: String(seeker.id) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('请选择一位在职的顾问或管理员');
    const { user: other } = await signedIn(t, 'consultant', { displayName: '李顾问' });
    expect((await consultant.post(`/admin/leads/${lead.id}/assign`, { consultantId: String(other.id) })).status).toBe(303);
    expect((await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id)))[0]!.assignedTo).toBe(other.id);
    expect(await auditEntries(t.ctx, 'lead.assign', lead.id)).toHaveLength(1);
  });
});

describe('the list', () => {
  it('filters by status, consultant and date', async () => {
    await insertLead(t.ctx, { companyName: '筛选-三月', createdAt: new Date('2026-03-01T03:00:00Z') });
    await insertLead(t.ctx, { companyName: '筛选-二月', createdAt: new Date('2026-02-10T03:00:00Z'), status: 'invalid', assignedTo: consultantId });
    const march = await consultant.get('/admin/leads?from=2026-03-01&to=2026-03-01');
    expect(march.text).toContain('筛选-三月');
    expect(march.text).not.toContain('筛选-二月');
    const invalid = await consultant.get(`/admin/leads?status=invalid&consultant=${consultantId}`);
    expect(invalid.text).toContain('筛选-二月');
    expect(invalid.text).not.toContain('筛选-三月');
  });

  it('highlights a lead still 新线索 after the response time, counting working hours only', async () => {
    // Friday 17:30 → Monday 10:00: 30 minutes on Friday and 90 on Monday are working time, the weekend nights are not.
    expect(workingMinutesBetween(new Date('2026-02-27T09:30:00Z'), new Date('2026-03-02T02:00:00Z'), '08:30-18:00')).toBe(30 + 2 * 570 + 90);
    expect(workingMinutesBetween(new Date('2026-03-01T12:00:00Z'), new Date('2026-03-02T00:40:00Z'), '08:30-18:00')).toBe(10);
    await insertLead(t.ctx, { companyName: '超时-老线索', createdAt: new Date('2026-03-02T00:00:00Z') }); // 08:00: 90 working minutes by 10:00
    await insertLead(t.ctx, { companyName: '超时-新线索', createdAt: new Date('2026-03-02T01:30:00Z') }); // 09:30: 30 minutes
    const page = await consultant.get('/admin/leads?from=2026-03-02');
    const row = (name: string) => new RegExp(`<tr class="([^"]*)">\\s*<td><a href="/admin/leads/\\d+">${name}`).exec(page.text)?.[1];
    expect(row('超时-老线索')).toBe('lead-overdue');
    expect(row('超时-新线索')).toBe('');
  });
});

describe('converting a signed lead', () => {
  async function signedLead(name: string) {
    const lead = await insertLead(t.ctx, { companyName: name, status: 'signed', assignedTo: consultantId });
    return lead;
  }
  const form = (name: string, extra: Record<string, string> = {}) => ({ companyName: name, creditCode: CREDIT_CODE, contactName: '王经理', contactPhone: '13800138000', jobTitle: '电子厂普工', ...extra });

  it('refuses a credit code whose check character is wrong, beside the field, creating nothing', async () => {
    const lead = await signedLead('校验码测试厂');
    const res = await consultant.post(`/admin/leads/${lead.id}/convert`, form('校验码测试厂', { creditCode: '91440300MA5DC8EX6A' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('统一社会信用代码校验位不正确');
    expect(await t.ctx.db.$count(clientCompanies)).toBe(0);
  });

  it('is atomic: a failure after the company row leaves no company, no job and the lead unconverted', async () => {
    const lead = await signedLead('原子性测试厂');
    const jobsBefore = await t.ctx.db.$count(jobs);
    // The injected failure: inserting the draft job, which comes after the company row, fails.
    await t.ctx.db.execute(sql`create function fail_client_job() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`);
    await t.ctx.db.execute(sql`create trigger fail_client_job before insert on jobs for each row when (new.client_company_id is not null) execute function fail_client_job()`);
    try {
      const res = await consultant.post(`/admin/leads/${lead.id}/convert`, form('原子性测试厂'));
      expect(res.status).toBe(500);
    } finally {
      await t.ctx.db.execute(sql`drop trigger fail_client_job on jobs`);
      await t.ctx.db.execute(sql`drop function fail_client_job()`);
    }
    expect(await t.ctx.db.$count(clientCompanies)).toBe(0);
    expect(await t.ctx.db.$count(jobs)).toBe(jobsBefore);
    expect((await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id)))[0]).toMatchObject({ clientCompanyId: null, convertedJobId: null });
    expect(await auditEntries(t.ctx, 'lead.convert', lead.id)).toHaveLength(0);

    // Without the failure the same form goes through: the company and its draft job, the site owner as 派遣单位.
    const ok = await consultant.post(`/admin/leads/${lead.id}/convert`, form('原子性测试厂'));
    expect(ok.status).toBe(303);
    const [company] = await t.ctx.db.select().from(clientCompanies);
    expect(company).toMatchObject({ name: '原子性测试厂', creditCode: CREDIT_CODE });
    const [job] = await t.ctx.db.select().from(jobs).where(eq(jobs.clientCompanyId, company!.id));
    expect(job).toMatchObject({ status: 'draft', type: 'dispatch', worksiteEmployerName: '原子性测试厂', dispatchAgencyName: (await t.ctx.settings.get()).companyName, employerId: consultantId, headcount: 50 });
    expect((await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id)))[0]).toMatchObject({ clientCompanyId: company!.id, convertedJobId: job!.id });
    expect(await auditEntries(t.ctx, 'lead.convert', lead.id)).toHaveLength(1);
    // Converting twice is refused.
    await consultant.post(`/admin/leads/${lead.id}/convert`, form('原子性测试厂'));
    expect(await t.ctx.db.$count(jobs, eq(jobs.clientCompanyId, company!.id))).toBe(1);
  });

  it('only a signed lead converts', async () => {
    const lead = await insertLead(t.ctx, { status: 'following' });
    await consultant.post(`/admin/leads/${lead.id}/convert`, form('未签约厂', { creditCode: '91440300MA5DC8EX6Q' }));
    expect((await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id)))[0]!.convertedJobId).toBeNull();
  });
});
