// Owns the rules of the apply form and of an employer's status change, with their Chinese messages.
import { z } from 'zod';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../domain/vocabulary';
import { parseId } from '../../web/forms';
import { MESSAGE_MAX } from './applications.service';

const messages = {
  message: `留言不能超过 ${MESSAGE_MAX} 个字`,
  resumeId: '请选择一份简历',
  status: '请选择有效的状态',
};

export const applySchema = z.object({
  /** An id of one of the seeker's resumes, `new` (the file in the form), or nothing (the default resume). */
  resumeId: z
    .string()
    .optional()
    .default('')
    .refine((v) => v === '' || v === 'new' || parseId(v) !== null, messages.resumeId)
    .transform((v): number | 'new' | null => (v === '' ? null : v === 'new' ? 'new' : parseId(v))),
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
