// The client demand form /hire: a visitor company leaves a demand without an account (phone proved by an SMS
// code), the duty consultant is told through the message channel, and scripts and floods are refused.
import { eq } from 'drizzle-orm';
import { leadEvents, leads } from '../src/db/schema';
import { addDays, chinaDate } from '../src/domain/dates';
import { createTestApp, type TestApp } from './helpers/app';
import { lastCodeTo, lastMessageTo } from './helpers/codes';
import { signedIn, uniquePhone } from './helpers/factories';
import { insertLead } from './helpers/leads';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true, limits: { hirePerIp: 1000, hirePerPhone: 2 } });
  const { client: admin } = await signedIn(t, 'admin');
  const res = await admin.post('/admin/settings/leads', { dutyConsultantPhone: '13900001111', dutyConsultantEmail: 'duty@example.com', leadCallbackPromise: '30 分钟内', leadResponseMinutes: '60', workingHours: '08:30-18:00' });
  expect(res.status).toBe(303);
});
afterAll(() => t.close());

const start = () => addDays(chinaDate(new Date()), 3);

export function demand(phone: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    companyName: '深圳市宏发电子有限公司',
    contactName: '王经理',
    phone,
    headcount: '50',
    category: '普工',
    district: '宝安区',
    startDate: start(),
    duration: 'short',
    durationDays: '30',
    shift: '白班',
    payAmount: '25',
    payUnit: 'hour',
    meals: 'yes',
    notes: '流水线装配,18-45 岁',
    ...extra,
  };
}

async function codeFor(client: ReturnType<TestApp['client']>, form: Record<string, string>): Promise<string> {
  const res = await client.post('/hire', { ...form, intent: 'code' });
  expect(res.status).toBe(200);
  expect(res.text).toContain('验证码已发送至');
  // The page comes back with what was typed.
  expect(res.text).toContain('value="深圳市宏发电子有限公司"');
  return lastCodeTo(t, form.phone!);
}

describe('/hire', () => {
  it('shows the form to a visitor without an account, with the honeypot hidden', async () => {
    const res = await t.client().get('/hire');
    expect(res.status).toBe(200);
    expect(res.text).toContain('提交用工需求');
    expect(res.text).toMatch(/aria-hidden="true">\s*<label for="f-website">/);
  });

  it('the home page, its 企业招聘 button and the footer lead to /hire', async () => {
    const home = await t.client().get('/');
    expect(home.text).toMatch(/href="\/hire">企业招聘</);
    expect(home.text).toContain('<a href="/hire">企业用工需求登记</a>');
    const about = await t.client().get('/about');
    expect(about.text).toContain('<a href="/hire">企业用工需求登记</a>');
  });

  it('when a visitor submits a demand with the SMS code, the lead is stored and the duty consultant is told by SMS and e-mail', async () => {
    const client = t.client();
    const form = demand(uniquePhone());
    const code = await codeFor(client, form);
    const res = await client.post('/hire', { ...form, code });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/hire/thanks');
    const thanks = await client.get('/hire/thanks');
    expect(thanks.text).toContain('30 分钟内');
    expect(thanks.text).toContain((await t.ctx.settings.get()).hotline);

    const [lead] = await t.ctx.db.select().from(leads).where(eq(leads.phone, form.phone!));
    expect(lead).toMatchObject({ companyName: '深圳市宏发电子有限公司', headcount: 50, duration: 'short', durationDays: 30, payAmount: 25, payUnit: 'hour', meals: true, housing: false, status: 'new' });
    expect(await t.ctx.db.select().from(leadEvents).where(eq(leadEvents.leadId, lead!.id))).toHaveLength(1);

    const sms = await lastMessageTo(t, '13900001111', 'lead_new');
    expect(sms?.body).toContain('深圳市宏发电子有限公司');
    expect(sms?.body).toContain(`/admin/leads/${lead!.id}`);
    expect(await lastMessageTo(t, 'duty@example.com', 'lead_new')).toBeDefined();

    // ... and the admin sees it in the outbox.
    const { client: admin } = await signedIn(t, 'admin');
    const outbox = await admin.get('/admin/outbox?to=13900001111');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('新用工需求');
    expect(outbox.text).toContain('深圳市宏发电子有限公司');
  });

  it('a wrong code is refused beside the field, keeps the typed values and stores nothing', async () => {
    const client = t.client();
    const form = demand(uniquePhone());
    const code = await codeFor(client, form);
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await client.post('/hire', { ...form, code: wrong });
    expect(res.status).toBe(422);
    expect(res.text).toContain('验证码错误');
    expect(res.text).toContain('value="王经理"');
    expect(res.text).toContain('流水线装配');
    expect(await t.ctx.db.select().from(leads).where(eq(leads.phone, form.phone!))).toHaveLength(0);
  });

  it('an incomplete form says what is missing beside each field, in Chinese', async () => {
    const res = await t.client().post('/hire', { ...demand(uniquePhone()), headcount: '0', duration: 'short', durationDays: '', category: '', code: '123456', payUnit: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('用工人数请填写 1 到 9999 之间的整数');
    expect(res.text).toContain('短期用工请填写天数');
    expect(res.text).toContain('请选择工种');
    expect(res.text).toContain('填写了薪资,请选择薪资单位');
  });

  it('a filled honeypot gets the thank-you page but stores and sends nothing', async () => {
    const client = t.client();
    const form = demand(uniquePhone());
    const code = await codeFor(client, form);
    const res = await client.post('/hire', { ...form, code, website: 'http://spam.example' });
    expect(res.status).toBe(303);
    expect(await t.ctx.db.select().from(leads).where(eq(leads.phone, form.phone!))).toHaveLength(0);
  });

  it('one phone may leave only so many leads a day: the next is refused with a Chinese message', async () => {
    const client = t.client();
    const form = demand(uniquePhone());
    for (let i = 0; i < 2; i++) await insertLead(t.ctx, { phone: form.phone! });
    const res = await client.post('/hire', { ...form, code: '123456' });
    expect(res.status).toBe(429);
    expect(res.text).toContain('这个手机号今天已提交过多次用工需求');
    expect(res.text).toContain('value="深圳市宏发电子有限公司"');
  });
});

describe('lead settings', () => {
  it('refuses a malformed duty phone, response time or working hours beside the field', async () => {
    const { client: admin } = await signedIn(t, 'admin');
    const res = await admin.post('/admin/settings/leads', { dutyConsultantPhone: '12345', dutyConsultantEmail: 'x', leadCallbackPromise: '1 小时内', leadResponseMinutes: '0', workingHours: '18:00-08:30' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('值班顾问手机号应为 1 开头的 11 位数字');
    expect(res.text).toContain('值班顾问邮箱格式不正确');
    expect(res.text).toContain('响应时限请填 5 到 1440 之间的分钟数');
    expect(res.text).toContain('工作时间请按 08:30-18:00 的格式填写');
  });
});

describe('/hire per-IP limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ limits: { hirePerIp: 2 } });
  });
  afterAll(() => limited.close());

  it('refuses the third submission from one IP within the hour with a Chinese 429', async () => {
    const client = limited.client();
    for (let i = 0; i < 2; i++) expect((await client.post('/hire', { companyName: '' })).status).toBe(422);
    const res = await client.post('/hire', { companyName: '' });
    expect(res.status).toBe(429);
    expect(res.text).toContain('提交过于频繁');
  });
});
