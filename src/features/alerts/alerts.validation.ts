// Owns the rules of the subscription settings form, with their Chinese messages.
import { z } from 'zod';

export const NAME_MAX = 40;
/** Digest hours outside the quiet hours (22:00–07:00). */
export const DIGEST_HOURS = { first: 7, last: 21 } as const;
export const FREQUENCIES = { instant: '即时提醒', daily: '每日汇总' } as const;
export const CHANNELS = { inbox: '站内信', sms: '短信', email: '电子邮件' } as const;

const messages = {
  name: '请输入订阅名称',
  nameLength: `订阅名称不能超过 ${NAME_MAX} 个字`,
  frequency: '请选择即时提醒或每日汇总',
  hour: '请选择 7–21 点之间的整点(22:00–07:00 不发提醒)',
  channel: '请选择站内信、短信或电子邮件',
};

export const settingsSchema = z.object({
  name: z.string({ error: messages.name }).trim().min(1, messages.name).max(NAME_MAX, messages.nameLength),
  frequency: z.enum(['instant', 'daily'], { error: messages.frequency }),
  digestHour: z
    .string({ error: messages.hour })
    .regex(/^\d{1,2}$/, messages.hour)
    .transform(Number)
    .refine((h) => h >= DIGEST_HOURS.first && h <= DIGEST_HOURS.last, messages.hour),
  channel: z.enum(['inbox', 'sms', 'email'], { error: messages.channel }),
  // A checkbox: present means paused.
  paused: z.string().optional().transform((v) => v === '1'),
});

export type AlertSettings = z.infer<typeof settingsSchema>;
