// Owns the rules of the seeker profile form, with their Chinese messages.
import { z } from 'zod';
import { DISTRICTS, GENDERS, JOB_TYPES, type JobType } from '../../domain/vocabulary';

export const AGE_MIN = 16;
export const AGE_MAX = 70;
export const INTRO_MAX = 500;

const messages = {
  realNameRequired: '请输入真实姓名',
  realNameLength: '姓名不能超过 20 个字',
  gender: '请选择男、女或不填',
  birthYear: (min: number, max: number) => `请输入 4 位出生年份(${min}–${max} 年之间)`,
  district: '请从列表中选择所在区',
  intro: `自我介绍不能超过 ${INTRO_MAX} 个字`,
  desiredTypes: '请从列表中选择求职意向',
};

const optionalText = z.string().optional().default('');

/** The profile form; birth years are checked against `year` (this year in China), for ages 16 to 70. */
export function profileSchema(year: number) {
  const minYear = year - AGE_MAX;
  const maxYear = year - AGE_MIN;
  return z.object({
    realName: z.string({ error: messages.realNameRequired }).min(1, messages.realNameRequired).max(20, messages.realNameLength),
    gender: optionalText
      .refine((v) => v === '' || v in GENDERS, messages.gender)
      .transform((v) => (v === '' ? null : (v as keyof typeof GENDERS))),
    birthYear: optionalText
      .refine((v) => v === '' || (/^\d{4}$/.test(v) && Number(v) >= minYear && Number(v) <= maxYear), messages.birthYear(minYear, maxYear))
      .transform((v) => (v === '' ? null : Number(v))),
    district: optionalText.refine((v) => v === '' || (DISTRICTS as readonly string[]).includes(v), messages.district),
    intro: optionalText.refine((v) => [...v].length <= INTRO_MAX, messages.intro),
    desiredTypes: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
      .refine((list) => list.every((t) => t in JOB_TYPES), messages.desiredTypes)
      .transform((list) => [...new Set(list)] as JobType[]),
  });
}

export type ProfileInput = z.infer<ReturnType<typeof profileSchema>>;
