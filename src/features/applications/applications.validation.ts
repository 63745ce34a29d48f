// Owns the rules of the apply form and of an employer's status change, with their Chinese messages.
import { z } from 'zod';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../domain/vocabulary';
import { parseId } from '../../web/forms';
import { codeField, mobileField } from '../accounts/accounts.validation';
import { whoSchema } from '../onlineResume/onlineResume.validation';
import { MESSAGE_MAX } from './applications.service';

const messages = {
  message: `留言不能超过 ${MESSAGE_MAX} 个字`,
  resumeId: '请选择一份简历',
  status: '请选择有效的状态',
  consent: '请阅读并同意《隐私政策》和《用户协议》',
  shareConsent: '请勾选同意将你的报名信息提供给该企业',
};

export const applySchema = z.object({
  /**
   * An id of one of the seeker's resume files, `new` (the file in the form), `none` (the online resume alone), or
   * nothing (the default file if any, else the online resume alone).
   */
  resumeId: z
    .string()
    .optional()
    .default('')
    .refine((v) => v === '' || v === 'new' || v === 'none' || parseId(v) !== null, messages.resumeId)
    .transform((v): number | 'new' | 'none' | null => (v === '' ? null : v === 'new' || v === 'none' ? v : parseId(v))),
  message: z
    .string()
    .optional()
    .default('')
    .refine((v) => [...v].length <= MESSAGE_MAX, messages.message),
  /** The separate consent to give this employer the resume and contact details; required only the first time (the service checks). */
  shareConsent: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
});

export const statusSchema = z.object({
  status: z.enum(Object.keys(APPLICATION_STATUSES) as [ApplicationStatus, ...ApplicationStatus[]], { error: messages.status }),
});

/**
 * Quick apply (a visitor, no account): name, gender, birth year as the online resume's first group, the phone
 * with its code, the privacy policy and the separate consent to share with this employer.
 */
export function quickApplySchema(year: number) {
  return whoSchema(year)
    .pick({ realName: true, gender: true, birthYear: true })
    .extend({
      phone: mobileField,
      code: codeField,
      consent: z.literal('yes', { error: messages.consent }),
      shareConsent: z.literal('yes', { error: messages.shareConsent }),
    });
}

/** The 获取验证码 button of the quick apply form: only the phone is checked. */
export const quickCodeSchema = z.object({ phone: mobileField });
