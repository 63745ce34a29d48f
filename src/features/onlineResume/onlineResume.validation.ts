// Owns the rules of the online resume's sections (微简历), each its own schema so a section saves on its own,
// with their Chinese messages.
import { z } from 'zod';
import type { ResumeExperience } from '../../db/schema/seekers';
import type { FieldErrors } from '../../errors';
import type { FormValues } from '../../web/forms';
import { chinaClock } from '../../domain/dates';
import { AVAILABILITY, CATEGORIES, CERTIFICATES, DISTRICTS, PREFERRED_SETTLEMENTS, RESUME_PAY_UNITS } from '../../domain/vocabulary';
import {
  districtField,
  introField,
  jobTypesField,
  realNameField,
  requiredBirthYearField,
  requiredGenderField,
} from '../seekers/profileFields';

export { birthYearRange } from '../seekers/profileFields';

export const MAX_CATEGORIES = 3;
export const MAX_DISTRICTS = 3;
export const MAX_EXPERIENCES = 5;
export const MAX_SKILLS = 10;
export const SKILL_MAX_CHARS = 12;
export const EXPERIENCE_TEXT_MAX = 200;
export const PAY_MAX = 100_000;

const messages = {
  categories: `请从列表中选择,最多 ${MAX_CATEGORIES} 个工种`,
  districts: `请从列表中选择,最多 ${MAX_DISTRICTS} 个区`,
  minPay: `期望薪资请填 1–${PAY_MAX} 之间的整数`,
  minPayUnit: '请选择薪资单位(元/时、元/天或元/月)',
  settlement: '请选择日结、周结或月结',
  availability: '请选择到岗时间',
  certificates: '请从列表中选择证书',
  skills: `自定义技能最多 ${MAX_SKILLS} 个,每个不超过 ${SKILL_MAX_CHARS} 个字`,
  expCompany: '请填写公司名称(50 字以内)',
  expRole: '请填写岗位(30 字以内)',
  expFrom: '请填写开始年月,例如 2023-05',
  expTo: '结束年月请填在开始之后,或勾选「至今」',
  expFuture: '年月不能晚于本月',
  expDescription: `工作内容不能超过 ${EXPERIENCE_TEXT_MAX} 个字`,
  expTooMany: `最多填写 ${MAX_EXPERIENCES} 段工作经历`,
};

const optionalText = z.string().optional().default('');
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''));
const oneOfOrNull = <K extends string>(keys: Record<K, string>, message: string) =>
  optionalText.refine((v) => v === '' || v in keys, message).transform((v) => (v === '' ? null : (v as K)));
const chars = (v: string) => [...v].length;

/** This year in China, for the birth-year range and the experience months. */
export function chinaYearMonth(now: Date): { year: number; month: string } {
  const { y, m } = chinaClock(now);
  return { year: Number(y), month: `${y}-${m}` };
}

/** Who: the first group, required (the phone is the account's, verified at /me/security). */
export function whoSchema(year: number) {
  return z.object({
    realName: realNameField(),
    gender: requiredGenderField(),
    birthYear: requiredBirthYearField(year),
    district: districtField('现居住区'),
  });
}

/** What they want. A minimum pay needs its unit. */
export const wantsSchema = z
  .object({
    desiredTypes: jobTypesField('工作类型'),
    desiredCategories: list
      .transform((l) => [...new Set(l)])
      .refine((l) => l.length <= MAX_CATEGORIES && l.every((c) => (CATEGORIES as readonly string[]).includes(c)), messages.categories),
    desiredDistricts: list
      .transform((l) => [...new Set(l)])
      .refine((l) => l.length <= MAX_DISTRICTS && l.every((d) => (DISTRICTS as readonly string[]).includes(d)), messages.districts),
    minPay: optionalText
      .refine((v) => v === '' || (/^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= PAY_MAX), messages.minPay)
      .transform((v) => (v === '' ? null : Number(v))),
    minPayUnit: oneOfOrNull(RESUME_PAY_UNITS, messages.minPayUnit),
    preferredSettlement: oneOfOrNull(PREFERRED_SETTLEMENTS, messages.settlement),
    availability: oneOfOrNull(AVAILABILITY, messages.availability),
  })
  .superRefine((v, issue) => {
    if (v.minPay !== null && v.minPayUnit === null) issue.addIssue({ code: 'custom', path: ['minPayUnit'], message: messages.minPayUnit });
  })
  .transform((v) => ({ ...v, minPayUnit: v.minPay === null ? null : v.minPayUnit }));

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Experience: rows of parallel fields (expCompany, expRole, expFrom, expTo, expDescription; expCurrent holds the
 * index of each row marked 至今). Read by index, not as lists, so a blank field does not shift the rows. A row
 * left wholly blank is dropped. Errors are keyed `expCompany.0` and so on.
 */
export function parseExperiences(values: FormValues, thisMonth: string): { ok: true; data: ResumeExperience[] } | { ok: false; errors: FieldErrors } {
  const arr = (k: string): string[] => {
    const v = values[k];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const keys = ['expCompany', 'expRole', 'expFrom', 'expTo', 'expDescription'] as const;
  const rows = Math.max(0, ...keys.map((k) => arr(k).length));
  const current = new Set(arr('expCurrent'));
  const errors: FieldErrors = {};
  const fail = (key: string, i: number, message: string) => (errors[`${key}.${i}`] ??= message);
  const out: ResumeExperience[] = [];
  for (let i = 0; i < rows; i++) {
    const [company, role, from, to, description] = keys.map((k) => (arr(k)[i] ?? '').trim()) as [string, string, string, string, string];
    const isCurrent = current.has(String(i));
    if (!company && !role && !from && !to && !description && !isCurrent) continue;
    if (!company || chars(company) > 50) fail('expCompany', i, messages.expCompany);
    if (!role || chars(role) > 30) fail('expRole', i, messages.expRole);
    if (!MONTH_RE.test(from)) fail('expFrom', i, messages.expFrom);
    else if (from > thisMonth) fail('expFrom', i, messages.expFuture);
    if (!isCurrent) {
      if (!MONTH_RE.test(to) || to < from) fail('expTo', i, messages.expTo);
      else if (to > thisMonth) fail('expTo', i, messages.expFuture);
    }
    if (chars(description) > EXPERIENCE_TEXT_MAX) fail('expDescription', i, messages.expDescription);
    out.push({ company, role, from, to: isCurrent ? null : to, description });
  }
  if (out.length > MAX_EXPERIENCES) errors._form = messages.expTooMany;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: out };
}

/** Certificates from the list, plus free tags typed with 、 , or spaces between them. */
export const tagsSchema = z.object({
  certificates: list
    .transform((l) => [...new Set(l)])
    .refine((l) => l.every((c) => (CERTIFICATES as readonly string[]).includes(c)), messages.certificates),
  skills: optionalText
    .transform((v) => [...new Set(v.split(/[,,、;;\s]+/).map((s) => s.trim()).filter(Boolean))])
    .refine((l) => l.length <= MAX_SKILLS && l.every((s) => chars(s) <= SKILL_MAX_CHARS), messages.skills),
});

export const aboutSchema = z.object({ intro: introField() });

export type WhoInput = z.infer<ReturnType<typeof whoSchema>>;
export type WantsInput = z.infer<typeof wantsSchema>;
export type TagsInput = z.infer<typeof tagsSchema>;
export type AboutInput = z.infer<typeof aboutSchema>;

export const SECTIONS = ['who', 'wants', 'experience', 'tags', 'about'] as const;
export type Section = (typeof SECTIONS)[number];
