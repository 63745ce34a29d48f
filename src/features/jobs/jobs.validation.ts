// Owns the rules of the job form, the job list's query string, the report form and the review forms.
import { z } from 'zod';
import { addDays, isIsoDate } from '../../domain/dates';
import { normalizeText } from '../../domain/text';
import {
  BENEFITS,
  CATEGORIES,
  DISTRICTS,
  JOB_TYPES,
  PAY_UNITS,
  REPORT_REASONS,
  SETTLEMENTS,
  WORKPLACES,
  type JobType,
  type Workplace,
  type PayUnit,
  type Settlement,
} from '../../domain/vocabulary';
import type { FieldErrors } from '../../errors';
import { contactPhone, optionalText, requiredText } from '../../web/formFields';
import { parseForm, type FormValues, type ParseResult } from '../../web/forms';
import { districtOf } from '../../search/jobTerms';

const messages = {
  required: (label: string) => `请填写${label}`,
  choose: (label: string) => `请选择${label}`,
  tooShort: (label: string, n: number) => `${label}至少 ${n} 个字`,
  tooLong: (label: string, n: number) => `${label}不能超过 ${n} 个字`,
  money: (label: string) => `${label}请填写数字,最多两位小数`,
  payPositive: '最低薪资必须大于 0',
  payTooHigh: (limit: number, unit: string) => `薪资超出合理范围(不超过 ${limit}${unit}),请如实填写`,
  payMaxBelowMin: '最高薪资不能低于最低薪资',
  payRangeTooWide: '薪资范围过大:最高薪资不能超过最低薪资的 3 倍,请如实填写',
  headcount: '招聘人数请填写 1 到 9999 之间的整数',
  age: '年龄请填写 16 到 65 之间的整数',
  ageOrder: '最小年龄不能大于最大年龄',
  date: '请按 年-月-日 填写日期,如 2026-05-01',
  dateOrder: '结束日期不能早于开始日期',
  validRange: (from: string, to: string) => `有效期须在 ${from} 到 ${to} 之间(最长 90 天)`,
  feeAttested: '请确认本职位不向求职者收取任何费用',
  dispatchRequired: (label: string) => `劳务派遣职位须填写${label}`,
  benefits: '请从列表中选择福利',
  reportReason: '请选择举报原因',
  rejectReason: '请选择或填写不通过的原因',
};

/** Longest validity of a posting, and the default for a new one. */
export const MAX_VALID_DAYS = 90;
export const DEFAULT_VALID_DAYS = 30;

const PAY_LIMITS: Record<PayUnit, number> = { hour: 1000, day: 5000, month: 200_000, piece: 10_000 };
const MONEY_RE = /^\d{1,7}(\.\d{1,2})?$/;

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const text = requiredText;

function choice<T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: messages.choose(label) });
}

const money = (label: string) => z.string({ error: messages.required(label) }).trim().min(1, messages.required(label)).regex(MONEY_RE, messages.money(label)).transform(Number);

const optionalMoney = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || MONEY_RE.test(v), messages.money(label))
    .transform((v) => (v ? Number(v) : null));

const optionalAge = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || (/^\d{1,2}$/.test(v) && Number(v) >= 16 && Number(v) <= 65), messages.age)
  .transform((v) => (v ? Number(v) : null));

const optionalDate = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || isIsoDate(v), messages.date)
  .transform((v) => v || null);

const benefits = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(BENEFITS, { error: messages.benefits })).max(BENEFITS.length),
);

function jobFormSchema(today: string) {
  const lastValid = addDays(today, MAX_VALID_DAYS);
  return z.object({
    // 保安, 司机: two characters make a complete, honest title (issue 19).
    title: text('职位名称', 2, 40),
    type: choice('职位类型', keys(JOB_TYPES)),
    category: choice('职位类别', CATEGORIES),
    district: choice('工作区域', DISTRICTS),
    // Optional: left empty, it is inferred from the text (inferWorkplace).
    workplace: z
      .union([z.literal(''), z.enum(WORKPLACES)], { error: messages.choose('工作场所') })
      .optional()
      .transform((v) => (v ? v : null)),
    address: text('详细地址', 4, 100),
    payMin: money('最低薪资'),
    payMax: optionalMoney('最高薪资'),
    payUnit: choice('薪资单位', keys(PAY_UNITS)),
    settlement: choice('结算方式', keys(SETTLEMENTS)),
    headcount: z
      .string({ error: messages.headcount })
      .trim()
      .regex(/^\d{1,4}$/, messages.headcount)
      .transform(Number)
      .refine((n) => n >= 1, messages.headcount),
    shift: optionalText('工作时间', 100),
    startDate: optionalDate,
    endDate: optionalDate,
    ageMin: optionalAge,
    ageMax: optionalAge,
    requirements: text('招聘条件', 2, 2000),
    benefits,
    description: text('工作内容', 10, 5000),
    contactName: text('联系人', 1, 20),
    contactPhone: contactPhone(),
    dispatchAgencyName: optionalText('派遣单位名称', 60),
    dispatchAgencyLicense: optionalText('劳务派遣经营许可证编号', 60),
    worksiteEmployerName: optionalText('用工单位名称', 60),
    validUntil: z
      .string({ error: messages.required('有效期') })
      .trim()
      .min(1, messages.required('有效期'))
      .refine(isIsoDate, messages.date)
      .refine((v) => v >= today && v <= lastValid, messages.validRange(today, lastValid)),
    feeAttested: z.literal('yes', { error: messages.feeAttested }).transform(() => true as const),
    action: z.enum(['draft', 'submit']).catch('draft'),
  });
}

export type JobInput = {
  title: string;
  type: JobType;
  category: string;
  district: string;
  workplace: Workplace | null;
  address: string;
  payMin: number;
  payMax: number | null;
  payUnit: PayUnit;
  settlement: Settlement;
  headcount: number;
  shift: string;
  startDate: string | null;
  endDate: string | null;
  ageMin: number | null;
  ageMax: number | null;
  requirements: string;
  benefits: string[];
  description: string;
  contactName: string;
  contactPhone: string;
  dispatchAgencyName: string | null;
  dispatchAgencyLicense: string | null;
  worksiteEmployerName: string | null;
  validUntil: string;
  feeAttested: true;
};

export type JobFormData = JobInput & { action: 'draft' | 'submit' };

const DISPATCH_FIELDS = [
  ['dispatchAgencyName', '派遣单位名称', 2],
  ['dispatchAgencyLicense', '劳务派遣经营许可证编号', 4],
  ['worksiteEmployerName', '用工单位名称', 2],
] as const;

/** Rules across fields, checked on the typed values so they show even while other fields are still wrong. */
function crossFieldErrors(v: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  const num = (k: string) => (MONEY_RE.test(str(k)) ? Number(str(k)) : null);
  const unit = str('payUnit') as PayUnit;
  const min = num('payMin');
  const max = num('payMax');
  if (min !== null && min <= 0) errors.payMin = messages.payPositive;
  if (unit in PAY_LIMITS) {
    const limit = PAY_LIMITS[unit];
    if (min !== null && min > limit) errors.payMin = messages.payTooHigh(limit, PAY_UNITS[unit]);
    if (max !== null && max > limit) errors.payMax = messages.payTooHigh(limit, PAY_UNITS[unit]);
    if (min !== null && max !== null && min > 0 && max > min * 3 && unit !== 'piece') errors.payMax = messages.payRangeTooWide;
  }
  if (min !== null && max !== null && max < min) errors.payMax = messages.payMaxBelowMin;
  const ageMin = Number(str('ageMin'));
  const ageMax = Number(str('ageMax'));
  if (str('ageMin') && str('ageMax') && ageMin > ageMax) errors.ageMax = messages.ageOrder;
  if (isIsoDate(str('startDate')) && isIsoDate(str('endDate')) && str('endDate') < str('startDate')) errors.endDate = messages.dateOrder;
  if (str('type') === 'dispatch') {
    for (const [field, label, minLength] of DISPATCH_FIELDS) {
      const value = str(field);
      if (!value) errors[field] = messages.dispatchRequired(label);
      else if (value.length < minLength) errors[field] = messages.tooShort(label, minLength);
    }
  }
  return errors;
}

/** Parses the job form; `today` (China date) bounds the validity period. */
export function parseJobForm(body: unknown, today: string): ParseResult<JobFormData> {
  const parsed = parseForm(jobFormSchema(today), body);
  const cross = crossFieldErrors(parsed.values);
  if (!parsed.ok || Object.keys(cross).length) {
    return { ok: false, errors: { ...cross, ...(parsed.ok ? {} : parsed.errors) }, values: parsed.values };
  }
  const d = parsed.data;
  const dispatch = d.type === 'dispatch';
  const data: JobFormData = {
    ...d,
    payMax: d.payMax !== null && d.payMax !== d.payMin ? d.payMax : null,
    dispatchAgencyName: dispatch ? d.dispatchAgencyName : null,
    dispatchAgencyLicense: dispatch ? d.dispatchAgencyLicense : null,
    worksiteEmployerName: dispatch ? d.worksiteEmployerName : null,
  };
  return { ok: true, data, values: parsed.values };
}

// ---- The job list's query string: never an error; what does not fit is dropped or clamped. ----

export const PAGE_SIZE = 20;
/** Past this, a page cannot exist at 20 a page: answer 404 without asking the database. */
export const MAX_PAGE = 5000;
export const MAX_QUERY_LENGTH = 50;
const MAX_PAY_FILTER = PAY_LIMITS.day;

export type JobListQuery = {
  q: string;
  type?: JobType;
  district?: string;
  settlement?: Settlement;
  category?: string;
  /** 元/天 equivalent. */
  payMin?: number;
  benefits: string[];
  sort?: 'latest' | 'pay';
  page: number;
};

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const asString = z.preprocess(first, z.string());

const listQuerySchema = z.object({
  q: asString.transform((s) => normalizeText(s).replace(/\s+/g, ' ').slice(0, MAX_QUERY_LENGTH).trim()).catch(''),
  type: z.preprocess(first, z.enum(keys(JOB_TYPES))).optional().catch(undefined),
  district: asString.transform((s) => districtOf(normalizeText(s))).optional().catch(undefined),
  settlement: z.preprocess(first, z.enum(keys(SETTLEMENTS))).optional().catch(undefined),
  category: z.preprocess(first, z.enum(CATEGORIES)).optional().catch(undefined),
  payMin: asString
    .transform((s) => (/^\d+(\.\d+)?$/.test(s.trim()) ? Math.min(Math.round(Number(s)), MAX_PAY_FILTER) : undefined))
    .transform((n) => (n ? n : undefined))
    .optional()
    .catch(undefined),
  benefits: z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.unknown()))
    .transform((list) => [...new Set(list.filter((b): b is string => typeof b === 'string' && (BENEFITS as readonly string[]).includes(b)))])
    .catch([]),
  sort: z.preprocess(first, z.enum(['latest', 'pay'])).optional().catch(undefined),
  page: asString
    .transform((s) => (/^\d{1,6}$/.test(s.trim()) ? Math.max(1, Number(s)) : 1))
    .catch(1),
});

/** Reads /jobs?... into a clean query; a category page presets the type. */
export function parseJobListQuery(query: unknown, preset: { type?: JobType } = {}): JobListQuery {
  const raw = query && typeof query === 'object' ? query : {};
  const parsed = listQuerySchema.parse(raw);
  return { ...parsed, type: preset.type ?? parsed.type, page: parsed.page ?? 1 };
}

/** The query as URL parameters (for links that keep the filters); a preset type is not repeated. */
export function listQueryParams(q: JobListQuery, preset: { type?: JobType } = {}): Record<string, string | string[] | undefined> {
  return {
    q: q.q || undefined,
    type: preset.type ? undefined : q.type,
    district: q.district,
    settlement: q.settlement,
    category: q.category,
    payMin: q.payMin ? String(q.payMin) : undefined,
    benefits: q.benefits.length ? q.benefits : undefined,
    sort: q.sort,
  };
}

// ---- Reports and reviews ----

export const reportSchema = z.object({
  reason: z.enum(keys(REPORT_REASONS), { error: messages.reportReason }),
  text: z.string().trim().max(500, messages.tooLong('补充说明', 500)).optional().default(''),
});

export const rejectSchema = z
  .object({
    template: z.string().trim().max(200).optional().default(''),
    reason: z.string().trim().max(200, messages.tooLong('原因', 200)).optional().default(''),
  })
  .transform((v) => v.reason || v.template)
  .refine((r) => r.length >= 2, { message: messages.rejectReason, path: ['reason'] });

export const takeDownSchema = z.object({
  resolution: text('下架原因', 2, 200),
});

export const dismissSchema = z.object({
  resolution: z.string().trim().max(200, messages.tooLong('处理说明', 200)).optional().default(''),
});
