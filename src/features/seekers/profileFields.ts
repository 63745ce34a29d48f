// Owns the rules of the seeker's personal fields (name, gender, birth year, district, introduction, job types),
// shared by the profile form (/me/profile), the online resume (/me/resume) and quick apply, so the three can never
// disagree on what a valid name or birth year is. Each form names its fields in its own words (所在区 / 现居住区),
// so the labels in the messages are parameters.
import { z } from 'zod';
import { DISTRICTS, GENDERS, JOB_TYPES, type JobType } from '../../domain/vocabulary';

export const AGE_MIN = 16;
export const AGE_MAX = 70;
export const INTRO_MAX = 500;
const REAL_NAME_MAX = 20;

const messages = {
  realNameRequired: '请输入真实姓名',
  realNameLength: `姓名不能超过 ${REAL_NAME_MAX} 个字`,
  genderOptional: '请选择男、女或不填',
  genderRequired: '请选择性别',
  birthYear: (min: number, max: number) => `请输入 4 位出生年份(${min}–${max} 年之间)`,
  fromList: (label: string) => `请从列表中选择${label}`,
  intro: `自我介绍不能超过 ${INTRO_MAX} 个字`,
};

const optionalText = z.string().optional().default('');

/** The birth years allowed in `year` (this year in China): ages 16 to 70. */
export function birthYearRange(year: number) {
  return { min: year - AGE_MAX, max: year - AGE_MIN };
}

const isBirthYear = (v: string, year: number) => {
  const { min, max } = birthYearRange(year);
  return /^\d{4}$/.test(v) && Number(v) >= min && Number(v) <= max;
};

export const realNameField = () =>
  z.string({ error: messages.realNameRequired }).trim().min(1, messages.realNameRequired).max(REAL_NAME_MAX, messages.realNameLength);

export const optionalGenderField = () =>
  optionalText.refine((v) => v === '' || v in GENDERS, messages.genderOptional).transform((v) => (v === '' ? null : (v as keyof typeof GENDERS)));

export const requiredGenderField = () =>
  z.string({ error: messages.genderRequired }).refine((v) => v in GENDERS, messages.genderRequired).transform((v) => v as keyof typeof GENDERS);

export function optionalBirthYearField(year: number) {
  const { min, max } = birthYearRange(year);
  return optionalText.refine((v) => v === '' || isBirthYear(v, year), messages.birthYear(min, max)).transform((v) => (v === '' ? null : Number(v)));
}

export function requiredBirthYearField(year: number) {
  const { min, max } = birthYearRange(year);
  return z.string({ error: messages.birthYear(min, max) }).refine((v) => isBirthYear(v, year), messages.birthYear(min, max)).transform(Number);
}

/** One Shenzhen district or none; `label` is the form's word for it (所在区, 现居住区). */
export const districtField = (label: string) =>
  optionalText.refine((v) => v === '' || (DISTRICTS as readonly string[]).includes(v), messages.fromList(label));

export const introField = () => optionalText.refine((v) => [...v].length <= INTRO_MAX, messages.intro);

/** Ticked job types (one value or several), deduplicated; `label` is the form's word for them. */
export const jobTypesField = (label: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((t) => t !== ''))
    .refine((list) => list.every((t) => t in JOB_TYPES), messages.fromList(label))
    .transform((list) => [...new Set(list)] as JobType[]);
