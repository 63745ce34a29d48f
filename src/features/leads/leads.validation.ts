// Owns the rules of the client demand form (/hire) and of the staff's lead forms (status, note, follow-up, filters).
import { z } from 'zod';
import { addDays, isIsoDate } from '../../domain/dates';
import { MOBILE_RE, normalizePhone } from '../../domain/text';
import { CATEGORIES, DISTRICTS, PAY_UNITS } from '../../domain/vocabulary';
import type { FieldErrors } from '../../errors';
import { contactPhone, optionalText, requiredText } from '../../web/formFields';
import { creditCodeField } from '../employers/employers.validation';
import { parseForm, type FormValues, type ParseResult } from '../../web/forms';

const messages = {
  choose: (label: string) => `请选择${label}`,
  phone: '请填写正确的手机号(1 开头的 11 位数字),顾问会打这个号码',
  code: '请输入短信收到的 6 位数字验证码',
  headcount: '用工人数请填写 1 到 9999 之间的整数',
  date: '请按 年-月-日 填写日期,如 2026-05-01',
  startRange: (from: string, to: string) => `开工日期须在 ${from} 到 ${to} 之间`,
  days: '短期用工请填写天数(1 到 365 之间的整数)',
  pay: '薪资请填写数字,最多两位小数,且大于 0',
  payUnit: '填写了薪资,请选择薪资单位',
  followUp: '下次跟进日期请按 年-月-日 填写,且不早于今天',
  note: '请填写跟进记录(1 到 1000 个字)',
};

export const LEAD_DURATIONS = { long: '长期', short: '短期', temp: '临时' } as const;
export const LEAD_STATUSES = { new: '新线索', following: '跟进中', signed: '已签约', invalid: '无效' } as const;
export type LeadStatus = keyof typeof LEAD_STATUSES;

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const checkbox = z.literal('yes').optional().transform((v) => v === 'yes');
const isoDate = (message: string) => z.string({ error: message }).trim().refine(isIsoDate, message);

/** The demand form; `today` (China date) bounds the start date (today to a year ahead). */
export function hireSchema(today: string) {
  const last = addDays(today, 365);
  return z
    .object({
      companyName: requiredText('公司名称', 2, 60),
      contactName: requiredText('联系人', 1, 30),
      phone: z.string({ error: messages.phone }).trim().transform(normalizePhone).refine((v) => MOBILE_RE.test(v), messages.phone),
      code: z.string({ error: messages.code }).trim().regex(/^\d{6}$/, messages.code),
      headcount: z.string({ error: messages.headcount }).trim().regex(/^\d{1,4}$/, messages.headcount).transform(Number).refine((n) => n >= 1, messages.headcount),
      category: z.enum(CATEGORIES, { error: messages.choose('工种') }),
      district: z.enum(DISTRICTS, { error: messages.choose('工作区域') }),
      startDate: isoDate(messages.date).refine((v) => v >= today && v <= last, messages.startRange(today, last)),
      duration: z.enum(keys(LEAD_DURATIONS), { error: messages.choose('用工时长') }),
      durationDays: z.string().trim().optional().default(''),
      shift: optionalText('班次', 30),
      payAmount: z.string().trim().optional().default(''),
      payUnit: z.string().trim().optional().default(''),
      meals: checkbox,
      housing: checkbox,
      notes: optionalText('补充说明', 1000),
    })
    .transform((v) => ({
      ...v,
      durationDays: v.duration === 'short' ? Number(v.durationDays) : null,
      payAmount: v.payAmount ? Number(v.payAmount) : null,
      payUnit: v.payAmount ? (v.payUnit as keyof typeof PAY_UNITS) : null,
    }));
}

export type HireInput = Omit<z.infer<ReturnType<typeof hireSchema>>, 'code'>;

/** Rules across fields, checked on the typed values so they show even while other fields are still wrong. */
function hireCrossErrors(v: FormValues): FieldErrors {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  const errors: FieldErrors = {};
  const days = str('durationDays');
  if (str('duration') === 'short' && !(/^\d{1,3}$/.test(days) && Number(days) >= 1 && Number(days) <= 365)) errors.durationDays = messages.days;
  const pay = str('payAmount');
  if (pay && !(/^\d{1,7}(\.\d{1,2})?$/.test(pay) && Number(pay) > 0)) errors.payAmount = messages.pay;
  if (pay && !(str('payUnit') in PAY_UNITS)) errors.payUnit = messages.payUnit;
  return errors;
}

export function parseHireForm(body: unknown, today: string): ParseResult<z.infer<ReturnType<typeof hireSchema>>> {
  const parsed = parseForm(hireSchema(today), body);
  const cross = hireCrossErrors(parsed.values);
  if (!parsed.ok || Object.keys(cross).length) return { ok: false, errors: { ...cross, ...(parsed.ok ? {} : parsed.errors) }, values: parsed.values };
  return parsed;
}

// ---- Staff forms ----

export const leadStatusSchema = z.object({ status: z.enum(keys(LEAD_STATUSES), { error: messages.choose('状态') }) });
export const leadNoteSchema = z.object({ note: z.string({ error: messages.note }).trim().min(1, messages.note).max(1000, messages.note) });
export const leadAssignSchema = z.object({ consultantId: z.string().trim().regex(/^\d{1,9}$/, messages.choose('负责顾问')).transform(Number) });
export function followUpSchema(today: string) {
  return z.object({ nextFollowUpOn: z.string().trim().refine((v) => v === '' || (isIsoDate(v) && v >= today), messages.followUp) });
}

/** Converting a signed lead: the client company (用工单位) as its licence says, and the first job's title. */
export const convertSchema = z.object({
  companyName: requiredText('用工单位名称', 2, 60),
  creditCode: creditCodeField(),
  contactName: requiredText('联系人', 1, 20),
  contactPhone: contactPhone(),
  jobTitle: requiredText('职位名称', 2, 30),
});
export type ConvertInput = z.infer<typeof convertSchema>;

export type LeadFilter = { status?: LeadStatus; consultantId?: number; from?: string; to?: string; page: number };

/** The list's query string: a value of the wrong kind is ignored, never an error. */
export function parseLeadFilter(query: Record<string, unknown>): LeadFilter {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim() : '');
  const status = str('status') in LEAD_STATUSES ? (str('status') as LeadStatus) : undefined;
  const consultant = /^\d{1,9}$/.test(str('consultant')) ? Number(str('consultant')) : undefined;
  const page = /^\d{1,4}$/.test(str('page')) && Number(str('page')) >= 1 ? Number(str('page')) : 1;
  return { status, consultantId: consultant, from: isIsoDate(str('from')) ? str('from') : undefined, to: isIsoDate(str('to')) ? str('to') : undefined, page };
}
