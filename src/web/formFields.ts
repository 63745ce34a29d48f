// Owns the zod field rules that several forms share (required text, optional text, a contact phone),
// each with its Chinese messages.
import { z } from 'zod';
import { LANDLINE_RE, MOBILE_RE, normalizePhone } from '../domain/text';

const messages = {
  required: (label: string) => `请填写${label}`,
  tooShort: (label: string, n: number) => `${label}至少 ${n} 个字`,
  tooLong: (label: string, n: number) => `${label}不能超过 ${n} 个字`,
  phone: '请填写正确的手机号或座机号(如 0755-88828155)',
};

export const fieldMessages = messages;

/** Required text of `min`..`max` characters (after trimming). */
export function requiredText(label: string, min: number, max: number) {
  return z
    .string({ error: messages.required(label) })
    .trim()
    .min(1, messages.required(label))
    .min(min, messages.tooShort(label, min))
    .max(max, messages.tooLong(label, max));
}

/** Optional text, '' when left empty. */
export function optionalText(label: string, max: number) {
  return z.string().trim().max(max, messages.tooLong(label, max)).optional().default('');
}

/** A mainland mobile, a landline with its area code, or a 400 number; stored as digits. */
export function contactPhone(label = '联系电话') {
  return z
    .string({ error: messages.required(label) })
    .trim()
    .min(1, messages.required(label))
    .max(30, messages.phone)
    .transform(normalizePhone)
    .refine((v) => MOBILE_RE.test(v) || LANDLINE_RE.test(v) || /^400\d{7}$/.test(v), messages.phone);
}
